/**
 * The runtime's task dispatcher: routes a Task's resource to in-process Lambda handlers or to AWS SDK clients
 * with configured endpoints, and fails anything else with a clear `TaskError`.
 */
import { type TaskDispatcher, TaskError } from '../tasks.js';
import {
  type AwsSdkDispatcherOptions,
  createAwsSdkDispatcher,
  OPTIMIZED_ACTIONS,
} from './aws-sdk/dispatcher.js';
import { createLambdaDispatcher, type LambdaHandlers } from './lambda.js';
import { parseResource } from './resource.js';

export interface DispatchRoute {
  /** Whether this route serves the resource (the `Resource` of the Task state, verbatim). */
  readonly matches: (resource: string) => boolean;
  readonly dispatcher: TaskDispatcher;
}

/**
 * The first route that matches a resource dispatches it. A resource no route matches is `unsupported` (the runtime
 * rejects the definition); should one still be dispatched (a state machine stored before), it fails the execution
 * with `States.Runtime`.
 */
export function composeDispatchers(routes: readonly DispatchRoute[]): TaskDispatcher {
  return {
    dispatch(request) {
      const route = routes.find((candidate) => candidate.matches(request.resource));
      if (!route) return Promise.reject(unsupported(request.resource));
      return route.dispatcher.dispatch(request);
    },
    unsupported(resource) {
      const route = routes.find((candidate) => candidate.matches(resource));
      if (!route) return unsupportedMessage(resource);
      return route.dispatcher.unsupported?.(resource);
    },
  };
}

export interface TaskDispatcherOptions extends AwsSdkDispatcherOptions {
  /** In-process Lambda handlers by function name or ARN. @default {} */
  readonly handlers?: LambdaHandlers;
  /** What `context.getRemainingTimeInMillis()` counts from when a state sets no TimeoutSeconds. @default 900 */
  readonly defaultLambdaTimeoutSeconds?: number;
  /** Extra routes, tried before the built-in ones (e.g. a recorded replay, an activity worker). */
  readonly routes?: readonly DispatchRoute[];
}

export interface LocalTaskDispatcher extends TaskDispatcher {
  /** Releases SDK clients. */
  close(): void;
}

export function createTaskDispatcher(options: TaskDispatcherOptions = {}): LocalTaskDispatcher {
  const lambda = createLambdaDispatcher({
    handlers: options.handlers ?? {},
    ...(options.defaultLambdaTimeoutSeconds !== undefined
      ? { defaultTimeoutSeconds: options.defaultLambdaTimeoutSeconds }
      : {}),
  });
  const sdk = createAwsSdkDispatcher(options);
  const composed = composeDispatchers([
    ...(options.routes ?? []),
    { matches: isLambdaResource, dispatcher: lambda },
    { matches: (resource) => sdk.handles(resource), dispatcher: sdk },
  ]);
  return {
    dispatch: (request) => composed.dispatch(request),
    unsupported: (resource) => composed.unsupported?.(resource),
    close: () => sdk.close(),
  };
}

function isLambdaResource(resource: string): boolean {
  const parsed = parseResource(resource);
  return (
    parsed.kind === 'lambda-function' ||
    (parsed.kind === 'optimized' && parsed.service === 'lambda' && parsed.action === 'invoke')
  );
}

function unsupported(resource: string): TaskError {
  // Not a task failure a Catch could hide: AWS would not run this resource at all, so the execution fails.
  return new TaskError('States.Runtime', unsupportedMessage(resource));
}

function unsupportedMessage(resource: string): string {
  const optimized = Object.entries(OPTIMIZED_ACTIONS)
    .map(([service, actions]) => `${service}:${actions.join('|')}`)
    .join(', ');
  const what = /:activity:/.test(resource)
    ? 'Activities are served by GetActivityTask workers, not by the dispatcher'
    : 'No local integration';
  return (
    `${what} for resource "${resource}". Supported: Lambda function ARNs and arn:aws:states:::lambda:invoke ` +
    `(handlers), arn:aws:states:::aws-sdk:<service>:<action> and the optimized ${optimized} (endpoints); ` +
    'each also with .waitForTaskToken'
  );
}
