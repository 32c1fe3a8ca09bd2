import { describe, expect, it } from 'vitest';
import type { HumanTaskView } from '../../tasks/domain/human-task.js';
import { newOnboarding, type Onboarding } from '../../tasks/domain/onboarding.js';
import { entry, type TimelineEntry } from '../../tasks/domain/timeline.js';
import { MAIN_PATH, type StepperRow, stepperRows } from '../../web/console/stepper.js';
import {
  type Actor,
  assigneeOf,
  type HumanStage,
  numberedLabel,
  STAGES,
  type Stage,
  stageEntry,
} from '../../workflows/contracts/index.js';

const ID = 'onb-stepper0001';
const SYS: Actor = { kind: 'system', id: 'test' };
const SALES: Actor = { kind: 'staff', id: 'sam', role: 'sales', name: 'Sam' };
const MAIN = MAIN_PATH.map((r) => r.stage);

function onboarding(over: Partial<Onboarding>): Onboarding {
  const base = newOnboarding({
    id: ID,
    at: '2026-12-01T00:00:00Z',
    inquiry: {
      company: 'Example KK',
      contactName: 'Taro',
      email: 'taro@example.com',
      awsAccountId: '123456789012',
      plan: 'standard',
      locale: 'en',
    } as Onboarding['inquiry'],
  });
  return { ...base, ...over };
}

let minute = 0;
const at = () => `2026-12-01T00:${String(minute++ % 60).padStart(2, '0')}:00Z`;
const note = (stage: Stage, action = 'done', actor: Actor = SYS): TimelineEntry =>
  entry(ID, at(), actor, stage, action, `${stage} ${action}`);
const task = (
  stage: HumanStage,
  status: HumanTaskView['status'],
  context?: Record<string, unknown>,
): HumanTaskView => ({
  onboardingId: ID,
  stage,
  status,
  assignee: assigneeOf(stage),
  openedAt: at(),
  dueAt: '2026-12-31T00:00:00Z',
  openCount: 1,
  ...(status === 'open' ? {} : { completedAt: at() }),
  ...(context ? { context } : {}),
});

const states = (rows: readonly StepperRow[]) => Object.fromEntries(rows.map((r) => [r.stage, r.state]));
const order = (rows: readonly StepperRow[]) => rows.map((r) => r.stage);

