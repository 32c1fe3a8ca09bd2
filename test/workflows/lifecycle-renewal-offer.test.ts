/**
 * Renewal → draft-offer on the project's Step Functions runtime (the rendered lifecycle definition, fake task
 * functions, virtual clock): a refused StartChangeSet and a change set still running after the bounded polling both
 * bring sales' Renewal back with the failure in its context; a released offer is sent and Renewal waits again until
 * the marketplace's REPLACE agreement completes it.
 */
import { TaskError } from '@marketplace-onboarding/sfn-local';
import { describe, expect, it } from 'vitest';
import { runInMemory, type TaskCall } from '../../local/in-memory/run.js';
import { renderLifecycleAsl } from '../../workflows/render.js';
import { DEFAULT_OFFER_POLLING } from '../../workflows/settings.js';

const AGREEMENT = 'agmt-renewaloffer000000000001';
const START = {
  episode: 'renewal',
  onboardingId: 'onb-abcdefghij',
  agreementId: AGREEMENT,
  endTime: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  context: { agreementId: AGREEMENT },
};
const sales = { kind: 'staff', id: 'u-sales', role: 'sales' };
const terms = {
  actor: sales,
  plan: 'Business',
  offerName: 'Renewal',
  currency: 'USD',
  durationMonths: 12,
  dimensions: [{ key: 'Users', price: '100.00' }],
  offerExpiresAt: new Date(Date.now() + 20 * 86_400_000).toISOString(),
  offerCreation: 'automatic',
};

type Payload = { action?: string; context?: { renewalOffer?: Record<string, unknown> } };

/** Sales drafts the offer at the first Renewal, then answers `second` with what the step's context says. */
function scripted(catalog: (p: Payload & Record<string, unknown>) => unknown) {
  const contexts: (Record<string, unknown> | undefined)[] = [];
  const handler = (call: TaskCall) => {
    const p = call.payload as Payload & Record<string, unknown>;
    if (call.waitForTaskToken) {
      contexts.push(p.context?.renewalOffer);
      return contexts.length === 1
        ? { action: 'draft-offer', actor: sales, terms }
        : {
            action: 'renewed',
            actor: { kind: 'system', id: 'marketplace-eventbridge' },
            agreementId: 'agmt-next',
          };
    }
    if (p.action === 'record-outcome') return { outcome: 'recorded' };
    return catalog(p);
  };
  return { handler, contexts };
}

describe('Renewal → draft-offer on sfn-local', () => {
  it('a released offer is sent, Renewal opens again showing it, and the REPLACE agreement completes it', async () => {
    // Prepare
    let checks = 0;
    const { handler, contexts } = scripted((p) => {
      if (p.action === 'create-renewal-offer') return { outcome: 'started', changeSetId: 'cs-1' };
      if (p.action === 'check-renewal-offer')
        return ++checks < 3
          ? { outcome: 'pending' }
          : { outcome: 'succeeded', offerId: 'offer-abcdefghij12' };
      return { outcome: 'sent', offerId: 'offer-abcdefghij12' };
    });
    // Act
    const r = await runInMemory(renderLifecycleAsl(), START, handler);
    // Assess
    expect(r.status).toBe('SUCCEEDED');
    expect(contexts[1]).toMatchObject({
      outcome: 'sent',
      offerId: 'offer-abcdefghij12',
      offerExpiresAt: terms.offerExpiresAt,
    });
    expect(r.path.filter((s) => s === 'CheckRenewalOffer')).toHaveLength(3);
    expect(r.path.slice(-3)).toEqual(['RenewalDecided', 'RecordOutcome', 'Done']);
  });

  it('a refused StartChangeSet brings Renewal back with the failure', async () => {
    // Prepare
    const { handler, contexts } = scripted(() => {
      throw new TaskError('CatalogError', 'ValidationException: AgreementId is not ACTIVE');
    });
    // Act
    const r = await runInMemory(renderLifecycleAsl(), START, handler);
    // Assess
    expect(r.status).toBe('SUCCEEDED');
    expect(contexts[1]).toMatchObject({
      outcome: 'failed',
      failure: { code: 'CatalogError', message: expect.stringContaining('not ACTIVE') },
    });
    expect(r.path).not.toContain('SendRenewalOffer');
  });

  it('polling is bounded: the last check records a change set still running and Renewal shows it', async () => {
    // Prepare
    const seen: { check: number; lastCheck: boolean }[] = [];
    const { handler, contexts } = scripted((p) => {
      if (p.action === 'create-renewal-offer') return { outcome: 'started', changeSetId: 'cs-2' };
      const c = p as unknown as { check: number; lastCheck: boolean };
      seen.push({ check: c.check, lastCheck: c.lastCheck });
      return c.lastCheck
        ? { outcome: 'failed', failure: { code: 'STILL_RUNNING', message: 'still APPLYING' } }
        : { outcome: 'pending' };
    });
    // Act
    const r = await runInMemory(renderLifecycleAsl(), START, handler);
    // Assess
    expect(r.status).toBe('SUCCEEDED');
    expect(seen).toHaveLength(DEFAULT_OFFER_POLLING.maxChecks);
    expect(seen.map((s) => s.check)).toEqual(seen.map((_, i) => i + 1));
    expect(seen.filter((s) => s.lastCheck)).toEqual([
      { check: DEFAULT_OFFER_POLLING.maxChecks, lastCheck: true },
    ]);
    expect(contexts[1]).toMatchObject({ outcome: 'failed', failure: { code: 'STILL_RUNNING' } });
  });
});
