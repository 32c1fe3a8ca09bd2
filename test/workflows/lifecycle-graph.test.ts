/**
 * The lifecycle state machine's definition (workflows/lifecycle-workflow.ts) rendered to ASL: valid JSONata ASL, one
 * branch per episode, the deal stages of the registry as AwaitHumanStep task-token states, every way out of a deal
 * step recorded, and each task's payload distinct per execution (Powertools idempotency keys on the payload).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type AslState, type AslStateMachine, reachableStates } from '../../workflows/asl.js';
import { DEAL_STAGES, LIFECYCLE_EPISODES } from '../../workflows/contracts/index.js';
import { renderLifecycleAsl } from '../../workflows/render.js';
import { validateAsl } from './support/asl-validator.js';

let asl: AslStateMachine;
const state = (name: string): AslState => {
  const s = asl.States[name];
  if (!s) throw new Error(`no state ${name}`);
  return s;
};

beforeAll(() => {
  asl = renderLifecycleAsl();
});

describe('the lifecycle definition', () => {
  it('is JSONata and valid ASL, and every state is reachable', () => {
    // Act
    const result = validateAsl(asl);
    // Assess
    expect(asl.QueryLanguage).toBe('JSONata');
    expect(result.errors ?? [], result.errorsText('\n')).toEqual([]);
    expect([...reachableStates(asl)].sort()).toEqual(Object.keys(asl.States).sort());
  });

  it('starts at a Choice with one branch per episode of the contract', () => {
    // Act
    const start = state(asl.StartAt);
    const conditions = (start.Choices ?? []).map((c) => c.Condition ?? '').join(' ');
    // Assess
    expect(start.Type).toBe('Choice');
    for (const episode of LIFECYCLE_EPISODES) expect(conditions).toContain(`'${episode}'`);
  });

  it.each(DEAL_STAGES)(
    '%s is a task-token state of open-human-task whose every way out is recorded',
    (stage) => {
      // Act
      const s = state(stage);
      const payload = (s.Arguments as { Payload: Record<string, unknown> }).Payload;
      const catchers = (s.Catch ?? []) as { ErrorEquals: string[]; Next: string }[];
      // Assess
      expect(String(s.Resource)).toMatch(/lambda:invoke\.waitForTaskToken$/);
      expect(payload.taskToken).toBe('{% $states.context.Task.Token %}');
      expect(payload.stage).toBe(stage);
      // each execution's step keeps its own task: two advisories or renewals never share one
      expect(payload.instance).toBe('{% $states.context.Execution.Name %}');
      expect(s.TimeoutSeconds ?? s.Timeout).toBeDefined();
      expect(catchers.flatMap((c) => c.ErrorEquals)).toEqual(
        expect.arrayContaining(['States.Timeout', 'States.ALL']),
      );
      // a cancellation request's timeout reads the request from AWS first, then records
      const expected =
        stage === 'CancellationAnswer' ? ['RecordOutcome', 'RefreshCancellation'] : ['RecordOutcome'];
      expect(new Set(catchers.map((c) => c.Next))).toEqual(new Set(expected));
      if (stage === 'CancellationAnswer') expect(state('RefreshCancellation').Next).toBe('RecordOutcome');
    },
  );

  it("waits for the grace period's end as a timestamp from the execution input", () => {
    // Act
    const wait = state('GracePeriod');
    // Assess
    expect(wait.Type).toBe('Wait');
    expect(wait.Timestamp).toBe('{% $states.input.planEndsAt %}');
    expect(wait.Next).toBe('EndPlanIfDue');
  });

  it("gives each amendment's ChangePlan its own payload (the event id), so idempotency never answers for another", () => {
    // Act
    const payload = (state('ChangePlan').Arguments as { Payload: Record<string, unknown> }).Payload;
    // Assess
    expect(payload).toMatchObject({
      action: 'change-plan',
      eventId: '{% $states.context.Execution.Input.eventId %}',
    });
  });
  it("Renewal → draft-offer: the renewal offer's change set is started, polled (bounded), sent, and Renewal opens again", () => {
    // Act
    const decided = state(state('Renewal').Next as string);
    const choices = (decided.Choices ?? []) as { Condition: string; Next: string }[];
    const tasks = ['CreateRenewalOffer', 'CheckRenewalOffer', 'SendRenewalOffer'].map(state);
    const check = (state('CheckRenewalOffer').Arguments as { Payload: Record<string, unknown> }).Payload;
    const ready = (state('RenewalOfferReady').Choices ?? []) as { Condition: string; Next: string }[];
    // Assess
    expect(decided.Type).toBe('Choice');
    expect(choices).toEqual([
      expect.objectContaining({
        Condition: expect.stringContaining("'draft-offer'"),
        Next: 'CreateRenewalOffer',
      }),
    ]);
    expect(decided.Default).toBe('RecordOutcome');
    for (const t of tasks) {
      expect((t.Catch ?? []).map((c) => (c as { Next: string }).Next)).toEqual(['BackToRenewal']);
    }
    // each poll is its own call (idempotency keys on the payload) and the last one says so
    expect(check).toMatchObject({
      action: 'check-renewal-offer',
      check: '{% $polls + 1 %}',
      lastCheck: expect.stringMatching(/^\{% \$polls \+ 1 >= \d+ %\}$/),
    });
    expect(ready.map((c) => c.Next)).toEqual(['SendRenewalOffer', 'BackToRenewal']);
    expect(state('RenewalOfferReady').Default).toBe('WaitForRenewalOffer');
    expect(state('SendRenewalOffer').Next).toBe('BackToRenewal');
    expect(state('BackToRenewal').Next).toBe('Renewal');
    expect(JSON.stringify(state('BackToRenewal').Output)).toContain('renewalOffer');
  });
});
