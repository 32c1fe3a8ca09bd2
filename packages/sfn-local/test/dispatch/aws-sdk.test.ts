/**
 * AWS SDK integrations through the dispatcher against real local servers: DynamoDB (dynalite), SES v2
 * (aws-ses-v2-local), Step Functions (our own HTTP server over a recording fake).
 */
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsSdkDispatcher } from '../../src/dispatch/index.js';
import { type StatesServer, startStatesServer } from '../../src/http/index.js';
import { TaskError } from '../../src/tasks.js';
import { recordingService } from '../api/fake-service.js';
import { rejectionOf, taskRequest } from './request.js';

// aws-ses-v2-local is CommonJS with an `exports.default`
const sesLocal = (
  createRequire(import.meta.url)('aws-ses-v2-local') as { default: typeof import('aws-ses-v2-local').default }
).default;

let dynamo: Server;
let dynamoUrl: string;
let ses: Server;
let sesUrl: string;

async function listen(server: Server): Promise<string> {
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0 });
  dynamoUrl = await listen(dynamo);
  ses = await sesLocal({ host: '127.0.0.1', port: 0 });
  sesUrl = await listen(ses);
  const client = new DynamoDBClient({
    endpoint: dynamoUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  await client.send(
    new CreateTableCommand({
      TableName: 'things',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  client.destroy();
});

afterAll(async () => {
  await new Promise((resolve) => dynamo.close(resolve));
  await new Promise((resolve) => ses.close(resolve));
});

const dispatcher = () =>
  createAwsSdkDispatcher({ endpoints: { dynamodb: dynamoUrl, sesv2: sesUrl }, maxAttempts: 1 });

describe('optimized DynamoDB integration (dynalite)', () => {
  it('puts, updates, gets and deletes an item with the result shapes of Step Functions', async () => {
    const sdk = dispatcher();
    const call = (action: string, parameters: unknown) =>
      sdk.dispatch(taskRequest({ resource: `arn:aws:states:::dynamodb:${action}`, parameters })) as Promise<
        Record<string, unknown>
      >;

    const put = await call('putItem', { TableName: 'things', Item: { id: { S: 'a' }, n: { N: '1' } } });
    const updated = await call('updateItem', {
      TableName: 'things',
      Key: { id: { S: 'a' } },
      UpdateExpression: 'SET n = n + :one',
      ExpressionAttributeValues: { ':one': { N: '1' } },
      ReturnValues: 'UPDATED_NEW',
    });
    const got = await call('getItem', { TableName: 'things', Key: { id: { S: 'a' } } });
    const deleted = await call('deleteItem', {
      TableName: 'things',
      Key: { id: { S: 'a' } },
      ReturnValues: 'ALL_OLD',
    });
    const gone = await call('getItem', { TableName: 'things', Key: { id: { S: 'a' } } });
    sdk.close();

    expect(Object.keys(put)).toEqual(['SdkHttpMetadata', 'SdkResponseMetadata']);
    expect(put.SdkHttpMetadata).toMatchObject({
      HttpStatusCode: 200,
      HttpHeaders: { 'content-type': 'application/x-amz-json-1.0' },
      AllHttpHeaders: { 'content-type': ['application/x-amz-json-1.0'] },
    });
    expect((put.SdkResponseMetadata as { RequestId: string }).RequestId).not.toBe('');
    expect(updated.Attributes).toEqual({ n: { N: '2' } });
    expect(got.Item).toEqual({ id: { S: 'a' }, n: { N: '2' } });
    expect(deleted.Attributes).toEqual({ id: { S: 'a' }, n: { N: '2' } });
    expect(Object.keys(gone)).toEqual(['SdkHttpMetadata', 'SdkResponseMetadata']);
  });

  it('names DynamoDB errors as Step Functions does', async () => {
    const sdk = dispatcher();
    await sdk.dispatch(
      taskRequest({
        resource: 'arn:aws:states:::dynamodb:putItem',
        parameters: { TableName: 'things', Item: { id: { S: 'c' } } },
      }),
    );
    const conditional = (await rejectionOf(
      sdk.dispatch(
        taskRequest({
          resource: 'arn:aws:states:::dynamodb:putItem',
          parameters: {
            TableName: 'things',
            Item: { id: { S: 'c' } },
            ConditionExpression: 'attribute_not_exists(id)',
          },
        }),
      ),
    )) as TaskError;
    const noTable = (await rejectionOf(
      sdk.dispatch(
        taskRequest({
          resource: 'arn:aws:states:::dynamodb:getItem',
          parameters: { TableName: 'nope', Key: { id: { S: 'a' } } },
        }),
      ),
    )) as TaskError;
    const invalid = (await rejectionOf(
      sdk.dispatch(
        taskRequest({
          resource: 'arn:aws:states:::dynamodb:getItem',
          parameters: { TableName: '/bad', Key: { id: { S: 'a' } } },
        }),
      ),
    )) as TaskError;
    sdk.close();

    expect(conditional).toBeInstanceOf(TaskError);
    expect(conditional.error).toBe('DynamoDB.ConditionalCheckFailedException');
    expect(conditional.errorCause).toMatch(
      /^The conditional request failed \(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException; Request ID: \S+; Proxy: null\)$/,
    );
    expect(noTable.error).toBe('DynamoDB.ResourceNotFoundException');
    expect(invalid.error).toBe('DynamoDB.AmazonDynamoDBException');
    expect(invalid.errorCause).toContain('Error Code: ValidationException');
  });

  it('fails with SdkClientException when nothing listens at the endpoint', async () => {
    const sdk = createAwsSdkDispatcher({ endpoints: { dynamodb: 'http://127.0.0.1:9' }, maxAttempts: 1 });
    const error = (await rejectionOf(
      sdk.dispatch(
        taskRequest({
          resource: 'arn:aws:states:::dynamodb:getItem',
          parameters: { TableName: 't', Key: { id: { S: 'a' } } },
        }),
      ),
    )) as TaskError;
    expect(error.error).toBe('DynamoDB.SdkClientException');
    expect(error.errorCause).toMatch(/^Unable to execute HTTP request: /);
  });
});

describe('aws-sdk integrations', () => {
  it('calls DynamoDB and names its errors <Service>.<Error>Exception', async () => {
    const sdk = dispatcher();
    const put = await sdk.dispatch(
      taskRequest({
        resource: 'arn:aws:states:::aws-sdk:dynamodb:putItem',
        parameters: { TableName: 'things', Item: { id: { S: 'b' }, tags: { SS: ['x', 'y'] } } },
      }),
    );
    const got = await sdk.dispatch(
      taskRequest({
        resource: 'arn:aws:states:::aws-sdk:dynamodb:getItem',
        parameters: { TableName: 'things', Key: { id: { S: 'b' } } },
      }),
    );
    const conditional = (await rejectionOf(
      sdk.dispatch(
        taskRequest({
          resource: 'arn:aws:states:::aws-sdk:dynamodb:putItem',
          parameters: {
            TableName: 'things',
            Item: { id: { S: 'b' } },
            ConditionExpression: 'attribute_not_exists(id)',
          },
        }),
      ),
    )) as TaskError;
    const invalid = (await rejectionOf(
      sdk.dispatch(
        taskRequest({
          resource: 'arn:aws:states:::aws-sdk:dynamodb:getItem',
          parameters: { TableName: '/bad', Key: { id: { S: 'a' } } },
        }),
      ),
    )) as TaskError;
    sdk.close();

    expect(put).toEqual({});
    expect(got).toEqual({ Item: { id: { S: 'b' }, tags: { SS: ['x', 'y'] } } });
    expect(conditional.error).toBe('DynamoDb.ConditionalCheckFailedException');
    expect(conditional.errorCause).toMatch(
      /^The conditional request failed \(Service: DynamoDb, Status Code: 400, Request ID: \S+\)$/,
    );
    expect(invalid.error).toBe('DynamoDb.DynamoDbException');
  });

  it('sends an e-mail through SES v2 (aws-sdk:sesv2:sendEmail, as CDK CallAwsService emits it)', async () => {
    const sdk = dispatcher();
    const result = await sdk.dispatch(
      taskRequest({
        resource: 'arn:aws:states:::aws-sdk:sesv2:sendEmail',
        parameters: {
          FromEmailAddress: 'sales@example.com',
          Destination: { ToAddresses: ['buyer@example.com'] },
          Content: { Simple: { Subject: { Data: 'Your offer' }, Body: { Text: { Data: 'Hello' } } } },
        },
      }),
    );
    sdk.close();

    expect(result).toEqual({ MessageId: expect.any(String) });
    const store = (await (await fetch(`${sesUrl}/store`)).json()) as {
      emails: { subject: string; destination: { to: string[] } }[];
    };
    expect(store.emails.map((e) => [e.subject, e.destination.to])).toContainEqual([
      'Your offer',
      ['buyer@example.com'],
    ]);
  });

  it('sends an e-mail through SES v1 (aws-sdk:ses:sendEmail, query protocol)', async () => {
    const sdk = createAwsSdkDispatcher({ endpoints: { sesv2: sesUrl }, maxAttempts: 1 });
    const result = await sdk.dispatch(
      taskRequest({
        resource: 'arn:aws:states:::aws-sdk:ses:sendEmail',
        parameters: {
          Source: 'sales@example.com',
          Destination: { ToAddresses: ['v1buyer@example.com'] },
          Message: { Subject: { Data: 'Offer via v1' }, Body: { Text: { Data: 'Hello' } } },
        },
      }),
    );
    sdk.close();

    expect(result).toEqual({ MessageId: expect.any(String) });
    const store = (await (await fetch(`${sesUrl}/store`)).json()) as {
      emails: { subject: string; destination: { to: string[] } }[];
    };
    expect(store.emails.map((e) => [e.subject, e.destination.to])).toContainEqual([
      'Offer via v1',
      ['v1buyer@example.com'],
    ]);
  });

  it('maps PascalCase members onto a camelCase API and serialises JSON given for a string (aws-sdk:sfn)', async () => {
    const startDate = new Date('2024-03-04T05:06:07.089Z');
    const fake = recordingService({
      startExecution: () => ({
        executionArn: 'arn:aws:states:us-east-1:123456789012:execution:sm:x',
        startDate,
      }),
    });
    const server: StatesServer = await startStatesServer({ service: fake.service, port: 0 });
    const sdk = createAwsSdkDispatcher({ endpoints: { sfn: server.url }, maxAttempts: 1 });
    try {
      const result = await sdk.dispatch(
        taskRequest({
          resource: 'arn:aws:states:::aws-sdk:sfn:startExecution',
          parameters: { StateMachineArn: 'arn:sm', Input: { key: 'value' } },
        }),
      );
      expect(fake.calls).toEqual([
        { method: 'startExecution', input: { stateMachineArn: 'arn:sm', input: '{"key":"value"}' } },
      ]);
      expect(result).toEqual({
        ExecutionArn: 'arn:aws:states:us-east-1:123456789012:execution:sm:x',
        StartDate: '2024-03-04T05:06:07.089Z',
      });
    } finally {
      sdk.close();
      await server.close();
    }
  });

  it('fails clearly when no endpoint is configured or the action does not exist', async () => {
    const sdk = dispatcher();
    const noEndpoint = (await rejectionOf(
      sdk.dispatch(taskRequest({ resource: 'arn:aws:states:::aws-sdk:s3:listBuckets' })),
    )) as TaskError;
    const noAction = (await rejectionOf(
      sdk.dispatch(taskRequest({ resource: 'arn:aws:states:::aws-sdk:dynamodb:makeCoffee' })),
    )) as TaskError;
    sdk.close();

    // Unrunnable here, so States.Runtime: the execution fails instead of a Catch hiding it.
    expect(noEndpoint.error).toBe('States.Runtime');
    expect(noEndpoint.errorCause).toContain("No endpoint configured for service 's3'");
    expect(noAction.error).toBe('States.Runtime');
    expect(noAction.errorCause).toContain("@aws-sdk/client-dynamodb has no command for action 'makeCoffee'");
  });
});
