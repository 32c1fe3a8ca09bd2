import { describe, expect, it } from 'vitest';
import { CLAIM_STALE_MS } from '../../../tasks/domain/human-task.js';
import { closeOnboarding } from '../../../tasks/use-cases/close-onboarding.js';
import { completeHumanStage } from '../../../tasks/use-cases/complete-human-stage.js';
import { openHumanTask } from '../../../tasks/use-cases/open-human-task.js';
import {
  buyer,
  capturingLogger,
  everythingSent,
  newToken,
  opened,
  placeAt,
  recorded,
  sales,
  setup,
  support,
  terms,
} from './helpers.js';

describe('openHumanTask', () => {
  it('keeps the token server side, moves the stage and tells sales with a console link (never the token)', async () => {
    const ports = setup();
    const id = await recorded(ports);

    const { token, completedAtOnce } = await opened(ports, id, 'Consultation');

    expect(completedAtOnce).toBe(false);
    expect((await ports.tasks.get(id, 'Consultation'))?.taskToken).toBe(token);
    expect((await ports.onboardings.get(id))?.stage).toBe('Consultation');
    const mail = ports.mailer.tagged('staff-task:Consultation');
    expect(mail).toHaveLength(1);
    expect(mail[0]?.to).toEqual(['sales@vendor.example']);
    expect(mail[0]?.text).toContain(`http://127.0.0.1:8080/console/onboardings/${id}`);
    expect(everythingSent(ports)).not.toContain(token);
  });

  it('keeps the task open when the staff e-mail cannot be sent', async () => {
    const ports = setup();
    const id = await recorded(ports);
    ports.mailer.failNext = 1;

    const { completedAtOnce } = await opened(ports, id, 'Consultation');

    expect(completedAtOnce).toBe(false);
    expect((await ports.tasks.get(id, 'Consultation'))?.status).toBe('open');
    expect(ports.mailer.tagged('staff-task:Consultation')).toHaveLength(0);
  });

  it('sends support the StageTimedOut task with what timed out', async () => {
    const ports = setup();
    const id = await recorded(ports);
    await opened(ports, id, 'Consultation');

    await opened(ports, id, 'StageTimedOut', { timedOutStage: 'Consultation', error: 'States.Timeout' });

    const mail = ports.mailer.tagged('staff-task:StageTimedOut');
    expect(mail[0]?.to).toEqual(['support@vendor.example']);
    expect(mail[0]?.text).toContain('timedOutStage: Consultation');
  });

  it('does not e-mail anyone for buyer stages', async () => {
    const ports = setup();
    const id = await recorded(ports);
    const before = ports.mailer.outbox.length;

    await opened(ports, id, 'Consultation');
    await placeAt(ports, id, 'SendOfferNotice');
    await opened(ports, id, 'AwaitAcceptance');

    expect(ports.mailer.outbox.length).toBe(before + 1);
  });

  it('is idempotent when the same task is opened twice (Lambda retry)', async () => {
    const ports = setup();
    const id = await recorded(ports);
    const token = newToken();
    ports.callbacks.waiting(token);
    const input = {
      onboardingId: id,
      stage: 'Consultation',
      taskToken: token,
      dueAt: '2025-04-08T00:00:00Z',
    };

    await openHumanTask(ports, input);
    await openHumanTask(ports, input);

    expect(ports.mailer.tagged('staff-task:Consultation')).toHaveLength(1);
    expect((await ports.tasks.get(id, 'Consultation'))?.openCount).toBe(1);
  });

  it('reads the onboarding record once per opening (the record it checked is the one it moves)', async () => {
    const ports = setup();
    const id = await recorded(ports);
    const reads: string[] = [];
    const get = ports.onboardings.get.bind(ports.onboardings);
    ports.onboardings.get = (onboardingId: string) => {
      reads.push(onboardingId);
      return get(onboardingId);
    };

    await opened(ports, id, 'Consultation');

    expect(reads).toEqual([id]);
    expect((await get(id))?.stage).toBe('Consultation');
  });

  it('still moves the stage when someone saved the record between its read and its write', async () => {
    const ports = setup();
    const id = await recorded(ports);
    const get = ports.onboardings.get.bind(ports.onboardings);
    let first = true;
    ports.onboardings.get = async (onboardingId: string) => {
      const o = await get(onboardingId);
      if (first && o) {
        first = false;
        await ports.onboardings.save({ ...o, plan: 'Enterprise' }); // a concurrent writer
      }
      return o;
    };

    await opened(ports, id, 'Consultation');

    expect(await get(id)).toMatchObject({ stage: 'Consultation', plan: 'Enterprise' });
  });

  it('keeps no token in the context it stores and mails (a caught cause may quote a payload)', async () => {
    const ports = setup();
    const id = await recorded(ports);
    const { token: leaked } = await opened(ports, id, 'Consultation');
    const cause = JSON.stringify({ errorMessage: `bad payload ${JSON.stringify({ taskToken: leaked })}` });

    await opened(ports, id, 'StageTimedOut', { stage: 'Consultation', error: 'Lambda.Unknown', cause });

    const task = await ports.tasks.get(id, 'StageTimedOut');
    expect(JSON.stringify(task?.context)).not.toContain(leaked);
    expect(JSON.stringify(task?.context)).toContain('bad payload');
    expect(everythingSent(ports)).not.toContain(leaked);
  });

  it('never echoes the token when the payload is invalid', async () => {
    const ports = setup();
    const token = newToken();
    const { lines, log } = capturingLogger();
    ports.log = log;

    const error = await openHumanTask(ports, {
      onboardingId: 'bad',
      stage: 'Consultation',
      taskToken: token,
      dueAt: 'x',
    }).catch((e: Error) => e);

    expect(String(error)).toContain('open-human-task: invalid input');
    expect(String(error)).not.toContain(token);
    expect(lines.join('\n')).not.toContain(token);
  });
});

