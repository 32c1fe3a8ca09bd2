/**
 * Renders the onboarding workflow to ASL without a deployed stack: the functions are referenced by plain ARNs, so the
 * JSON is complete (tests, the benchmark, tools). Infra renders it through the StateMachine instead.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { type AslStateMachine, resolveIntrinsics } from './asl.js';
import { WORKFLOW_FUNCTIONS, type WorkflowFunctionName } from './functions.js';
import { LifecycleWorkflow } from './lifecycle-workflow.js';
import { OnboardingWorkflow, type OnboardingWorkflowProps } from './onboarding-workflow.js';

export interface RenderOptions extends Omit<OnboardingWorkflowProps, 'functions'> {
  /**
   * The ARN each task function gets in the definition.
   * @default - `arn:aws:lambda:us-east-1:123456789012:function:onboarding-<name>`
   */
  readonly functionArn?: (name: WorkflowFunctionName) => string;
}

export const defaultFunctionArn = (name: string): string =>
  `arn:aws:lambda:us-east-1:123456789012:function:onboarding-${name}`;

/** The workflow's ASL (QueryLanguage JSONata) with every function as a plain ARN. */
export function renderOnboardingAsl(options: RenderOptions = {}): AslStateMachine {
  const { functionArn = defaultFunctionArn, ...props } = options;
  const stack = new Stack(new App(), 'RenderOnboarding', {
    env: { account: '123456789012', region: 'us-east-1' },
  });
  const functions = Object.fromEntries(
    WORKFLOW_FUNCTIONS.map((name) => [
      name,
      lambda.Function.fromFunctionArn(stack, `Fn-${name}`, functionArn(name)),
    ]),
  ) as Record<WorkflowFunctionName, lambda.IFunction>;
  const workflow = new OnboardingWorkflow(stack, 'Onboarding', { ...props, functions });
  const graph = new sfn.StateGraph(workflow.definition.startState, 'Onboarding');
  const json = stack.resolve({
    QueryLanguage: sfn.QueryLanguage.JSONATA,
    ...graph.toGraphJson(sfn.QueryLanguage.JSONATA),
  });
  return resolveIntrinsics(json) as AslStateMachine;
}

/** The lifecycle workflow's ASL (the deal after the sale), functions as plain ARNs. */
export function renderLifecycleAsl(
  functionArn: (name: string) => string = defaultFunctionArn,
): AslStateMachine {
  const stack = new Stack(new App(), 'RenderLifecycle', {
    env: { account: '123456789012', region: 'us-east-1' },
  });
  const fn = (name: 'open-human-task' | 'agreement-episode') =>
    lambda.Function.fromFunctionArn(stack, `Fn-${name}`, functionArn(name));
  const workflow = new LifecycleWorkflow(stack, 'Lifecycle', {
    functions: { 'open-human-task': fn('open-human-task'), 'agreement-episode': fn('agreement-episode') },
  });
  const graph = new sfn.StateGraph(workflow.definition.startState, 'Lifecycle');
  const json = stack.resolve({
    QueryLanguage: sfn.QueryLanguage.JSONATA,
    ...graph.toGraphJson(sfn.QueryLanguage.JSONATA),
  });
  return resolveIntrinsics(json) as AslStateMachine;
}
