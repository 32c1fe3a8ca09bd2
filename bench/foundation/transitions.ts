/**
 * State transitions on the happy path of each branch (AWS bills Standard workflows per transition), measured by
 * running the synthesized definition:
 * - on the project's local Step Functions runtime (packages/sfn-local), with fake handlers that answer like the real
 *   ones and complete each task token through SendTaskSuccess, counting the `*StateEntered` events of the history;
 * - and with the in-process JSONata walker (bench/foundation/asl-walk.ts) as a cross-check.
 */
import type { AslStateMachine } from '../../workflows/asl.js';
import type { HumanStage } from '../../workflows/contracts/index.js';
import { walk } from './asl-walk.js';
import { fakeHandlers, happyCallbacks, START } from './fakes.js';

export type Branch = 'new' | 'existing';

export interface TransitionFigure {
  readonly branch: Branch;
  readonly method: 'local runtime' | 'JSONata walker';
  readonly status: string;
  readonly transitions: number;
  readonly path: readonly string[];
  readonly contractViolations: readonly string[];
}

export async function transitionsByWalker(asl: AslStateMachine, branch: Branch): Promise<TransitionFigure> {
  const fakes = fakeHandlers({ callbacks: happyCallbacks(branch) });
  const r = await walk(asl, START, fakes.handler);
  return {
    branch,
    method: 'JSONata walker',
    status: r.status,
    transitions: r.transitions,
    path: r.path,
    contractViolations: fakes.violations,
  };
}

/** Runs one happy-path execution on sfn-local; undefined when that runtime cannot be loaded. */
export async function transitionsByLocalRuntime(
  asl: AslStateMachine,
  branch: Branch,
): Promise<TransitionFigure | undefined> {
  let runtime: typeof import('@marketplace-onboarding/sfn-local');
  let tasks: typeof import('@marketplace-onboarding/sfn-local');
  try {
    runtime = await import('@marketplace-onboarding/sfn-local');
    tasks = await import('@marketplace-onboarding/sfn-local');
  } catch {
    return undefined;
  }
  const fakes = fakeHandlers({ callbacks: happyCallbacks(branch) });
  const clock = new runtime.VirtualClock(Date.now());
  // The dispatcher needs the service to complete task tokens; the service needs the dispatcher.
  let service: Awaited<ReturnType<typeof runtime.createLocalStepFunctions>> | undefined;
  const sfn = await runtime.createLocalStepFunctions({
    clock,
    dispatcher: {
      async dispatch(request) {
        const params = request.parameters as { FunctionName: string; Payload: unknown };
        const call = {
          state: request.stateName,
          functionName: String(params.FunctionName).split(':').pop() as string,
          payload: params.Payload,
          waitForTaskToken: request.taskToken !== undefined,
          ...(request.taskToken ? { taskToken: request.taskToken } : {}),
        };
        let result: unknown;
        try {
          result = await fakes.handler(call);
        } catch (e) {
          throw new tasks.TaskError('Lambda.Unknown', (e as Error).message);
        }
        if (request.taskToken) {
          await service?.sendTaskSuccess({ taskToken: request.taskToken, output: JSON.stringify(result) });
          return { StatusCode: 202 };
        }
        return { ExecutedVersion: '$LATEST', Payload: result, StatusCode: 200 };
      },
    },
  });
  service = sfn;
  try {
    const { stateMachineArn } = await sfn.createStateMachine({
      name: `bench-${branch}`,
      definition: JSON.stringify(asl),
      roleArn: 'arn:aws:iam::123456789012:role/bench',
    });
    const { executionArn } = await sfn.startExecution({
      stateMachineArn,
      name: `${START.onboardingId}-${branch}`,
      input: JSON.stringify(START),
    });
    // Wait states are timers on the virtual clock: let the execution run, then jump to the next timer.
    for (let i = 0; i < 100; i++) {
      await sfn.idle();
      const d = await sfn.describeExecution({ executionArn });
      if (d.status !== 'RUNNING') break;
      if (!clock.runNext()) break;
    }
    const done = await sfn.describeExecution({ executionArn });
    const events = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn.getExecutionHistory({ executionArn, maxResults: 1000, nextToken });
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    const entered = events.filter((e) => String(e.type).endsWith('StateEntered'));
    return {
      branch,
      method: 'local runtime',
      status: String(done.status),
      transitions: entered.length,
      path: entered.map((e) => String(e.stateEnteredEventDetails?.name)),
      contractViolations: fakes.violations,
    };
  } finally {
    await sfn.close();
  }
}

export const HAPPY_STAGES: readonly HumanStage[] = [
  'Consultation',
  'AwaitAcceptance',
  'AccountSetup',
  'Registration',
];