describe("console stepper: the registry's stages and side paths", () => {
  it('shows every main stage once in order, and the side path it stands on once, for every stage of the registry', () => {
    // Prepare: every stage an onboarding can stand at (the deal's stages, Renewal and AdvisoryReview, leave it where
    // it ended: the deal view shows them)
    const stages = STAGES.filter((s) => stageEntry(s).kind !== 'choice' && stageEntry(s).path !== 'deal');

    for (const stage of stages) {
      const ended = stageEntry(stage).terminal;
      const o = onboarding({
        stage,
        status: stage === 'Completed' ? 'completed' : ended ? 'closed' : 'active',
        ...(stage === 'Closed' || stage === 'SubscriptionFailed'
          ? { end: { outcome: 'closed', reason: 'r', stage: 'Consultation', at: at() } }
          : {}),
      });

      // Act
      const rows = stepperRows(o, [], [note('Inquiry', 'inquiry-recorded')]);

      // Assess
      const main = order(rows).filter((s) => MAIN.includes(s));
      expect(main, stage).toEqual(MAIN);
      expect(
        order(rows).filter((s) => s === stage),
        stage,
      ).toHaveLength(1);
      expect(rows.filter((r) => r.state === 'current').length, stage).toBe(o.status === 'active' ? 1 : 0);
      if (o.status === 'active' && MAIN.includes(stage)) expect(states(rows)[stage], stage).toBe('current');
      // a side path never shows below the end of the procedure: an end shows right after the stage it ended at
      if (o.end) expect(order(rows).indexOf(stage), stage).toBe(order(rows).indexOf('Consultation') + 1);
      else expect(order(rows).at(-1), stage).toBe('Completed');
    }
  });

  it('a completed onboarding: every stage done (the completion e-mail too), the branch not taken skipped, nothing "not reached"', () => {
    // Prepare
    const o = onboarding({ stage: 'Completed', status: 'completed' });
    const timeline = [
      note('Inquiry', 'inquiry-recorded'),
      note('CreateOffer', 'offer-ready'),
      note('SendOfferNotice', 'offer-notified'),
      note('CreateAccount', 'account-created'),
      note('ActivatePaidPlan', 'paid-plan-activated'),
      note('Completed', 'completed'),
      // the deal's signals after the sale are recorded at Completed too
      note('Completed', 'signal-agreement-ending'),
    ];
    const tasks = [
      task('Consultation', 'completed'),
      task('AwaitAcceptance', 'completed'),
      task('AccountSetup', 'completed'),
      task('Registration', 'completed'),
    ];

    // Act
    const rows = stepperRows(o, tasks, timeline);

    // Assess
    expect(states(rows)).toEqual({
      Inquiry: 'done',
      Consultation: 'done',
      CreateOffer: 'done',
      SendOfferNotice: 'done',
      AwaitAcceptance: 'done',
      AccountSetup: 'done',
      Registration: 'done',
      CreateAccount: 'done',
      AccountSelection: 'skipped',
      ActivatePaidPlan: 'done',
      NotifyCompletion: 'done',
      Completed: 'done',
    });
    expect(rows.map((r) => r.meta).join('|')).not.toContain('not reached');
    expect(rows.find((r) => r.stage === 'Completed')?.meta).toContain('Completed completed');
    expect(rows.find((r) => r.stage === 'Completed')?.meta).not.toContain('signal-agreement-ending');
  });

  it('a manual offer skips creating one', () => {
    // Prepare
    const o = onboarding({ stage: 'AwaitAcceptance' });

    // Act
    const rows = stepperRows(
      o,
      [task('Consultation', 'completed'), task('AwaitAcceptance', 'open')],
      [note('SendOfferNotice', 'offer-notified')],
    );

    // Assess
    expect(states(rows)).toMatchObject({
      Consultation: 'done',
      CreateOffer: 'skipped',
      SendOfferNotice: 'done',
      AwaitAcceptance: 'current',
      AccountSetup: 'todo',
      Completed: 'todo',
    });
  });

  it('a failed offer: "Create the offer" failed, the side path right below it, not below Completed', () => {
    // Prepare
    const o = onboarding({ stage: 'OfferFailed' });
    const timeline = [note('CreateOffer', 'offer-requested'), note('CreateOffer', 'offer-failed')];

    // Act
    const rows = stepperRows(o, [task('Consultation', 'completed'), task('OfferFailed', 'open')], timeline);

    // Assess
    expect(states(rows)).toMatchObject({
      Consultation: 'done',
      CreateOffer: 'failed',
      OfferFailed: 'current',
    });
    expect(order(rows).indexOf('OfferFailed')).toBe(order(rows).indexOf('CreateOffer') + 1);
    expect(order(rows).at(-1)).toBe('Completed');
    expect(rows.find((r) => r.stage === 'OfferFailed')?.side).toBe(true);
  });

  it('a retry after the failed offer: creating it again is current, the failure stays below it as done', () => {
    // Prepare
    const o = onboarding({ stage: 'CreateOffer' });
    const timeline = [note('CreateOffer', 'offer-failed'), note('CreateOffer', 'offer-requested')];

    // Act
    const rows = stepperRows(
      o,
      [task('Consultation', 'completed'), task('OfferFailed', 'completed')],
      timeline,
    );

    // Assess
    expect(states(rows)).toMatchObject({
      CreateOffer: 'current',
      OfferFailed: 'done',
      SendOfferNotice: 'todo',
    });
    expect(order(rows).indexOf('OfferFailed')).toBe(order(rows).indexOf('CreateOffer') + 1);
  });

  it("an expired offer: the buyer's subscription stage failed, the decision below it", () => {
    // Prepare
    const o = onboarding({ stage: 'OfferExpired' });
    const tasks = [
      task('Consultation', 'completed'),
      task('AwaitAcceptance', 'timed-out'),
      task('OfferExpired', 'open'),
    ];

    // Act
    const rows = stepperRows(o, tasks, [note('CreateOffer', 'offer-ready'), note('SendOfferNotice')]);

    // Assess
    expect(states(rows)).toMatchObject({
      AwaitAcceptance: 'failed',
      OfferExpired: 'current',
      AccountSetup: 'todo',
    });
    expect(order(rows).indexOf('OfferExpired')).toBe(order(rows).indexOf('AwaitAcceptance') + 1);
  });

  it("a timed-out stage: the stage the escalation names failed, support's escalation below it", () => {
    // Prepare
    const o = onboarding({ stage: 'StageTimedOut' });
    const tasks = [
      task('Consultation', 'completed'),
      task('AwaitAcceptance', 'completed'),
      task('AccountSetup', 'completed'),
      task('Registration', 'timed-out'),
      task('StageTimedOut', 'open', { stage: 'Registration', kind: 'timed-out' }),
    ];

    // Act
    const rows = stepperRows(o, tasks, [note('CreateOffer', 'offer-ready'), note('SendOfferNotice')]);

    // Assess
    expect(states(rows)).toMatchObject({
      AccountSetup: 'done',
      Registration: 'failed',
      StageTimedOut: 'current',
      CreateAccount: 'todo',
    });
    expect(order(rows).indexOf('StageTimedOut')).toBe(order(rows).indexOf('Registration') + 1);
  });

  it('closed at the failed offer: the failure, the decision and the end in a row; later stages not reached', () => {
    // Prepare
    const o = onboarding({
      stage: 'Closed',
      status: 'closed',
      end: { outcome: 'closed', reason: 'Gave up', stage: 'OfferFailed', at: at() },
    });
    const tasks = [
      task('Consultation', 'completed'),
      { ...task('OfferFailed', 'completed'), completedBy: SALES },
    ];

    // Act
    const rows = stepperRows(o, tasks, [note('CreateOffer', 'offer-failed'), note('Closed', 'closed')]);

    // Assess
    expect(order(rows).slice(2, 5)).toEqual(['CreateOffer', 'OfferFailed', 'Closed']);
    expect(states(rows)).toMatchObject({
      CreateOffer: 'failed',
      OfferFailed: 'done',
      Closed: 'failed',
      SendOfferNotice: 'unreached',
      Completed: 'unreached',
    });
    expect(rows.find((r) => r.stage === 'Closed')?.meta).toContain('Gave up');
    expect(rows.filter((r) => r.state === 'current')).toEqual([]);
  });

  it("says where a closed onboarding ended in the reader's language; a deal step after completion adds no row", () => {
    // Prepare
    const closed = onboarding({
      stage: 'Closed',
      status: 'closed',
      end: { outcome: 'closed', reason: '予算なし', stage: 'OfferFailed', at: '2026-12-01T09:00:00Z' },
    });
    const completed = onboarding({ stage: 'Completed', status: 'completed' });

    // Act
    const ja = stepperRows(closed, [task('OfferFailed', 'completed')], [], 'ja');
    const withRenewal = stepperRows(
      completed,
      [task('Renewal', 'open')],
      [note('Inquiry', 'inquiry-recorded')],
    );

    // Assess
    expect(ja.find((r) => r.stage === 'Closed')?.meta).toBe(
      `2026-12-01 09:00 UTC、${numberedLabel('OfferFailed', 'ja')}で終了: 予算なし（closed）`,
    );
    expect(order(withRenewal)).toEqual(MAIN);
    expect(withRenewal.filter((r) => r.state === 'current')).toEqual([]);
  });

  it('a subscription that failed while waiting for the buyer: closed there, nothing after it reached', () => {
    // Prepare
    const o = onboarding({
      stage: 'Closed',
      status: 'closed',
      end: { outcome: 'subscription-failed', reason: 'unsubscribe', stage: 'AccountSetup', at: at() },
    });
    const tasks = [
      task('Consultation', 'completed'),
      task('AwaitAcceptance', 'completed'),
      task('AccountSetup', 'failed'),
    ];

    // Act
    const rows = stepperRows(o, tasks, [note('CreateOffer', 'offer-ready'), note('SendOfferNotice')]);

    // Assess
    expect(states(rows)).toMatchObject({
      AwaitAcceptance: 'done',
      AccountSetup: 'failed',
      Closed: 'failed',
      Registration: 'unreached',
    });
    expect(order(rows).indexOf('Closed')).toBe(order(rows).indexOf('AccountSetup') + 1);
  });
});
