/** SNS and EventBridge optimized integrations, with aws-sdk-client-mock (no local server for them here). */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { NotFoundException, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createAwsSdkDispatcher } from '../../src/dispatch/index.js';
import { TaskError } from '../../src/tasks.js';
import { rejectionOf, taskRequest } from './request.js';

const sns = mockClient(SNSClient);
const events = mockClient(EventBridgeClient);
afterEach(() => {
  sns.reset();
  events.reset();
});

const dispatcher = () =>
  createAwsSdkDispatcher({
    endpoints: { sns: 'http://127.0.0.1:1', events: 'http://127.0.0.1:1' },
    maxAttempts: 1,
  });

describe('sns:publish', () => {
  it('serialises a JSON Message and returns MessageId with the SDK metadata', async () => {
    sns
      .on(PublishCommand)
      .resolves({ MessageId: 'm-1', $metadata: { requestId: 'req-1', httpStatusCode: 200 } });

    const result = await dispatcher().dispatch(
      taskRequest({
        resource: 'arn:aws:states:::sns:publish',
        parameters: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:t', Message: { hello: 'world' } },
      }),
    );

    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input).toEqual({
      TopicArn: 'arn:aws:sns:us-east-1:123456789012:t',
      Message: '{"hello":"world"}',
    });
    expect(result).toMatchObject({
      MessageId: 'm-1',
      SdkHttpMetadata: { HttpStatusCode: 200 },
      SdkResponseMetadata: { RequestId: 'req-1' },
    });
  });

  it('names a modelled SNS error SNS.<Name> with the Java-SDK style cause', async () => {
    sns.on(PublishCommand).rejects(
      new NotFoundException({
        message: 'Topic does not exist',
        $metadata: { httpStatusCode: 404, requestId: 'r-2' },
      }),
    );
    const error = (await rejectionOf(
      dispatcher().dispatch(
        taskRequest({
          resource: 'arn:aws:states:::sns:publish.waitForTaskToken',
          parameters: { TopicArn: 'arn:t', Message: 'x' },
        }),
      ),
    )) as TaskError;
    expect(error).toBeInstanceOf(TaskError);
    expect(error.error).toBe('SNS.NotFoundException');
    expect(error.errorCause).toBe(
      'Topic does not exist (Service: AmazonSNS; Status Code: 404; Error Code: NotFound; Request ID: r-2; Proxy: null)',
    );
  });
});

describe('events:putEvents', () => {
  it('serialises each Detail and returns Entries and FailedEntryCount only', async () => {
    events
      .on(PutEventsCommand)
      .resolves({ Entries: [{ EventId: 'e-1' }], FailedEntryCount: 0, $metadata: {} });
    const result = await dispatcher().dispatch(
      taskRequest({
        resource: 'arn:aws:states:::events:putEvents',
        parameters: { Entries: [{ Source: 'app', DetailType: 'Thing', Detail: { id: 1 } }] },
      }),
    );
    expect(events.commandCalls(PutEventsCommand)[0]?.args[0].input).toEqual({
      Entries: [{ Source: 'app', DetailType: 'Thing', Detail: '{"id":1}' }],
    });
    expect(result).toEqual({ Entries: [{ EventId: 'e-1' }], FailedEntryCount: 0 });
  });

  it('fails with EventBridge.FailedEntry when an entry failed', async () => {
    const response = {
      Entries: [{ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' }],
      FailedEntryCount: 1,
    };
    events.on(PutEventsCommand).resolves({ ...response, $metadata: {} });
    const error = (await rejectionOf(
      dispatcher().dispatch(
        taskRequest({
          resource: 'arn:aws:states:::events:putEvents',
          parameters: { Entries: [{ Detail: 'x' }] },
        }),
      ),
    )) as TaskError;
    expect(error.error).toBe('EventBridge.FailedEntry');
    expect(JSON.parse(error.errorCause ?? '')).toEqual(response);
  });
});
