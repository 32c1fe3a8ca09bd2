/**
 * Task integrations that call AWS SDK v3 clients against configured endpoints:
 * - `arn:aws:states:::aws-sdk:<service>:<action>` for any installed `@aws-sdk/client-*` package;
 * - the optimized integrations CDK emits: `dynamodb:getItem|putItem|updateItem|deleteItem`, `sns:publish`,
 *   `events:putEvents`, with the result shapes Step Functions gives them.
 * Each also with `.waitForTaskToken` (the call's response is then the `TaskSubmitted` output).
 */
import { type TaskDispatcher, TaskError, type TaskRequest } from '../../tasks.js';
import { parseResource } from '../resource.js';
import { sdkHttpMetadata } from '../sdk-metadata.js';
import {
  commandFor,
  type ResolvedService,
  SdkClients,
  type SdkClientsOptions,
  SdkServiceNotAvailable,
} from './clients.js';
import { awsSdkTaskError, optimizedTaskError } from './errors.js';
import { fromSdkOutput, operationShapes, toSdkInput } from './shapes.js';

export type AwsSdkDispatcherOptions = SdkClientsOptions;

/** The optimized (non `aws-sdk:`) integrations this dispatcher implements, by service. */
export const OPTIMIZED_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  dynamodb: ['getItem', 'putItem', 'updateItem', 'deleteItem'],
  sns: ['publish'],
  events: ['putEvents'],
};

export interface AwsSdkDispatcher extends TaskDispatcher {
  /** Whether `resource` is an `aws-sdk:` or an optimized integration this dispatcher implements. */
  handles(resource: string): boolean;
  /** Why a resource it handles can never run here (see `TaskDispatcher.unsupported`). */
  unsupported(resource: string): string | undefined;
  /** Destroys the SDK clients (closes their sockets). */
  close(): void;
}

export function createAwsSdkDispatcher(options: AwsSdkDispatcherOptions = {}): AwsSdkDispatcher {
  const clients = new SdkClients(options);
  return {
    handles(resource) {
      const parsed = parseResource(resource);
      if (parsed.kind === 'aws-sdk') return true;
      return (
        parsed.kind === 'optimized' && (OPTIMIZED_ACTIONS[parsed.service]?.includes(parsed.action) ?? false)
      );
    },
    unsupported(resource) {
      const parsed = parseResource(resource);
      return parsed.kind === 'aws-sdk' ? clients.unsupported(parsed.service, parsed.action) : undefined;
    },
    async dispatch(request) {
      const parsed = parseResource(request.resource);
      if (parsed.kind === 'aws-sdk') {
        const { service, action } = parsed;
        const call = await prepare(clients, service, action, request);
        let output: unknown;
        try {
          output = await call.send();
        } catch (error) {
          throw awsSdkTaskError(service, call.resolved.module, error);
        }
        return fromSdkOutput(call.shapes.output, output);
      }
      if (parsed.kind === 'optimized' && OPTIMIZED_ACTIONS[parsed.service]?.includes(parsed.action)) {
        return callOptimized(clients, parsed.service, parsed.action, request);
      }
      throw new TaskError(
        'States.Runtime',
        `The AWS SDK dispatcher does not handle resource ${request.resource}`,
      );
    },
    close() {
      clients.destroy();
    },
  };
}

async function callOptimized(clients: SdkClients, service: string, action: string, request: TaskRequest) {
  const call = await prepare(clients, service, action, request);
  let output: { $metadata?: { requestId?: string } };
  try {
    output = await call.send();
  } catch (error) {
    throw optimizedTaskError(service, call.resolved.module, error);
  }
  const result = (await fromSdkOutput(call.shapes.output, output)) as Record<string, unknown>;
  if (service === 'events') {
    if (typeof result.FailedEntryCount === 'number' && result.FailedEntryCount > 0) {
      throw new TaskError('EventBridge.FailedEntry', JSON.stringify(result));
    }
    return result;
  }
  const response = call.response();
  const requestId = output.$metadata?.requestId ?? response?.headers['x-amzn-requestid'] ?? '';
  return { ...result, ...sdkHttpMetadata(response?.headers ?? {}, response?.statusCode ?? 200, requestId) };
}

interface PreparedCall {
  readonly resolved: ResolvedService;
  readonly shapes: ReturnType<typeof operationShapes>;
  // biome-ignore lint/suspicious/noExplicitAny: SDK outputs differ per action
  send(): Promise<any>;
  /** The HTTP response of the call, once sent. */
  response(): { statusCode: number; headers: Record<string, string> } | undefined;
}

async function prepare(
  clients: SdkClients,
  service: string,
  action: string,
  request: TaskRequest,
): Promise<PreparedCall> {
  let resolved: ResolvedService;
  try {
    resolved = await clients.get(service, request.region);
  } catch (error) {
    if (error instanceof SdkServiceNotAvailable) {
      // The task cannot run here at all: not a failure a Catch could hide (the execution fails).
      throw new TaskError('States.Runtime', `${request.resource}: ${error.message}`);
    }
    throw error;
  }
  const Command = commandFor(resolved.module, action);
  if (!Command) {
    throw new TaskError(
      'States.Runtime',
      `${request.resource}: ${resolved.packageName} has no command for action '${action}'`,
    );
  }
  const shapes = operationShapes(new Command({}));
  const command = new Command(toSdkInput(shapes.input, request.parameters ?? {}) ?? {}) as {
    // biome-ignore lint/suspicious/noExplicitAny: the smithy middleware stack
    middlewareStack?: any;
  };
  let captured: { statusCode: number; headers: Record<string, string> } | undefined;
  command.middlewareStack?.add(
    // biome-ignore lint/suspicious/noExplicitAny: smithy middleware signature
    (next: any) => async (args: any) => {
      const result = await next(args);
      if (result?.response)
        captured = { statusCode: result.response.statusCode, headers: result.response.headers };
      return result;
    },
    { step: 'deserialize', name: 'sfnLocalCaptureResponse' },
  );
  return {
    resolved,
    shapes,
    send: () => resolved.client.send(command, { abortSignal: request.signal }),
    response: () => captured,
  };
}
