import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createLambdaDispatcher, type LambdaHandlers } from '../../src/dispatch/index.js';
import { TaskError } from '../../src/tasks.js';
import { rejectionOf, taskRequest } from './request.js';

const FN_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:greet';
const INVOKE = 'arn:aws:states:::lambda:invoke';

function dispatcherWith(handlers: LambdaHandlers) {
  return createLambdaDispatcher({ handlers });
}

describe('Lambda handlers in process', () => {
  it('calls a plain function ARN with the state input and returns the payload, copied both ways', async () => {
    const input = { who: 'Ada', nested: { n: 1 } };
    let seen: { event?: typeof input; context?: Context } = {};
    const returned = { greeting: 'hello Ada', list: [1] };
    const dispatcher = dispatcherWith({
      greet: async (event: typeof input, context) => {
        seen = { event, context };
        event.nested.n = 99;
        return returned;
      },
    });

    const result = await dispatcher.dispatch(
      taskRequest({ resource: FN_ARN, parameters: input, timeoutSeconds: 30 }),
    );
    returned.list.push(2);

    expect(result).toEqual({ greeting: 'hello Ada', list: [1] });
    expect(input.nested.n).toBe(1);
    expect(seen.context).toMatchObject({
      functionName: 'greet',
      functionVersion: '$LATEST',
      invokedFunctionArn: FN_ARN,
      logGroupName: '/aws/lambda/greet',
      memoryLimitInMB: '128',
    });
    expect(seen.context?.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    const remaining = seen.context?.getRemainingTimeInMillis() ?? 0;
    expect(remaining).toBeGreaterThan(25_000);
    expect(remaining).toBeLessThanOrEqual(30_000);
  });

  it('answers lambda:invoke with the result shape of Step Functions', async () => {
    let requestId = '';
    const dispatcher = dispatcherWith({
      greet: async (event: { who: string }, context) => {
        requestId = context.awsRequestId;
        return { greeting: `hello ${event.who}` };
      },
    });

    const result = (await dispatcher.dispatch(
      taskRequest({ resource: INVOKE, parameters: { FunctionName: FN_ARN, Payload: { who: 'Bob' } } }),
    )) as Record<string, unknown>;

    expect(Object.keys(result)).toEqual([
      'ExecutedVersion',
      'Payload',
      'SdkHttpMetadata',
      'SdkResponseMetadata',
      'StatusCode',
    ]);
    expect(result).toMatchObject({
      ExecutedVersion: '$LATEST',
      Payload: { greeting: 'hello Bob' },
      StatusCode: 200,
      SdkResponseMetadata: { RequestId: requestId },
      SdkHttpMetadata: {
        HttpStatusCode: 200,
        HttpHeaders: {
          'Content-Type': 'application/json',
          'X-Amz-Executed-Version': '$LATEST',
          'x-amzn-RequestId': requestId,
        },
        AllHttpHeaders: { 'Content-Type': ['application/json'], 'Content-Length': ['24'] },
      },
    });
  });

  it('passes a JSON-text Payload as its value, a missing one as {}, and rejects text that is not JSON', async () => {
    const events: unknown[] = [];
    const dispatcher = dispatcherWith({
      echo: async (event: unknown) => {
        events.push(event);
        return event;
      },
    });
    const invoke = (Payload: unknown) =>
      dispatcher.dispatch(taskRequest({ resource: INVOKE, parameters: { FunctionName: 'echo', Payload } }));

    await invoke('[1,2]');
    await invoke(null);
    await invoke(undefined);
    const error = await rejectionOf(invoke('HelloWorld'));

    expect(events).toEqual([[1, 2], {}, {}]);
    expect(error).toBeInstanceOf(TaskError);
    expect((error as TaskError).error).toBe('Lambda.InvalidRequestContentException');
  });

  it('finds a handler by name, full ARN, qualified ARN and partial ARN', async () => {
    const calls: string[] = [];
    const dispatcher = dispatcherWith({
      greet: async () => calls.push('by-name'),
      'arn:aws:lambda:us-east-1:123456789012:function:audit': async () => calls.push('by-arn'),
      'report:live': async () => calls.push('report-live'),
      report: async () => calls.push('report'),
    });
    const call = (FunctionName: string) =>
      dispatcher.dispatch(taskRequest({ resource: INVOKE, parameters: { FunctionName } }));

    await call('greet');
    await call(FN_ARN);
    await call(`${FN_ARN}:prod`);
    await call('123456789012:function:greet');
    await call('audit');
    await call('arn:aws:lambda:us-east-1:123456789012:function:audit:7');
    await call('report:live');
    await call('arn:aws:lambda:us-east-1:123456789012:function:report:live');
    await call('report');
    await call('report:other');
    await dispatcher.dispatch(taskRequest({ resource: `${FN_ARN}:prod` }));

    expect(calls).toEqual([
      'by-name',
      'by-name',
      'by-name',
      'by-name',
      'by-arn',
      'by-arn',
      'report-live',
      'report-live',
      'report',
      'report',
      'by-name',
    ]);
  });

  it('reports a numeric qualifier as the executed version', async () => {
    const dispatcher = dispatcherWith({ greet: async (_e, context) => context.functionVersion });
    const result = await dispatcher.dispatch(
      taskRequest({ resource: INVOKE, parameters: { FunctionName: `${FN_ARN}:3` } }),
    );
    expect(result).toMatchObject({ ExecutedVersion: '3', Payload: '3' });
  });

  it('maps a thrown error to the errorType and the Lambda error body, for both resource forms', async () => {
    class CustomException extends Error {
      override name = 'CustomException';
    }
    const dispatcher = dispatcherWith({
      fails: async () => {
        throw new CustomException('out of stock');
      },
      plain: async () => {
        throw new Error('boom');
      },
      odd: async () => {
        throw 'just a string';
      },
    });

    const viaArn = (await rejectionOf(
      dispatcher.dispatch(taskRequest({ resource: 'arn:aws:lambda:us-east-1:123456789012:function:fails' })),
    )) as TaskError;
    const viaInvoke = (await rejectionOf(
      dispatcher.dispatch(taskRequest({ resource: INVOKE, parameters: { FunctionName: 'plain' } })),
    )) as TaskError;
    const odd = (await rejectionOf(
      dispatcher.dispatch(taskRequest({ resource: INVOKE, parameters: { FunctionName: 'odd' } })),
    )) as TaskError;

    expect(viaArn).toBeInstanceOf(TaskError);
    expect(viaArn.error).toBe('CustomException');
    const cause = JSON.parse(viaArn.errorCause ?? '{}');
    expect(Object.keys(cause)).toEqual(['errorType', 'errorMessage', 'trace']);
    expect(cause).toMatchObject({ errorType: 'CustomException', errorMessage: 'out of stock' });
    expect(cause.trace[0]).toBe('CustomException: out of stock');
    expect(viaInvoke.error).toBe('Error');
    expect(JSON.parse(viaInvoke.errorCause ?? '{}')).toMatchObject({
      errorType: 'Error',
      errorMessage: 'boom',
    });
    expect(odd.error).toBe('string');
    expect(JSON.parse(odd.errorCause ?? '{}')).toEqual({
      errorType: 'string',
      errorMessage: 'just a string',
      trace: [],
    });
  });

  it('fails an unknown function with Lambda.ResourceNotFoundException', async () => {
    const dispatcher = dispatcherWith({});
    const error = (await rejectionOf(
      dispatcher.dispatch(taskRequest({ resource: INVOKE, parameters: { FunctionName: 'nope' } })),
    )) as TaskError;
    expect(error.error).toBe('Lambda.ResourceNotFoundException');
    expect(error.errorCause).toContain(
      'Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope:$LATEST (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException;',
    );
    const plain = (await rejectionOf(dispatcher.dispatch(taskRequest({ resource: FN_ARN })))) as TaskError;
    expect(plain.error).toBe('Lambda.ResourceNotFoundException');
  });

  it('supports callback-style handlers', async () => {
    const dispatcher = dispatcherWith({
      ok: (event: { n: number }, _context, callback) => {
        setTimeout(() => callback(null, { n: event.n + 1 }), 1);
      },
      bad: (_event, _context, callback) => {
        callback(new Error('nope'));
      },
    });
    expect(
      await dispatcher.dispatch(
        taskRequest({ resource: `${FN_ARN.replace('greet', 'ok')}`, parameters: { n: 1 } }),
      ),
    ).toEqual({ n: 2 });
    const error = (await rejectionOf(
      dispatcher.dispatch(taskRequest({ resource: FN_ARN.replace('greet', 'bad') })),
    )) as TaskError;
    expect(error.error).toBe('Error');
  });

  it('stops waiting for a handler when the task is aborted, and does not start an aborted one', async () => {
    let started = 0;
    const dispatcher = dispatcherWith({
      slow: () => {
        started++;
        return new Promise(() => undefined);
      },
    });
    const controller = new AbortController();
    const pending = dispatcher.dispatch(
      taskRequest({ resource: INVOKE, parameters: { FunctionName: 'slow' }, signal: controller.signal }),
    );
    controller.abort(new Error('States.Timeout'));
    await expect(pending).rejects.toThrow('States.Timeout');

    await expect(
      dispatcher.dispatch(
        taskRequest({ resource: INVOKE, parameters: { FunctionName: 'slow' }, signal: controller.signal }),
      ),
    ).rejects.toThrow('States.Timeout');
    expect(started).toBe(1);
  });

  it('returns the invoke response for lambda:invoke.waitForTaskToken and hands the token over in the payload', async () => {
    const tokens: string[] = [];
    const dispatcher = dispatcherWith({
      notify: async (event: { token: string }) => void tokens.push(event.token),
    });
    const result = await dispatcher.dispatch(
      taskRequest({
        resource: `${INVOKE}.waitForTaskToken`,
        parameters: { FunctionName: 'notify', Payload: { token: 'tok-1' } },
        taskToken: 'tok-1',
      }),
    );
    expect(tokens).toEqual(['tok-1']);
    expect(result).toMatchObject({ StatusCode: 200, Payload: null });
  });

  it('runs an Event invocation without waiting for it', async () => {
    let release: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => {
      release = resolve;
    });
    let done = false;
    const dispatcher = dispatcherWith({
      later: async () => {
        await finished;
        done = true;
      },
    });
    const result = await dispatcher.dispatch(
      taskRequest({ resource: INVOKE, parameters: { FunctionName: 'later', InvocationType: 'Event' } }),
    );
    expect(result).toMatchObject({ StatusCode: 202, Payload: '' });
    expect(done).toBe(false);
    release();
  });
});
