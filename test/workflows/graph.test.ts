/** The stage graph of the rendered definition (ASL, JSONata): shape, reachability, paths out of every stage. */
import jsonata from 'jsonata';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AslState, type AslStateMachine, reachableStates, successors } from '../../workflows/asl.js';
import {
  ONBOARDING_HUMAN_STAGES as HUMAN_STAGES,
  ONBOARDING_STAGES as STAGES,
  STOPPED_BY_SUBSCRIPTION_FAILURE,
  type Stage,
  stageEntry,
  WORKFLOW_ERRORS,
} from '../../workflows/contracts/index.js';
import { renderOnboardingAsl } from '../../workflows/render.js';
import { validateAsl } from './support/asl-validator.js';

let asl: AslStateMachine;
const state = (name: string): AslState => {
  const s = asl.States[name];
  if (!s) throw new Error(`no state ${name}`);
  return s;
};
/** Every state reachable from `from` (inclusive). */
const reachableFrom = (from: string): Set<string> => reachableStates({ ...asl, StartAt: from });
const TOKEN = '{% $states.context.Task.Token %}';

beforeAll(() => {
  asl = renderOnboardingAsl();
});

describe('the onboarding definition', () => {
  it('is JSONata and valid ASL (asl-validator)', () => {
    expect(asl.QueryLanguage).toBe('JSONata');
    const result = validateAsl(asl);
    expect(result.errors ?? [], result.errorsText('\n')).toEqual([]);
    expect(result.isValid).toBe(true);
  });

  it('starts at Inquiry and has one state per stage of the design table', () => {
    expect(asl.StartAt).toBe('Inquiry');
    for (const name of [
      'Inquiry',
      'Consultation',
      'CreateOffer',
      'SendOfferNotice',
      'AwaitAcceptance',
      'AccountSetup',
      'Registration',
      'NewOrExisting',
      'CreateAccount',
      'AccountSelection',
      'ActivatePaidPlan',
      'NotifyCompletion',
      'Completed',
      'OfferFailed',
      'OfferExpired',
      'StageTimedOut',
      'Closed',
      'SubscriptionFailed',
    ]) {
      expect(asl.States, name).toHaveProperty(name);
    }
    expect(state('Completed').Type).toBe('Succeed');
    expect(state('NewOrExisting').Type).toBe('Choice');
  });

  it('reaches every state from StartAt, and every transition names an existing state', () => {
    const all = Object.keys(asl.States);
    expect([...reachableStates(asl)].sort()).toEqual([...all].sort());
    for (const [name, s] of Object.entries(asl.States)) {
      for (const next of successors(s)) expect(asl.States, `${name} → ${next}`).toHaveProperty(next);
    }
  });

  it('ends only in Completed or in Fail states that carry Error and Cause', () => {
    // Act
    const ends = Object.entries(asl.States).filter(([, s]) => successors(s).length === 0);
    const fails = ends.filter(([, s]) => s.Type === 'Fail');

    // Assess
    expect(ends.filter(([, s]) => s.Type !== 'Succeed' && s.Type !== 'Fail').map(([n]) => n)).toEqual([]);
    expect(ends.filter(([, s]) => s.Type === 'Succeed').map(([n]) => n)).toEqual(['Completed']);
    expect(fails.length).toBeGreaterThan(0);
    expect(fails.map(([name, s]) => ({ name, error: s.Error, cause: s.Cause }))).toEqual(
      fails.map(([name]) => ({ name, error: expect.stringMatching(/./), cause: '{% $string($reason) %}' })),
    );
    expect(state('Closed').Error).toBe(WORKFLOW_ERRORS.closed);
    expect(state('SubscriptionFailed').Error).toBe(WORKFLOW_ERRORS.subscriptionFailed);
  });

  it('records why before every Fail state (close-onboarding, whose own failure still reaches the Fail)', () => {
    for (const [name] of Object.entries(asl.States).filter(([, x]) => x.Type === 'Fail')) {
      const recorders = Object.entries(asl.States).filter(([, x]) => x.Next === name);
      expect(recorders.map(([n]) => n)).toEqual([`Record${name}`]);
      const [, record] = recorders[0] as [string, AslState];
      expect(String((record.Arguments as { FunctionName: string }).FunctionName)).toMatch(
        /close-onboarding$/,
      );
      expect(record.Catch?.map((c) => [c.ErrorEquals, c.Next])).toEqual([[['States.ALL'], name]]);
    }
  });

  it('catches every failure of every Task state (nothing ends without its reason)', () => {
    for (const [name, s] of Object.entries(asl.States).filter(([, x]) => x.Type === 'Task')) {
      const caught = (s.Catch ?? []).flatMap((c) => c.ErrorEquals);
      expect(caught, name).toContain('States.ALL');
    }
  });

  it('uses no JSONPath: no $$ context paths, no Parameters/ResultPath/InputPath/OutputPath', () => {
    const text = JSON.stringify(asl);
    expect(text).not.toContain('$$.');
    for (const s of Object.values(asl.States)) {
      for (const field of ['Parameters', 'ResultPath', 'InputPath', 'OutputPath', 'ResultSelector']) {
        expect(s).not.toHaveProperty(field);
      }
    }
  });

  it('writes only JSONata that parses', () => {
    const expressions: string[] = [];
    const collect = (v: unknown): void => {
      if (typeof v === 'string') {
        const m = /^\{%([\s\S]*)%\}$/.exec(v);
        if (m) expressions.push(m[1] as string);
      } else if (Array.isArray(v)) v.forEach(collect);
      else if (v && typeof v === 'object') Object.values(v).forEach(collect);
    };
    collect(asl);
    expect(expressions.length).toBeGreaterThan(50);
    for (const e of expressions) expect(() => jsonata(e), e).not.toThrow();
  });
});

