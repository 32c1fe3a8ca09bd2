/**
 * Sales extends the offer while the workflow waits for the buyer (issue 11 item 4, issue 12 item 5): the new expiry
 * is checked on its field, the waiting task is resumed once with Onboarding.OfferExtended, and the workflow (the
 * in-process FakeWorkflow) moves the offer's expiry, mails the buyer and waits until the new expiry.
 */
import { describe, expect, it } from 'vitest';
import { FakeWorkflow, TOKEN_MARK } from '../../../local/in-memory/fake-workflow.js';
import { fieldMessage } from '../../../tasks/domain/field-messages.js';
import { entryText } from '../../../tasks/domain/timeline.js';
import {
  extendOfferWhileWaiting,
  latestOfferExpiry,
  sendOfferNotice,
} from '../../../tasks/use-cases/index.js';
import type { StaffActor } from '../../../workflows/contracts/actor.js';
import { WORKFLOW_ERRORS } from '../../../workflows/contracts/workflow-errors.js';
import { offered, SALES_ACTOR, seedOnboarding } from '../../web/support/harness.js';

const NEW_EXPIRY = '2025-08-31T23:59:59Z';

describe('extendOfferWhileWaiting', () => {
  it('moves the expiry through UpdateAvailability, mails the buyer the new date and waits until it, recording who', async () => {
    // Prepare
    const flow = new FakeWorkflow();
    const { ports } = flow;
    const id = await offered(flow);
    const before = await ports.onboardings.get(id);
    const notices = ports.mailer.tagged('offer-notice').length;

    // Act
    const result = await extendOfferWhileWaiting(ports, {
      onboardingId: id,
      offerExpiresAt: NEW_EXPIRY,
      actor: SALES_ACTOR,
    });
    await flow.idle();

    // Assess
    expect(result).toEqual({
      ok: true,
      offerId: before?.offer?.offerId,
      offerExpiresAt: NEW_EXPIRY,
      previousExpiresAt: before?.offer?.expiresAt,
    });
    const failure = ports.callbacks.calls.find((c) => c.kind === 'failure');
    expect(failure).toMatchObject({ kind: 'failure', error: WORKFLOW_ERRORS.offerExtended });
    expect(JSON.parse(String((failure as { cause: string }).cause))).toEqual({
      actor: SALES_ACTOR,
      offerExpiresAt: NEW_EXPIRY,
    });
    const change = ports.catalog.changeSets.at(-1)?.changes;
    expect(change).toEqual([
      {
        ChangeType: 'UpdateAvailability',
        Entity: { Type: 'Offer@1.0', Identifier: before?.offer?.offerId },
        DetailsDocument: { AvailabilityEndDate: '2025-08-31' },
      },
    ]);
    const after = await ports.onboardings.get(id);
    expect(after?.stage).toBe('AwaitAcceptance');
    expect(after?.offer?.expiresAt).toBe(NEW_EXPIRY);
    const mails = ports.mailer.tagged('offer-notice');
    expect(mails).toHaveLength(notices + 1);
    // the buyer's time zone (Asia/Tokyo for this ja inquiry): 2025-08-31 23:59:59 UTC is 9月1日 8:59 JST
    expect(mails.at(-1)?.text).toContain('2025年9月1日 8:59');
    // it says the offer was extended, and from when (in UTC and the buyer's time)
    expect(mails.at(-1)?.subject).toMatch(/^【プライベートオファーの有効期限を延長しました】/);
    expect(mails.at(-1)?.text).toContain(
      '有効期限を延長しました（延長前: 2025年6月30日 23:59 UTC（日本標準時では 2025年7月1日 8:59））。',
    );
    const task = await ports.tasks.get(id, 'AwaitAcceptance');
    expect(task?.status).toBe('open');
    const timeline = await ports.onboardings.timeline(id);
    const asked = timeline.find((e) => e.action === 'offer-extension-asked');
    expect(asked?.actor).toEqual(SALES_ACTOR);
    expect(asked?.stage).toBe('AwaitAcceptance');
    expect(timeline.find((e) => e.action === 'offer-extension-requested')?.stage).toBe('AwaitAcceptance');
    const left = timeline.find((e) => e.action === 'stage-failed' && e.stage === 'AwaitAcceptance');
    expect(left?.actor).toEqual(SALES_ACTOR);
    expect(left && entryText(left, 'en')).toBe(
      '4–5 Buyer subscribes left to extend the offer; it waits again until the new expiry',
    );
    expect(asked && entryText(asked, 'ja')).toMatch(
      /^購入者の承諾待ちのオファー offer-\S+ の有効期限を 2025-06-30 から 2025-08-31（UTC）に延長しました$/,
    );
    expect(JSON.stringify(timeline)).not.toContain(TOKEN_MARK);
  });

  it.each([
    ['in the past', '2025-02-27T23:59:59Z', 'not_future'],
    ['not after the current expiry', '2025-06-30T23:59:59Z', 'not_after'],
    ['beyond what the workflow can wait', '2026-03-01T23:59:59Z', 'too_late'],
  ])('refuses a new expiry %s on its field, sending nothing', async (_case, offerExpiresAt, kind) => {
    // Prepare
    const flow = new FakeWorkflow();
    const id = await offered(flow);
    const calls = flow.ports.callbacks.calls.length;

    // Act
    const result = await extendOfferWhileWaiting(flow.ports, {
      onboardingId: id,
      offerExpiresAt,
      actor: SALES_ACTOR,
    });

    // Assess
    expect(result).toMatchObject({
      ok: false,
      error: 'invalid-input',
      issues: [{ path: 'offerExpiresAt', kind }],
    });
    expect(flow.ports.callbacks.calls.length).toBe(calls);
  });

  it('refuses support and auditors, an onboarding not waiting for the buyer, and an empty date', async () => {
    // Prepare
    const flow = new FakeWorkflow();
    const waiting = await offered(flow);
    const early = await seedOnboarding(flow);
    const as = (role: string): StaffActor => ({ kind: 'staff', id: `x-${role}`, role }) as StaffActor;

    // Act
    const bySupport = await extendOfferWhileWaiting(flow.ports, {
      onboardingId: waiting,
      offerExpiresAt: NEW_EXPIRY,
      actor: as('support'),
    });
    const byAuditor = await extendOfferWhileWaiting(flow.ports, {
      onboardingId: waiting,
      offerExpiresAt: NEW_EXPIRY,
      actor: as('auditor'),
    });
    const byAdmin = await extendOfferWhileWaiting(flow.ports, {
      onboardingId: waiting,
      offerExpiresAt: NEW_EXPIRY,
      actor: as('admin'),
    });
    const notWaiting = await extendOfferWhileWaiting(flow.ports, {
      onboardingId: early,
      offerExpiresAt: NEW_EXPIRY,
      actor: SALES_ACTOR,
    });
    const empty = await extendOfferWhileWaiting(flow.ports, {
      onboardingId: waiting,
      offerExpiresAt: '',
      actor: SALES_ACTOR,
    });

    // Assess
    expect(bySupport).toEqual({ ok: false, error: 'forbidden', role: 'support' });
    // auditors cannot act at all (the StaffActor contract)
    expect(byAuditor).toMatchObject({ ok: false, error: 'invalid-input', issues: [{ path: 'actor.role' }] });
    expect(byAdmin).toMatchObject({ ok: true, offerExpiresAt: NEW_EXPIRY });
    expect(notWaiting).toEqual({ ok: false, error: 'not-waiting' });
    expect(empty).toMatchObject({ ok: false, error: 'invalid-input', issues: [{ path: 'offerExpiresAt' }] });
  });

  it('a second extension while the first is applied finds no waiting task and sends nothing more', async () => {
    // Prepare
    const flow = new FakeWorkflow();
    const id = await offered(flow);
    await extendOfferWhileWaiting(flow.ports, {
      onboardingId: id,
      offerExpiresAt: NEW_EXPIRY,
      actor: SALES_ACTOR,
    });
    const failures = () => flow.ports.callbacks.calls.filter((c) => c.kind === 'failure').length;
    const sent = failures();

    // Act: before the workflow has moved on (the first extension's ExtendOffer is still to run)
    const second = await extendOfferWhileWaiting(flow.ports, {
      onboardingId: id,
      offerExpiresAt: '2025-09-30T23:59:59Z',
      actor: SALES_ACTOR,
    });
    await flow.idle();

    // Assess
    expect(second).toMatchObject({ ok: false });
    expect(failures()).toBe(sent);
    expect((await flow.ports.onboardings.get(id))?.offer?.expiresAt).toBe(NEW_EXPIRY);
  });

  it('two extensions at the same moment (a double click, two people): one resumes the workflow, once', async () => {
    // Prepare
    const flow = new FakeWorkflow();
    const id = await offered(flow);
    const failures = () => flow.ports.callbacks.calls.filter((c) => c.kind === 'failure').length;
    const before = failures();

    // Act
    const results = await Promise.all([
      extendOfferWhileWaiting(flow.ports, {
        onboardingId: id,
        offerExpiresAt: NEW_EXPIRY,
        actor: SALES_ACTOR,
      }),
      extendOfferWhileWaiting(flow.ports, {
        onboardingId: id,
        offerExpiresAt: '2025-09-30T23:59:59Z',
        actor: { kind: 'staff', id: 'admin', role: 'admin' },
      }),
    ]);
    await flow.idle();

    // Assess
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(failures()).toBe(before + 1);
    expect(
      flow.ports.catalog.changeSets.filter((c) => c.changes[0]?.ChangeType === 'UpdateAvailability'),
    ).toHaveLength(1);
    const winner = results.find((r) => r.ok);
    expect((await flow.ports.onboardings.get(id))?.offer?.expiresAt).toBe(
      winner?.ok ? winner.offerExpiresAt : '',
    );
  });

  it('a SendOfferNotice re-run after a crash between its update and the mail still mails the extended notice (from the record), once', async () => {
    // Prepare: the extension's notice task dies at the mail (the record already holds the new expiry)
    const flow = new FakeWorkflow();
    const { ports } = flow;
    const id = await offered(flow);
    const offerId = (await ports.onboardings.get(id))?.offer?.offerId as string;
    const input = { onboardingId: id, offerId, offerExpiresAt: NEW_EXPIRY, source: 'api' as const };
    ports.mailer.failNext = 1;
    const died = await sendOfferNotice(ports, input).catch((e: Error) => e.message);
    const sent = ports.mailer.tagged('offer-notice').length;

    // Act: the task's retry, then a duplicate run
    await sendOfferNotice(ports, input);
    await sendOfferNotice(ports, input);

    // Assess
    expect(died).toContain('mailer unavailable');
    const mails = ports.mailer.tagged('offer-notice');
    expect(mails).toHaveLength(sent + 1);
    expect(mails.at(-1)?.text).toContain('2025年9月1日 8:59');
    // the extended notice (its subject, and the expiry it replaces), not the first offer mail again
    expect(mails.at(-1)?.subject).toContain('有効期限を延長しました');
    const previous = (await ports.onboardings.get(id))?.offer?.extendedFrom;
    expect(previous).toBeDefined();
    expect(previous).not.toBe(NEW_EXPIRY);
  });

  it('an extension whose change set fails waits for the buyer again until the old expiry and tells sales on the timeline (ja/en)', async () => {
    // Prepare
    const flow = new FakeWorkflow();
    const { ports } = flow;
    const id = await offered(flow);
    const before = await ports.onboardings.get(id);
    ports.catalog.failNextWith = { code: 'INVALID_DATE', message: 'AvailabilityEndDate is not valid' };

    // Act
    await extendOfferWhileWaiting(ports, {
      onboardingId: id,
      offerExpiresAt: NEW_EXPIRY,
      actor: SALES_ACTOR,
    });
    await flow.idle();

    // Assess
    const after = await ports.onboardings.get(id);
    expect(after?.stage).toBe('AwaitAcceptance');
    expect(after?.offer?.expiresAt).toBe(before?.offer?.expiresAt);
    const tasks = await ports.tasks.list(id);
    expect(tasks.filter((t) => t.stage === 'OfferFailed')).toEqual([]);
    expect(tasks.find((t) => t.stage === 'AwaitAcceptance')).toMatchObject({ status: 'open', openCount: 2 });
    const told = (await ports.onboardings.timeline(id)).find((e) => e.action === 'offer-extension-failed');
    expect(told?.stage).toBe('AwaitAcceptance');
    const kept = String(before?.offer?.expiresAt).slice(0, 10);
    expect(told && entryText(told, 'en')).toBe(
      `Extending offer ${before?.offer?.offerId} to 2025-08-31 (UTC) failed (Onboarding.OfferFailed): the offer stays open until ${kept} (UTC) and the buyer is waited for until then`,
    );
    expect(told && entryText(told, 'ja')).toContain(`${kept}（UTC）まで有効のままで`);
  });

  it('the latest expiry is 363 days after the onboarding started, end of day UTC', () => {
    expect(latestOfferExpiry('2025-03-01T09:00:00.000Z')).toBe('2026-02-27T23:59:59Z');
  });
});

describe('the new expiry messages, in the reader language', () => {
  it.each([
    ['ja', 'not_after', 'オファーの有効期限には現在の有効期限（2025-06-30）より後の日付を指定してください。'],
    ['en', 'not_after', 'Offer expiry must be after the current expiry (2025-06-30).'],
    ['ja', 'too_late', 'オファーの有効期限には2026-02-27までの日付を指定してください。'],
    ['en', 'too_late', 'Offer expiry must be on or before 2026-02-27.'],
    ['ja', 'not_future', 'オファーの有効期限には今より後の日時を指定してください。'],
    ['en', 'not_future', 'Offer expiry must be in the future.'],
  ] as const)('%s %s', (locale, kind, sentence) => {
    // Prepare
    const limit = kind === 'not_after' ? '2025-06-30' : kind === 'too_late' ? '2026-02-27' : undefined;

    // Act
    const text = fieldMessage(locale, {
      path: 'offerExpiresAt',
      message: 'developer words',
      kind,
      ...(limit ? { limit } : {}),
    });

    // Assess
    expect(text).toBe(sentence);
  });
});
