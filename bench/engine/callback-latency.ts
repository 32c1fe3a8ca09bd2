/**
 * Through the HTTP API: executions paused on a task token; for each, SendTaskSuccess and the time until the
 * next `.waitForTaskToken` state hands its new token to the dispatcher.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { StepFunctionsService } from '@marketplace-onboarding/sfn-local';
import {
  createLocalStepFunctions,
  createTaskDispatcher,
  startStatesServer,
} from '@marketplace-onboarding/sfn-local';

const step = (name: string, next?: string) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
  Parameters: {
    FunctionName: 'park',
    Payload: { step: name, 'token.$': '$$.Task.Token', 'executionArn.$': '$$.Execution.Id' },
  },
  ResultPath: `$.${name}`,
  ...(next ? { Next: next } : { End: true }),
});

const DEFINITION = { StartAt: 'First', States: { First: step('First', 'Second'), Second: step('Second') } };

/** Latencies in milliseconds, one per execution. */
export async function measureCallbackLatency(
  executions: number,
  durable: boolean,
  /** false: call the runtime's sendTaskSuccess in-process, to separate engine time from HTTP time */
  viaHttp = true,
): Promise<number[]> {
  const waiters = new Map<string, (token: string) => void>();
  const arrived = new Map<string, string>();
  const onToken = (key: string, token: string) => {
    const waiter = waiters.get(key);
    if (waiter) {
      waiters.delete(key);
      waiter(token);
    } else {
      arrived.set(key, token);
    }
  };
  const tokenFor = (key: string) => {
    const token = arrived.get(key);
    if (token) {
      arrived.delete(key);
      return Promise.resolve(token);
    }
    return new Promise<string>((resolve) => waiters.set(key, resolve));
  };

  const dataDir = durable ? await mkdtemp(join(tmpdir(), 'bench-callback-')) : undefined;
  const dispatcher = createTaskDispatcher({
    handlers: {
      park: async (event: { step: string; token: string; executionArn: string }) => {
        onToken(`${event.executionArn}#${event.step}`, event.token);
        return {};
      },
    },
  });
  const runtime = await createLocalStepFunctions({ dispatcher, ...(dataDir ? { dataDir } : {}) });
  const server = await startStatesServer({ service: runtime, port: 0 });
  const client = new SFNClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  try {
    const { stateMachineArn } = await runtime.createStateMachine({
      name: 'callback-bench',
      definition: JSON.stringify(DEFINITION),
      roleArn: 'arn:aws:iam::123456789012:role/bench',
    });
    const arns: string[] = [];
    for (let i = 0; i < executions; i++) {
      arns.push((await runtime.startExecution({ stateMachineArn, input: '{}' })).executionArn as string);
    }
    const firstTokens = await Promise.all(arns.map((arn) => tokenFor(`${arn}#First`)));
    await runtime.idle();

    const latencies: number[] = [];
    for (const [i, executionArn] of arns.entries()) {
      const next = tokenFor(`${executionArn}#Second`);
      const started = performance.now();
      if (viaHttp) {
        await client.send(new SendTaskSuccessCommand({ taskToken: firstTokens[i], output: '{"ok":true}' }));
      } else {
        await runtime.sendTaskSuccess({ taskToken: firstTokens[i], output: '{"ok":true}' });
      }
      await next;
      latencies.push(performance.now() - started);
    }
    return latencies;
  } finally {
    client.destroy();
    await server.close();
    await runtime.close();
    dispatcher.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * The same SendTaskSuccess round trip against a service that does nothing: the floor set by the SDK, node:http and
 * the machine (on a busy machine its tail shows scheduling noise, not engine work).
 */
export async function measureHttpBaseline(samples: number): Promise<number[]> {
  const noop = async () => ({});
  const service = new Proxy({} as StepFunctionsService, { get: () => noop });
  const server = await startStatesServer({ service, port: 0 });
  const client = new SFNClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const taskToken = 'AQ'.padEnd(342, 'x');
  const latencies: number[] = [];
  try {
    for (let i = 0; i < samples * 1.2; i++) {
      const started = performance.now();
      await client.send(new SendTaskSuccessCommand({ taskToken, output: '{"ok":true}' }));
      if (i >= samples * 0.2) latencies.push(performance.now() - started);
    }
    return latencies;
  } finally {
    client.destroy();
    await server.close();
  }
}