describe('completeHumanStage', () => {
  it('validates, resumes the workflow with the agreed terms and records who acted', async () => {
    // Prepare
    const ports = setup();
    const id = await recorded(ports);
    const { token } = await opened(ports, id, 'Consultation');

    // Act
    const r = await completeHumanStage(ports, {
      onboardingId: id,
      actor: sales,
      stage: 'Consultation',
      payload: terms(),
    });

    // Assess
    expect(r).toEqual({ ok: true, outcome: 'completed', stage: 'Consultation' });
    expect(ports.callbacks.successes()).toHaveLength(1);
    expect(ports.callbacks.successes()[0]).toMatchObject({
      token,
      output: { actor: sales, plan: 'Enterprise', durationMonths: 12 },
    });
    const task = await ports.tasks.get(id, 'Consultation');
    expect(task).toMatchObject({ status: 'completed', completedBy: sales, outcome: 'success' });
    expect((await ports.onboardings.get(id))?.terms?.offerName).toBe('Enterprise annual');
    expect(
      (await ports.onboardings.timeline(id)).some(
        (e) => e.action === 'stage-completed' && e.actor.kind === 'staff',
      ),
    ).toBe(true);
  });

  it('names the bad field and sends nothing', async () => {
    // Prepare
    const ports = setup();
    const id = await recorded(ports);
    await opened(ports, id, 'Consultation');

    // Act
    const r = await completeHumanStage(ports, {
      onboardingId: id,
      actor: sales,
      stage: 'Consultation',
      payload: { ...terms(), dimensions: [{ key: 'Users', price: 'twelve' }], durationMonths: 0 },
    });

    // Assess
    expect(r).toMatchObject({ ok: false, error: 'invalid-input' });
    if (r.ok || r.error !== 'invalid-input') throw new Error('expected invalid-input');
    expect(r.issues).toEqual(
      expect.arrayContaining([
        {
          path: 'dimensions.0.price',
          message: 'dimensions[].price must be a decimal amount like 1200.00',
          kind: 'format',
          format: 'regex',
        },
        { path: 'durationMonths', message: 'durationMonths must be at least 1', kind: 'too_small', limit: 1 },
      ]),
    );
    expect(ports.callbacks.calls).toHaveLength(0);
    expect((await ports.tasks.get(id, 'Consultation'))?.status).toBe('open');
  });

  it('the authenticated actor wins over an actor in the payload; auditors cannot act', async () => {
    const ports = setup();
    const id = await recorded(ports);
    await opened(ports, id, 'Consultation');

    const auditor = await completeHumanStage(ports, {
      onboardingId: id,
      stage: 'Consultation',
      payload: terms(),
      actor: { kind: 'staff', id: 'audit', role: 'auditor' as never },
    });
    const spoofed = await completeHumanStage(ports, {
      onboardingId: id,
      stage: 'Consultation',
      payload: { ...terms(), actor: { kind: 'staff', id: 'someone-else', role: 'admin' } },
      actor: sales,
    });

    expect(auditor).toMatchObject({ ok: false, error: 'invalid-input', issues: [{ path: 'actor.role' }] });
    expect(spoofed.ok).toBe(true);
    expect(ports.callbacks.successes()[0]?.output).toMatchObject({ actor: sales });
  });

  it('advances at most once on a double click (sequential and concurrent)', async () => {
    // Prepare
    const ports = setup();
    const id = await recorded(ports);
    await opened(ports, id, 'Consultation');
    const submit = () =>
      completeHumanStage(ports, { onboardingId: id, actor: sales, stage: 'Consultation', payload: terms() });

    // Act
    const [a, b] = await Promise.all([submit(), submit()]);
    const c = await submit();

    // Assess
    expect([a, b].filter((r) => r.ok)).toHaveLength(1);
    // the concurrent loser is told the stage is being completed right now, or already was
    expect(['in-progress', 'already-completed']).toContain(
      (([a, b].find((r) => !r.ok) ?? {}) as { error?: string }).error,
    );
    expect(c).toEqual({ ok: false, error: 'already-completed' });
    expect(ports.callbacks.successes()).toHaveLength(1);
  });

  it('maps TaskTimedOut, an unknown token and a stage that is not waiting to clear outcomes', async () => {
    // Prepare
    const ports = setup();
    const id = await recorded(ports);
    const { token } = await opened(ports, id, 'Consultation');
    ports.callbacks.expire(token);
    ports.clock.advance(8 * 24 * 3600 * 1000); // past the due date (7 days)

    // Act
    const timedOut = await completeHumanStage(ports, {
      onboardingId: id,
      actor: sales,
      stage: 'Consultation',
      payload: terms(),
    });
    const notOpen = await completeHumanStage(ports, {
      onboardingId: id,
      stage: 'OfferFailed',
      payload: { action: 'close', reason: 'x' },
      actor: sales,
    });
    const missing = await completeHumanStage(ports, {
      onboardingId: 'onb-doesnotexist',
      actor: sales,
      stage: 'Consultation',
      payload: terms(),
    });

    // Assess
    expect(timedOut).toEqual({ ok: false, error: 'timed-out' });
    expect((await ports.tasks.get(id, 'Consultation'))?.status).toBe('timed-out');
    expect(notOpen).toEqual({ ok: false, error: 'not-open' });
    expect(missing).toEqual({ ok: false, error: 'not-found' });

    const other = await recorded(ports);
    const { token: gone } = await opened(ports, other, 'Consultation');
    ports.callbacks.tokens.delete(gone); // Step Functions no longer knows it (TaskDoesNotExist)
    expect(
      await completeHumanStage(ports, {
        onboardingId: other,
        actor: sales,
        stage: 'Consultation',
        payload: terms(),
      }),
    ).toEqual({
      ok: false,
      error: 'not-open',
    });
  });

  it('TaskTimedOut before the due date means the task was closed another way: not-open', async () => {
    // Prepare
    const ports = setup();
    const id = await recorded(ports);
    const { token } = await opened(ports, id, 'Consultation');
    ports.callbacks.expire(token);

    // Act
    const r = await completeHumanStage(ports, {
      onboardingId: id,
      actor: sales,
      stage: 'Consultation',
      payload: terms(),
    });

    // Assess
    expect(r).toEqual({ ok: false, error: 'not-open' });
    expect((await ports.tasks.get(id, 'Consultation'))?.status).toBe('gone');
  });

  it('releases the claim when Step Functions fails transiently, so the person can retry', async () => {
    // Prepare
    const ports = setup();
    const id = await recorded(ports);
    await opened(ports, id, 'Consultation');
    ports.callbacks.throwNext = new Error('ServiceUnavailable');

    // Act
    await expect(
      completeHumanStage(ports, { onboardingId: id, actor: sales, stage: 'Consultation', payload: terms() }),
    ).rejects.toThrow('ServiceUnavailable');
    const retry = await completeHumanStage(ports, {
      onboardingId: id,
      actor: sales,
      stage: 'Consultation',
      payload: terms(),
    });

    // Assess
    expect(retry.ok).toBe(true);
    expect(ports.callbacks.successes()).toHaveLength(1);
  });

  it('tells a buyer retrying after a crash that the stage is still processing (not complete) until the dead claim lapses', async () => {
    // Prepare: a completion claimed the task, then its process died before it sent anything
    const ports = setup();
    const id = await recorded(ports);
    await placeAt(ports, id, 'AccountSetup');
    const { token } = await opened(ports, id, 'Registration');
    const at = ports.clock.now().toISOString();
    expect(await ports.tasks.claim(id, 'Registration', token, at, at)).toBe(true);
    const registration = { kind: 'new', accountName: 'Example 本番', email: 'buyer@example.co.jp' };
    const buyer = { kind: 'buyer', id: 'buyer-1' } as const;

    // Act
    const meanwhile = await completeHumanStage(ports, {
      onboardingId: id,
      actor: buyer,
      stage: 'Registration',
      payload: registration,
    });
    ports.clock.advance(CLAIM_STALE_MS + 1);
    const later = await completeHumanStage(ports, {
      onboardingId: id,
      actor: buyer,
      stage: 'Registration',
      payload: registration,
    });

    // Assess
    expect(meanwhile).toEqual({ ok: false, error: 'in-progress' });
    expect(CLAIM_STALE_MS).toBeLessThanOrEqual(30_000);
    expect(later).toMatchObject({ ok: true, outcome: 'completed', stage: 'Registration' });
    expect(ports.callbacks.successes()).toHaveLength(1);
  });

  it('refuses a staff actor at a buyer stage', async () => {
    const ports = setup();
    const id = await recorded(ports);
    await placeAt(ports, id, 'AccountSetup');
    await opened(ports, id, 'Registration');

    const r = await completeHumanStage(ports, {
      onboardingId: id,
      stage: 'Registration',
      payload: { kind: 'new', accountName: 'Prod', email: 'a@b.example' },
      actor: sales,
    });

    expect(r).toMatchObject({ ok: false, error: 'invalid-input', issues: [{ path: 'actor.kind' }] });
    expect(ports.callbacks.calls).toHaveLength(0);
    const ok = await completeHumanStage(ports, {
      onboardingId: id,
      stage: 'Registration',
      payload: { kind: 'new', accountName: 'Prod', email: 'a@b.example' },
      actor: buyer(),
    });
    expect(ok.ok).toBe(true);
    expect((await ports.onboardings.get(id))?.registration).toEqual({
      kind: 'new',
      accountName: 'Prod',
      email: 'a@b.example',
    });
  });

  it('signs the nested terms of an OfferFailed retry with the authenticated actor', async () => {
    // Prepare
    const ports = setup();
    const id = await recorded(ports);
    await placeAt(ports, id, 'CreateOffer');
    await opened(ports, id, 'OfferFailed', { stage: 'CreateOffer', error: 'Onboarding.OfferFailed' });
    const { actor: _none, ...unsigned } = terms({ durationMonths: 24 });

    // Act
    const r = await completeHumanStage(ports, {
      onboardingId: id,
      actor: sales,
      stage: 'OfferFailed',
      payload: { action: 'retry', terms: unsigned },
    });

    // Assess
    expect(r.ok).toBe(true);
    expect(ports.callbacks.successes()[0]?.output).toMatchObject({
      action: 'retry',
      actor: sales,
      terms: { actor: sales, durationMonths: 24 },
    });
  });

  it('support re-opens a timed-out stage', async () => {
    // Prepare
    const ports = setup();
    const id = await recorded(ports);
    await opened(ports, id, 'Consultation');
    await opened(ports, id, 'StageTimedOut', { timedOutStage: 'Consultation' });

    // Act
    const r = await completeHumanStage(ports, {
      onboardingId: id,
      actor: support,
      stage: 'StageTimedOut',
      payload: { action: 'reopen', note: 'customer is back' },
    });

    // Assess
    expect(r.ok).toBe(true);
    expect(ports.callbacks.successes()[0]?.output).toEqual({
      action: 'reopen',
      actor: support,
      note: 'customer is back',
    });
  });
});

