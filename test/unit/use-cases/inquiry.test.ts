import { describe, expect, it } from 'vitest';
import { recordInquiry } from '../../../tasks/use-cases/record-inquiry.js';
import { startOnboarding } from '../../../tasks/use-cases/start-onboarding.js';
import { inquiry, setup } from './helpers.js';

const web = { kind: 'system' as const, id: 'web-inquiry' };

describe('startOnboarding', () => {
  it('starts one execution named by a new onboarding id with the validated inquiry', async () => {
    const ports = setup();

    const r = await startOnboarding(ports, {
      inquiry: { ...inquiry(), company: '  Example KK  ' },
      actor: web,
    });

    expect(r).toMatchObject({ ok: true, onboardingId: 'onb-test000001' });
    const started = ports.callbacks.executions.get('onb-test000001');
    expect(started?.input).toMatchObject({
      onboardingId: 'onb-test000001',
      inquiry: { company: 'Example KK', awsAccountId: '123456789012', locale: 'ja' },
      actor: web,
      receivedAt: '2025-04-01T00:00:00.000Z',
    });
  });

  it('names each bad field and starts nothing', async () => {
    const ports = setup();

    const r = await startOnboarding(ports, {
      inquiry: { ...inquiry(), email: 'not-an-email', awsAccountId: '1234' },
      actor: web,
    });

    expect(r.ok).toBe(false);
    if (r.ok || r.error !== 'invalid-input') throw new Error('expected invalid-input');
    expect(r.issues).toEqual(
      expect.arrayContaining([
        { path: 'email', message: 'email must be a valid e-mail address', kind: 'format', format: 'email' },
        {
          path: 'awsAccountId',
          message: 'awsAccountId must be exactly 12 digits',
          kind: 'format',
          format: 'regex',
        },
      ]),
    );
    expect(ports.callbacks.executions.size).toBe(0);
  });

  it('reports an id already used with other input', async () => {
    const ports = setup();
    await startOnboarding(ports, { inquiry: inquiry(), actor: web, onboardingId: 'onb-fixed00001' });

    const again = await startOnboarding(ports, {
      inquiry: inquiry({ company: 'Other' }),
      actor: web,
      onboardingId: 'onb-fixed00001',
    });

    expect(again).toEqual({ ok: false, error: 'already-exists', onboardingId: 'onb-fixed00001' });
  });
});

describe('recordInquiry', () => {
  const start = (locale: 'ja' | 'en') => ({
    onboardingId: 'onb-abcdefghij',
    inquiry: inquiry({ locale }),
    actor: web,
    receivedAt: '2025-04-01T00:00:00.000Z',
  });

  it('stores the onboarding and acknowledges in the buyer language', async () => {
    const ports = setup();

    const ref = await recordInquiry(ports, start('en'));

    expect(ref).toEqual({
      onboardingId: 'onb-abcdefghij',
      locale: 'en',
      company: 'Example KK',
      email: 'yamada@example.co.jp',
      awsAccountId: '123456789012',
    });
    const stored = await ports.onboardings.get('onb-abcdefghij');
    expect(stored).toMatchObject({ stage: 'Inquiry', status: 'active', plan: 'Enterprise' });
    expect(ports.mailer.outbox).toHaveLength(1);
    expect(ports.mailer.outbox[0]).toMatchObject({ to: ['yamada@example.co.jp'], tag: 'acknowledgement' });
    expect(ports.mailer.outbox[0]?.subject).toContain('We received your inquiry');
    expect((await ports.onboardings.timeline('onb-abcdefghij')).map((e) => e.action)).toEqual([
      'inquiry-recorded',
    ]);
  });

  it('sends the acknowledgement once when the task is retried', async () => {
    const ports = setup();

    await recordInquiry(ports, start('ja'));
    await recordInquiry(ports, start('ja'));

    expect(ports.mailer.tagged('acknowledgement')).toHaveLength(1);
    expect(ports.mailer.outbox[0]?.subject).toContain('お問い合わせ受付');
  });

  it('refuses a malformed payload with the field named', async () => {
    const ports = setup();
    await expect(recordInquiry(ports, { ...start('ja'), onboardingId: 'x' })).rejects.toThrow(
      'record-inquiry: invalid input: onboardingId: onboardingId must look like onb-',
    );
  });
});
