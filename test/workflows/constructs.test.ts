/** AwaitHumanStep and OnboardingWorkflow as constructs: what they render, and how they refuse bad props. */
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { describe, expect, it } from 'vitest';
import { AwaitHumanStep, HumanStepTimeout } from '../../workflows/await-human-step.js';
import {
  catalogWorkflowFunctions,
  WORKFLOW_FUNCTIONS,
  type WorkflowFunctionName,
} from '../../workflows/functions.js';
import { OnboardingWorkflow } from '../../workflows/onboarding-workflow.js';
import { renderOnboardingAsl } from '../../workflows/render.js';

const stack = () => new Stack(new App(), 'T', { env: { account: '123456789012', region: 'us-east-1' } });
const fn = (s: Stack, name: string) =>
  lambda.Function.fromFunctionArn(s, name, `arn:aws:lambda:us-east-1:123456789012:function:${name}`);
const functions = (s: Stack) =>
  Object.fromEntries(WORKFLOW_FUNCTIONS.map((n) => [n, fn(s, n)])) as Record<
    WorkflowFunctionName,
    lambda.IFunction
  >;
const render = (s: Stack, start: sfn.IChainable) =>
  s.resolve(new sfn.StateGraph(start.startState, 'g').toGraphJson(sfn.QueryLanguage.JSONATA)) as {
    States: Record<string, Record<string, unknown>>;
  };

describe('HumanStepTimeout', () => {
  it('takes whole seconds from 1 s to 365 days, and says what it got otherwise', () => {
    expect(HumanStepTimeout.duration(Duration.days(7)).fixedSeconds).toBe(604800);
    expect(() => HumanStepTimeout.duration(Duration.days(400))).toThrow(/got 34560000 \(400 days\)/);
    expect(() => HumanStepTimeout.duration(Duration.millis(1500))).toThrow(/got 1\.5/);
    expect(() => HumanStepTimeout.expression('{% 5 %}')).toThrow(/no \{% %\}.*"\{% 5 %\}"/);
    expect(() => HumanStepTimeout.expression('  ')).toThrow(/got " {2}"/);
  });

  it('clamps a computed timeout to 1 s … 365 days, whole seconds', () => {
    const t = HumanStepTimeout.expression('$x / 1000');
    expect(t.secondsExpression).toBe('$max([1, $min([31536000, $floor($x / 1000)])])');
    expect(t.fixedSeconds).toBeUndefined();
  });
});

describe('AwaitHumanStep', () => {
  const build = (timeout: HumanStepTimeout) => {
    const s = stack();
    const fail = (id: string) => sfn.Fail.jsonata(s, id, { error: id, cause: 'c' });
    const step = new AwaitHumanStep(s, 'Step', {
      stage: 'Registration',
      openHumanTask: fn(s, 'open-human-task'),
      timeout,
      resultVariable: 'registration',
      context: "{'a': 1}",
      onTimeout: fail('T'),
      onFailure: fail('F'),
      onClosed: fail('C'),
      onSubscriptionFailed: fail('S'),
    });
    step.next(sfn.Succeed.jsonata(s, 'Done'));
    return render(s, step).States.Registration as Record<string, unknown>;
  };

  it('is one waitForTaskToken Task of open-human-task with token, dueAt, context, timeout and catches', () => {
    const state = build(HumanStepTimeout.duration(Duration.hours(2)));
    expect(state).toMatchObject({
      Type: 'Task',
      TimeoutSeconds: 7200,
      Next: 'Done',
      Assign: { registration: '{% $states.result %}' },
      Arguments: {
        FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:open-human-task',
        Payload: {
          stage: 'Registration',
          taskToken: '{% $states.context.Task.Token %}',
          dueAt: '{% $fromMillis($millis() + 1000 * (7200)) %}',
          context: "{% {'a': 1} %}",
        },
      },
    });
    expect((state.Catch as { Next: string }[]).map((c) => c.Next)).toEqual(['C', 'S', 'T', 'F', 'F']);
  });

  it('renders a computed timeout as JSONata', () => {
    const state = build(HumanStepTimeout.expression('$seconds'));
    expect(state.TimeoutSeconds).toBe('{% $max([1, $min([31536000, $floor($seconds)])]) %}');
  });

  it('refuses a stage that is not a human stage, naming it', () => {
    const s = stack();
    const f = sfn.Fail.jsonata(s, 'F', { error: 'e', cause: 'c' });
    expect(
      () =>
        new AwaitHumanStep(s, 'Bad', {
          stage: 'CreateOffer' as never,
          openHumanTask: fn(s, 'x'),
          timeout: HumanStepTimeout.duration(Duration.days(1)),
          resultVariable: 'terms',
          onTimeout: f,
          onFailure: f,
          onClosed: f,
          onSubscriptionFailed: f,
        }),
    ).toThrow(/stage must be one of .* got "CreateOffer"/);
  });
});

describe('OnboardingWorkflow props', () => {
  it('invokes exactly the catalog functions whose trigger is the workflow', () => {
    expect([...WORKFLOW_FUNCTIONS].sort()).toEqual(catalogWorkflowFunctions().sort());
  });

  it('names the missing task functions', () => {
    const s = stack();
    const { 'check-offer': _, 'notify-completion': __, ...some } = functions(s);
    expect(() => new OnboardingWorkflow(s, 'W', { functions: some as never })).toThrow(
      /functions is missing check-offer, notify-completion \(given: record-inquiry/,
    );
  });

  it('refuses bad timeouts and polling, showing the value', () => {
    const s = stack();
    const f = functions(s);
    expect(
      () =>
        new OnboardingWorkflow(s, 'A', { functions: f, stageTimeouts: { Registration: Duration.days(500) } }),
    ).toThrow(/stageTimeouts\.Registration: .*got 43200000 \(500 days\)/);
    expect(
      () =>
        new OnboardingWorkflow(s, 'B', { functions: f, stageTimeouts: { Nope: Duration.days(1) } as never }),
    ).toThrow(/stageTimeouts has no stage "Nope"/);
    expect(
      () =>
        new OnboardingWorkflow(s, 'C', {
          functions: f,
          offerPolling: { firstWait: Duration.minutes(5), maxWait: Duration.minutes(1), maxChecks: 3 },
        }),
    ).toThrow(/offerPolling\.maxWait must be 300 to 86400 whole seconds, got 1 minute/);
    expect(
      () =>
        new OnboardingWorkflow(s, 'D', {
          functions: f,
          offerPolling: { firstWait: Duration.minutes(1), maxWait: Duration.minutes(1), maxChecks: 0 },
        }),
    ).toThrow(/maxChecks must be a whole number from 1 to 200, got 0/);
  });

  it('applies custom timeouts and polling to the definition', () => {
    const asl = renderOnboardingAsl({
      stageTimeouts: { Registration: Duration.minutes(5) },
      offerPolling: { firstWait: Duration.seconds(2), maxWait: Duration.seconds(10), maxChecks: 4 },
    });
    expect(asl.States.Registration?.TimeoutSeconds).toBe(300);
    expect(asl.States.Consultation?.TimeoutSeconds).toBe(30 * 86400);
    expect(asl.States.WaitForOffer?.Seconds).toBe('{% $min([10, $round(2 * $power(2, $polls))]) %}');
    expect(asl.States.OfferReady?.Choices?.[2]?.Condition).toBe('{% $polls >= 4 %}');
  });
});