describe('human stages (AwaitHumanStep)', () => {
  /** The stage's own ways out besides the standard ones (AwaitHumanStep's onErrors). */
  const OWN_ERRORS: Partial<Record<string, string[]>> = { AwaitAcceptance: [WORKFLOW_ERRORS.offerExtended] };

  it.each(HUMAN_STAGES)('%s is the await-human-step shape', (stage) => {
    const s = state(stage);
    expect(s.Type).toBe('Task');
    expect(s.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    const args = s.Arguments as { FunctionName: string; Payload: Record<string, unknown> };
    expect(args.FunctionName).toMatch(/:function:onboarding-open-human-task$/);
    expect(args.Payload.taskToken).toBe(TOKEN);
    expect(args.Payload.stage).toBe(stage);
    expect(args.Payload.onboardingId).toBe('{% $states.context.Execution.Input.onboardingId %}');
    expect(String(args.Payload.dueAt)).toMatch(/^\{% \$fromMillis\(\$millis\(\) \+ 1000 \* /);
    // a whole number of seconds, or a JSONata expression of them
    expect(String(s.TimeoutSeconds)).toMatch(/^([1-9]\d*|\{%[\s\S]+%\})$/);
    const own = OWN_ERRORS[stage] ?? [];
    const errors = (s.Catch ?? []).map((c) => c.ErrorEquals.join(','));
    expect(errors).toEqual([
      WORKFLOW_ERRORS.closed,
      WORKFLOW_ERRORS.subscriptionFailed,
      ...own,
      'States.Timeout',
      'States.TaskFailed',
      'States.ALL',
    ]);
    const standard = (s.Catch ?? []).filter((c) => !own.includes(c.ErrorEquals.join(',')));
    expect(standard.map((c) => Object.keys(c.Assign ?? {}))).toEqual(standard.map(() => ['reason']));
    expect(Object.keys(s.Assign ?? {}).length).toBeGreaterThan(0);
  });

  /** Where a human stage goes when it times out. */
  const afterTimeout = (stage: string): string => {
    const timeout = state(stage).Catch?.find((c) => c.ErrorEquals.includes('States.Timeout'));
    if (!timeout) throw new Error(`${stage} catches no States.Timeout`);
    return timeout.Next;
  };

  it.each(HUMAN_STAGES.filter((s) => s !== 'StageTimedOut'))(
    '%s has a timeout path that is not a dead end',
    (stage) => {
      // Act
      const next = afterTimeout(stage);
      const onward = reachableFrom(next);

      // Assess: someone is asked (support, or sales for an expired offer) and the stage can be re-opened from there
      expect(state(next).Type).not.toBe('Fail');
      expect(state(next).Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
      expect(onward.has(stage), `${stage} can be re-opened after its timeout`).toBe(true);
      expect(onward.has('Closed'), `${stage} can be closed after its timeout`).toBe(true);
    },
  );

  it('StageTimedOut left alone is recorded, then ends with its reason', () => {
    // Act
    const next = afterTimeout('StageTimedOut');

    // Assess
    expect(next).toBe('RecordTimedOut');
    expect(reachableFrom(next).has('TimedOut')).toBe(true);
  });

  it('every task-token state passes the JSONata token, and only task-token states do', () => {
    // Prepare
    const isTokenState = (s: AslState) => String(s.Resource).endsWith('.waitForTaskToken');
    const args = (s: AslState) => JSON.stringify(s.Arguments ?? {});

    // Act
    const entries = Object.entries(asl.States);
    const tokenStates = entries.filter(([, s]) => isTokenState(s));

    // Assess
    expect(tokenStates.map(([n]) => n).sort()).toEqual([...HUMAN_STAGES].sort());
    expect(tokenStates.filter(([, s]) => !args(s).includes(JSON.stringify(TOKEN))).map(([n]) => n)).toEqual(
      [],
    );
    expect(
      entries.filter(([, s]) => !isTokenState(s) && args(s).includes('Task.Token')).map(([n]) => n),
    ).toEqual([]);
  });

  it('closed by support at a human stage: close-onboarding, then Fail Closed', () => {
    for (const stage of HUMAN_STAGES) {
      const closed = state(stage).Catch?.find((c) => c.ErrorEquals.includes(WORKFLOW_ERRORS.closed));
      expect(closed?.Next).toBe('RecordClosed');
    }
    expect(state('RecordClosed').Next).toBe('Closed');
  });

  it('AwaitAcceptance times out at the offer expiry and then asks sales about the expired offer', () => {
    const s = state('AwaitAcceptance');
    expect(String(s.TimeoutSeconds)).toContain('$toMillis($offerExpiresAt)');
    expect(s.Catch?.find((c) => c.ErrorEquals.includes('States.Timeout'))?.Next).toBe('OfferExpired');
    const decision = state('OfferExpiredDecision');
    expect(decision.Choices?.map((c) => c.Next)).toEqual(['ExtendOffer', 'CreateOffer', 'RecordClosed']);
    expect(state('ExtendOffer').Next).toBe('WaitForOffer');
  });

  it('sales extends the offer while AwaitAcceptance waits: ExtendOffer with the new expiry, then polling, the notice and AwaitAcceptance again', () => {
    // Act
    const s = state('AwaitAcceptance');
    const extended = s.Catch?.find((c) => c.ErrorEquals.includes(WORKFLOW_ERRORS.offerExtended));
    const order = (s.Catch ?? []).map((c) => c.ErrorEquals[0]);

    // Assess
    expect(extended?.Next).toBe('ExtendOffer');
    expect(extended?.ErrorEquals).toEqual([WORKFLOW_ERRORS.offerExtended]);
    expect(extended?.Assign).toEqual({
      offerExpiresAt: '{% $parse($states.errorOutput.Cause).offerExpiresAt %}',
      keptOfferExpiresAt: '{% $offerExpiresAt %}',
      extendFrom: 'AwaitAcceptance',
    });
    // a failed extension is reported at the stage it came from (here AwaitAcceptance, after OfferExpired that one)
    const failed = state('ExtendOffer').Catch?.find((c) => c.ErrorEquals.includes('States.ALL'));
    expect(String((failed?.Assign as { reason?: string } | undefined)?.reason)).toContain(
      "'stage': $extendFrom",
    );
    expect(state('OfferExpiredDecision').Choices?.[0]?.Assign).toMatchObject({ extendFrom: 'OfferExpired' });
    // caught before the timeout and the catch-alls, which would otherwise take it to support's escalation
    expect(order.indexOf(WORKFLOW_ERRORS.offerExtended)).toBeLessThan(order.indexOf('States.Timeout'));
    expect(order.indexOf(WORKFLOW_ERRORS.offerExtended)).toBeLessThan(order.indexOf('States.ALL'));
    expect(state('ExtendOffer').Next).toBe('WaitForOffer');
    const back = reachableFrom('ExtendOffer');
    expect(back.has('SendOfferNotice')).toBe(true);
    expect(state('SendOfferNotice').Next).toBe('AwaitAcceptance');
    // the timeout is computed from $offerExpiresAt each time the stage opens, so the new expiry counts
    expect(String(s.TimeoutSeconds)).toContain('$toMillis($offerExpiresAt)');
  });

  it('a subscription that fails or is cancelled at AwaitAcceptance/AccountSetup ends in SubscriptionFailed', () => {
    for (const stage of ['AwaitAcceptance', 'AccountSetup']) {
      const c = state(stage).Catch?.find((x) => x.ErrorEquals.includes(WORKFLOW_ERRORS.subscriptionFailed));
      expect(c?.Next).toBe('RecordSubscriptionFailed');
    }
    expect(state('RecordSubscriptionFailed').Next).toBe('SubscriptionFailed');
  });

  it('support can re-open every stage that escalates to it', () => {
    const reopenTargets = (state('TimedOutDecision').Choices ?? [])
      .filter((c) => String(c.Condition).includes("'reopen'"))
      .map((c) => c.Next);
    for (const stage of HUMAN_STAGES.filter((s) => s !== 'StageTimedOut'))
      expect(reopenTargets).toContain(stage);
    // Every state that escalates names a resumeAt that has a re-open rule.
    const escalating = Object.entries(asl.States).flatMap(([, s]) =>
      (s.Catch ?? []).filter((c) => c.Next === 'StageTimedOut').map((c) => String(c.Assign?.reason)),
    );
    expect(escalating.length).toBeGreaterThan(10);
    for (const reason of escalating) {
      const resumeAt = /'resumeAt': '([A-Za-z]+)'/.exec(reason)?.[1];
      expect(reopenTargets, reason).toContain(resumeAt);
    }
  });
});

describe('offer creation and activation', () => {
  it('polls the change set with a bounded loop (Wait + check-offer + Choice)', () => {
    expect(state('CreateOffer').Next).toBe('WaitForOffer');
    expect(state('WaitForOffer').Type).toBe('Wait');
    expect(String(state('WaitForOffer').Seconds)).toMatch(/^\{% \$min\(\[\d+, /);
    expect(state('WaitForOffer').Next).toBe('CheckOffer');
    expect(String((state('CheckOffer').Arguments as { FunctionName: string }).FunctionName)).toMatch(
      /check-offer$/,
    );
    const rules = state('OfferReady').Choices ?? [];
    expect(rules.map((r) => r.Next)).toEqual(['SendOfferNotice', 'OfferChangeFailed', 'OfferChangeFailed']);
    expect(rules[2]?.Condition).toMatch(/^\{% \$polls >= \d+ %\}$/);
    expect(state('OfferReady').Default).toBe('WaitForOffer');
  });

  it('a failed extension asked while the buyer waits goes back to AwaitAcceptance with the old expiry; any other failed change set to OfferFailed', () => {
    // Act
    const where = state('OfferChangeFailed');
    const told = state('ExtensionFailed');
    const payload = (told.Arguments as { Payload: Record<string, unknown> }).Payload;
    // Assess
    expect(where.Choices?.map((c) => [c.Condition, c.Next])).toEqual([
      ["{% $extendFrom = 'AwaitAcceptance' and $type($keptOfferExpiresAt) = 'string' %}", 'ExtensionFailed'],
    ]);
    expect(where.Default).toBe('OfferFailed');
    expect(state('ExtendOffer').Catch?.map((c) => c.Next)).toEqual(['OfferChangeFailed']);
    expect(payload).toMatchObject({
      report: 'failed',
      offerExpiresAt: '{% $keptOfferExpiresAt %}',
      requestedExpiresAt: '{% $offerExpiresAt %}',
    });
    const back = { offerExpiresAt: '{% $keptOfferExpiresAt %}', keptOfferExpiresAt: null, extendFrom: null };
    expect(told.Next).toBe('AwaitAcceptance');
    expect(told.Assign).toEqual(back);
    // telling sales failing does not stop it: the offer is still live
    expect(told.Catch?.map((c) => [c.ErrorEquals, c.Next, c.Assign])).toEqual([
      [['States.ALL'], 'AwaitAcceptance', back],
    ]);
  });

  it('a failed offer goes to sales (retry with amended terms, manual offer id, close)', () => {
    expect(state('CreateOffer').Catch?.[0]?.Next).toBe('OfferFailed');
    expect(state('OfferFailedDecision').Choices?.map((c) => c.Next)).toEqual([
      'CreateOffer',
      'SendOfferNotice',
      'RecordClosed',
    ]);
  });

  it('manual offers skip creation: Consultation → HowToCreateOffer → SendOfferNotice', () => {
    const manual = state('HowToCreateOffer').Choices?.[0];
    expect(manual?.Condition).toBe("{% $terms.offerCreation = 'manual' %}");
    expect(manual?.Next).toBe('SendOfferNotice');
    expect(manual?.Assign).toMatchObject({ offerId: '{% $terms.manualOfferId %}', offerSource: 'manual' });
    expect(state('HowToCreateOffer').Default).toBe('CreateOffer');
  });

  it('both NewOrExisting branches reach ActivatePaidPlan', () => {
    const choice = state('NewOrExisting');
    const branches = [...(choice.Choices ?? []).map((c) => c.Next), choice.Default as string];
    expect(branches).toEqual(['CreateAccount', 'AccountSelection']);
    for (const b of branches) {
      expect(state(b).Next, b).toBe('ActivatePaidPlan');
      expect(reachableFrom(b).has('Completed')).toBe(true);
    }
  });

  it('ActivatePaidPlan retries Onboarding.SubscriptionNotConfirmed with backoff, bounded', () => {
    const retry = state('ActivatePaidPlan').Retry?.find((r) =>
      r.ErrorEquals.includes(WORKFLOW_ERRORS.subscriptionNotConfirmed),
    );
    expect(retry).toMatchObject({
      BackoffRate: 2,
      MaxAttempts: 8,
      IntervalSeconds: 30,
      MaxDelaySeconds: 900,
    });
    expect(state('ActivatePaidPlan').Catch?.[0]).toMatchObject({
      ErrorEquals: [WORKFLOW_ERRORS.subscriptionFailed],
      Next: 'RecordSubscriptionFailed',
    });
  });
});

describe('the stage registry against the rendered graph', () => {
  /** Ends and escalation every live stage may reach; the registry leaves them out of `next`. */
  const WAYS_OUT: readonly string[] = ['Closed', 'SubscriptionFailed', 'StageTimedOut'];
  const isStage = (name: string): name is Stage => (STAGES as readonly string[]).includes(name);

  /** The stages a stage's state leads to through states that are no stage (Wait, Choice, Record…, decisions). */
  const stageSuccessors = (stage: Stage): Set<string> => {
    const found = new Set<string>();
    const seen = new Set<string>();
    const todo = [...successors(state(stage))];
    while (todo.length > 0) {
      const name = todo.pop() as string;
      if (seen.has(name)) continue;
      seen.add(name);
      if (isStage(name)) found.add(name);
      else todo.push(...successors(state(name)));
    }
    return found;
  };
  const functionOf = (s: AslState): string =>
    String((s.Arguments as { FunctionName?: string })?.FunctionName);

  it.each(STAGES)('%s is a state of the kind the registry says, invoking its handler', (stage) => {
    // Prepare
    const entry = stageEntry(stage);

    // Act
    const s = state(stage);

    // Assess
    const expected = {
      human: 'Task',
      task: 'Task',
      choice: 'Choice',
      end: stage === 'Completed' ? 'Succeed' : 'Fail',
    };
    expect(s.Type).toBe(expected[entry.kind]);
    const invoking = entry.kind === 'end' && stage !== 'Completed' ? state(`Record${stage}`) : s;
    expect(
      entry.handler === undefined || functionOf(invoking).endsWith(`:function:onboarding-${entry.handler}`),
    ).toBe(true);
    expect(String(s.Resource ?? '').endsWith('.waitForTaskToken')).toBe(entry.kind === 'human');
  });

  it.each(STAGES.filter((s) => s !== 'StageTimedOut'))(
    '%s leads exactly to the next stages of the registry',
    (stage) => {
      // Prepare
      const registered = [...stageEntry(stage).next].sort();

      // Act
      const rendered = [...stageSuccessors(stage)].filter((s) => s !== stage && !WAYS_OUT.includes(s)).sort();

      // Assess
      expect(rendered).toEqual(registered);
    },
  );

  it('StageTimedOut re-opens only live stages (the registry lets support re-open any of them)', () => {
    // Act
    const reopened = [...stageSuccessors('StageTimedOut')].filter((s) => !WAYS_OUT.includes(s));

    // Assess
    expect(reopened.length).toBeGreaterThan(5);
    expect(reopened.filter((s) => stageEntry(s as Stage).terminal)).toEqual([]);
    expect(stageEntry('StageTimedOut').next).toEqual([]);
  });

  it('every stage a subscription failure stops catches it into SubscriptionFailed', () => {
    // Act
    const catching = STOPPED_BY_SUBSCRIPTION_FAILURE.filter((stage) =>
      (state(stage).Catch ?? []).some(
        (c) =>
          c.ErrorEquals.includes(WORKFLOW_ERRORS.subscriptionFailed) && c.Next === 'RecordSubscriptionFailed',
      ),
    );

    // Assess
    expect(catching).toEqual([...STOPPED_BY_SUBSCRIPTION_FAILURE]);
  });

  it('ends only at the end stages of the registry, and only they are terminal', () => {
    // Act
    const succeedOrFail = STAGES.filter((s) => ['Succeed', 'Fail'].includes(state(s).Type));

    // Assess
    expect(succeedOrFail).toEqual(STAGES.filter((s) => stageEntry(s).kind === 'end'));
    expect(STAGES.filter((s) => stageEntry(s).terminal).every((s) => stageEntry(s).kind === 'end')).toBe(
      true,
    );
  });
});