describe('closeOnboarding', () => {
  it('fails the waiting task with Onboarding.Closed and the CloseRequest as cause', async () => {
    const ports = setup();
    const id = await recorded(ports);
    const { token } = await opened(ports, id, 'Consultation');

    const r = await closeOnboarding(ports, {
      onboardingId: id,
      reason: 'The customer chose another vendor',
      actor: support,
    });

    expect(r).toEqual({ ok: true, outcome: 'closed', stage: 'Consultation' });
    const failure = ports.callbacks.failures()[0];
    expect(failure).toMatchObject({ token, error: 'Onboarding.Closed' });
    expect(JSON.parse(failure?.kind === 'failure' ? failure.cause : '{}')).toEqual({
      actor: support,
      reason: 'The customer chose another vendor',
    });
    expect(await ports.tasks.get(id, 'Consultation')).toMatchObject({
      status: 'failed',
      completedBy: support,
    });
  });

  it('closes a task whose completion died while sending (stale claim), not one being sent right now', async () => {
    const ports = setup();
    const id = await recorded(ports);
    const { token } = await opened(ports, id, 'Consultation');
    const at = ports.clock.now().toISOString();
    expect(await ports.tasks.claim(id, 'Consultation', token, at, at)).toBe(true);

    const whileSending = await closeOnboarding(ports, { onboardingId: id, reason: 'lost', actor: support });
    ports.clock.advance(2 * 60_000);
    const afterCrash = await closeOnboarding(ports, { onboardingId: id, reason: 'lost', actor: support });

    expect(whileSending).toEqual({ ok: false, error: 'in-progress', stage: 'Consultation' });
    expect(afterCrash).toEqual({ ok: true, outcome: 'closed', stage: 'Consultation' });
    expect(ports.callbacks.failures()).toHaveLength(1);
    expect(ports.callbacks.failures()[0]).toMatchObject({ token, error: 'Onboarding.Closed' });
  });

  it('needs a reason, and says when no stage waits', async () => {
    const ports = setup();
    const id = await recorded(ports);

    const noReason = await closeOnboarding(ports, { onboardingId: id, reason: '  ', actor: support });
    const notWaiting = await closeOnboarding(ports, {
      onboardingId: id,
      reason: 'duplicate inquiry',
      actor: support,
    });

    expect(noReason).toMatchObject({
      ok: false,
      error: 'invalid-input',
      issues: [{ path: 'reason', message: 'reason is required' }],
    });
    expect(notWaiting).toEqual({ ok: false, error: 'not-open' });
    expect(ports.callbacks.calls).toHaveLength(0);
  });
});

