import { describe, expect, it } from 'vitest';
import { composeDispatchers, createTaskDispatcher, parseResource } from '../../src/dispatch/index.js';
import { TaskError } from '../../src/tasks.js';
import { rejectionOf, taskRequest } from './request.js';

describe('parseResource', () => {
  it('recognises Lambda ARNs, optimized and aws-sdk integrations and their patterns', () => {
    expect(parseResource('arn:aws:lambda:eu-west-1:123456789012:function:f:live')).toEqual({
      kind: 'lambda-function',
      functionName: 'arn:aws:lambda:eu-west-1:123456789012:function:f:live',
    });
    expect(parseResource('arn:aws:states:::dynamodb:putItem')).toEqual({
      kind: 'optimized',
      service: 'dynamodb',
      action: 'putItem',
      pattern: 'request-response',
    });
    expect(parseResource('arn:aws:states:::aws-sdk:sesv2:sendEmail.waitForTaskToken')).toEqual({
      kind: 'aws-sdk',
      service: 'sesv2',
      action: 'sendEmail',
      pattern: 'waitForTaskToken',
    });
    expect(parseResource('arn:aws-cn:states:::states:startExecution.sync:2')).toMatchObject({
      pattern: 'sync',
    });
    expect(parseResource('arn:aws:states:us-east-1:123456789012:activity:a')).toEqual({ kind: 'unknown' });
  });
});

describe('createTaskDispatcher', () => {
  it('routes Lambda resources to handlers and tries extra routes first', async () => {
    const dispatcher = createTaskDispatcher({
      handlers: { f: async () => 'from handler' },
      routes: [
        {
          matches: (resource) => resource.endsWith(':special'),
          dispatcher: { dispatch: async () => 'from route' },
        },
      ],
    });
    expect(
      await dispatcher.dispatch(taskRequest({ resource: 'arn:aws:lambda:us-east-1:1:function:f' })),
    ).toBe('from handler');
    expect(
      await dispatcher.dispatch(taskRequest({ resource: 'arn:aws:lambda:us-east-1:1:function:special' })),
    ).toBe('from route');
    dispatcher.close();
  });

  it('rejects resources it has no integration for with a clear TaskError', async () => {
    const dispatcher = createTaskDispatcher();
    const unknown = (await rejectionOf(
      dispatcher.dispatch(taskRequest({ resource: 'arn:aws:states:::ecs:runTask.sync' })),
    )) as TaskError;
    const activity = (await rejectionOf(
      dispatcher.dispatch(taskRequest({ resource: 'arn:aws:states:us-east-1:123456789012:activity:a' })),
    )) as TaskError;

    expect(unknown).toBeInstanceOf(TaskError);
    // States.Runtime: the execution fails, a States.ALL catcher cannot make an unrunnable task "pass".
    expect(unknown.error).toBe('States.Runtime');
    expect(unknown.errorCause).toContain(
      'No local integration for resource "arn:aws:states:::ecs:runTask.sync"',
    );
    expect(unknown.errorCause).toContain('dynamodb:getItem|putItem|updateItem|deleteItem');
    expect(activity.errorCause).toContain('Activities are served by GetActivityTask workers');
  });

  it('composeDispatchers uses the first matching route', async () => {
    const composed = composeDispatchers([
      { matches: () => false, dispatcher: { dispatch: async () => 1 } },
      { matches: () => true, dispatcher: { dispatch: async () => 2 } },
      { matches: () => true, dispatcher: { dispatch: async () => 3 } },
    ]);
    expect(await composed.dispatch(taskRequest({ resource: 'x' }))).toBe(2);
  });
});