describe('closeOnboarding with deal steps waiting', () => {
  /** Opens a deal step (the lifecycle workflow's task, one per execution) and returns its token. */
  const dealStep = async (
    ports: ReturnType<typeof setup>,
    id: string,
    stage: 'Renewal' | 'AdvisoryReview',
    instance: string,
  ) => {
    const token = newToken();
    ports.callbacks.waiting(token);
    const dueAt = new Date(ports.clock.now().getTime() + 30 * 86_400_000).toISOString();
    await openHumanTask(ports, { onboardingId: id, stage, taskToken: token, dueAt, instance });
    return token;
  };

  it("closes the onboarding's own waiting stage, not a deal step that opened after it", async () => {
    // Prepare: support's escalation of the onboarding waits, then a renewal opens
    const ports = setup();
    const id = await recorded(ports);
    const { token: own } = await opened(ports, id, 'StageTimedOut', { timedOutStage: 'Provisioning' });
    ports.clock.advance(60_000);
    const renewal = await dealStep(ports, id, 'Renewal', 'renewal-exec-1');

    // Act
    const r = await closeOnboarding(ports, { onboardingId: id, reason: 'duplicate', actor: support });

    // Assess
    expect(r).toEqual({ ok: true, outcome: 'closed', stage: 'StageTimedOut' });
    expect(ports.callbacks.failures().map((f) => f.token)).toEqual([own]);
    expect(ports.callbacks.calls.map((c) => c.token)).not.toContain(renewal);
    expect((await ports.tasks.get(id, 'Renewal#renewal-exec-1'))?.status).toBe('open');
  });

  it('refuses a completed onboarding whose deal steps wait, naming them, and sends nothing', async () => {
    // Prepare
    const ports = setup();
    const id = await recorded(ports);
    await placeAt(ports, id, 'Completed', { status: 'completed' });
    await dealStep(ports, id, 'Renewal', 'renewal-exec-1');
    ports.clock.advance(60_000);
    await dealStep(ports, id, 'AdvisoryReview', 'advisory-exec-1');

    // Act
    const r = await closeOnboarding(ports, { onboardingId: id, reason: 'customer left', actor: support });

    // Assess
    expect(r).toEqual({ ok: false, error: 'deal-steps-open', stages: ['Renewal', 'AdvisoryReview'] });
    expect(ports.callbacks.calls).toHaveLength(0);
    const steps = (await ports.tasks.list(id)).map((t) => [t.stage, t.status]);
    expect(steps).toEqual(
      expect.arrayContaining([
        ['Renewal', 'open'],
        ['AdvisoryReview', 'open'],
      ]),
    );
  });
});
