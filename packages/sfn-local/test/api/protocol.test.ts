/**
 * The AWS JSON 1.0 protocol layer alone, against a recording fake service: routing, (de)serialisation and
 * error shapes as @aws-sdk/client-sfn reads them.
 */
import { createServer } from 'node:net';
import * as sfn from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import { type StatesServer, startStatesServer } from '../../src/http/index.js';
import { OPERATION_SHAPES } from '../../src/http/validate.js';
import { STATES_API_OPERATIONS, StatesApiError } from '../../src/service.js';
import { type FakeBehaviour, recordingService } from './fake-service.js';

let server: StatesServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(
  behaviour: FakeBehaviour = {},
  extra: { maxBodyBytes?: number; errors?: unknown[] } = {},
) {
  const fake = recordingService(behaviour);
  server = await startStatesServer({
    service: fake.service,
    port: 0,
    ...(extra.maxBodyBytes ? { maxBodyBytes: extra.maxBodyBytes } : {}),
    onInternalError: (error) => extra.errors?.push(error),
  });
  const client = new sfn.SFNClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  return { ...fake, client, url: server.url };
}

async function post(url: string, target: string | undefined, body: string) {
  const headers: Record<string, string> = { 'Content-Type': 'application/x-amz-json-1.0' };
  if (target) headers['X-Amz-Target'] = target;
  const res = await fetch(`${url}/`, { method: 'POST', headers, body });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('AWS JSON 1.0 protocol', () => {
  it('passes the SDK input to the service and returns dates as epoch seconds with milliseconds', async () => {
    const startDate = new Date('2024-05-01T10:20:30.456Z');
    const { client, calls, url } = await start({
      startExecution: () => ({
        executionArn: 'arn:aws:states:us-east-1:123456789012:execution:sm:e1',
        startDate,
      }),
    });

    const out = await client.send(
      new sfn.StartExecutionCommand({ stateMachineArn: 'arn:sm', name: 'e1', input: '{"a":1}' }),
    );

    expect(calls).toEqual([
      { method: 'startExecution', input: { stateMachineArn: 'arn:sm', name: 'e1', input: '{"a":1}' } },
    ]);
    expect(out.executionArn).toBe('arn:aws:states:us-east-1:123456789012:execution:sm:e1');
    expect(out.startDate?.toISOString()).toBe('2024-05-01T10:20:30.456Z');
    const raw = await post(url, 'AWSStepFunctions.StartExecution', '{"stateMachineArn":"arn:sm"}');
    expect(raw.json.startDate).toBe(1714558830.456);
  });

  it('routes every operation to its service method', async () => {
    const { calls, url } = await start();
    for (const [operation, method] of Object.entries(STATES_API_OPERATIONS)) {
      const shape = OPERATION_SHAPES[operation as keyof typeof STATES_API_OPERATIONS];
      const body: Record<string, unknown> = {};
      for (const member of shape.required) {
        body[member] =
          member === 'tags'
            ? [{ key: 'k', value: 'v' }]
            : member === 'tagKeys' || member === 'routingConfiguration'
              ? []
              : 'x';
      }
      const res = await post(url, `AWSStepFunctions.${operation}`, JSON.stringify(body));
      expect(res.status, operation).toBe(200);
      expect(calls.at(-1), operation).toEqual({ method, input: body });
    }
    expect(calls).toHaveLength(Object.keys(STATES_API_OPERATIONS).length);
  });

  it('requires exactly the members the Step Functions API model requires', () => {
    for (const operation of Object.keys(STATES_API_OPERATIONS) as (keyof typeof STATES_API_OPERATIONS)[]) {
      // The SDK's schema of an input structure: [3, namespace, name, traits, memberNames, memberSchemas, requiredCount]
      const schema = (sfn as unknown as Record<string, unknown[]>)[`${operation}Input$`];
      expect(schema, operation).toBeDefined();
      const names = schema?.[4] as string[];
      const requiredCount = (schema?.[6] as number | undefined) ?? 0;
      expect([...OPERATION_SHAPES[operation].required].sort(), operation).toEqual(
        names.slice(0, requiredCount).sort(),
      );
      for (const name of names)
        expect(Object.keys(OPERATION_SHAPES[operation].members), operation).toContain(name);
    }
  });

  it('surfaces API errors to the SDK as the modelled exception with its name and message', async () => {
    const { client } = await start({
      startExecution: () => {
        throw new StatesApiError('ExecutionAlreadyExists', 'Execution Already Exists: arn:e1');
      },
      describeExecution: () => {
        throw new StatesApiError('ExecutionDoesNotExist', 'Execution Does Not Exist: arn:e2');
      },
    });

    const started = client.send(new sfn.StartExecutionCommand({ stateMachineArn: 'arn:sm', name: 'e1' }));
    await expect(started).rejects.toBeInstanceOf(sfn.ExecutionAlreadyExists);
    await expect(started).rejects.toMatchObject({
      name: 'ExecutionAlreadyExists',
      message: 'Execution Already Exists: arn:e1',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      client.send(new sfn.DescribeExecutionCommand({ executionArn: 'arn:e2' })),
    ).rejects.toMatchObject({
      name: 'ExecutionDoesNotExist',
      message: 'Execution Does Not Exist: arn:e2',
    });
  });

  it('rejects missing required members with ValidationException before the service runs', async () => {
    const { client, calls, url } = await start();

    const missing = client.send(new sfn.SendTaskSuccessCommand({ taskToken: undefined, output: undefined }));
    await expect(missing).rejects.toBeInstanceOf(sfn.ValidationException);
    await expect(missing).rejects.toMatchObject({
      name: 'ValidationException',
      message:
        "2 validation errors detected: Value null at 'taskToken' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'output' failed to satisfy constraint: Member must not be null",
    });
    const badEnum = await post(url, 'AWSStepFunctions.ListExecutions', '{"statusFilter":"DONE"}');
    expect(badEnum.json.__type).toBe('ValidationException');
    expect(badEnum.json.message).toContain("Value 'DONE' at 'statusFilter'");
    const tooMany = await post(url, 'AWSStepFunctions.ListStateMachines', '{"maxResults":1001}');
    expect(tooMany.json.__type).toBe('ValidationException');
    expect(calls).toEqual([]);
  });

  it('answers protocol faults with the AWS error types', async () => {
    const { url, calls } = await start({}, { maxBodyBytes: 1024 });

    expect(await post(url, 'AWSStepFunctions.StartSomething', '{}')).toMatchObject({
      status: 400,
      json: { __type: 'UnknownOperationException' },
    });
    expect(await post(url, undefined, '{}')).toMatchObject({
      status: 400,
      json: { __type: 'UnknownOperationException' },
    });
    expect(await post(url, 'AWSStepFunctions.ListExecutions', '{"maxResults": ')).toMatchObject({
      status: 400,
      json: { __type: 'SerializationException' },
    });
    expect(await post(url, 'AWSStepFunctions.ListExecutions', '[1]')).toMatchObject({
      status: 400,
      json: { __type: 'SerializationException' },
    });
    expect(await post(url, 'AWSStepFunctions.ListExecutions', '{"maxResults":"ten"}')).toMatchObject({
      status: 400,
      json: { __type: 'SerializationException', message: expect.stringContaining('maxResults') },
    });
    const big = JSON.stringify({ stateMachineArn: 'arn:sm', input: 'x'.repeat(2048) });
    expect(await post(url, 'AWSStepFunctions.StartExecution', big)).toMatchObject({
      status: 413,
      json: { __type: 'RequestEntityTooLargeException' },
    });
    const get = await fetch(`${url}/`);
    expect(get.status).toBe(400);
    expect(((await get.json()) as { __type: string }).__type).toBe('UnknownOperationException');
    expect(calls).toEqual([]);
  });

  it('treats null members as absent and ignores unknown members', async () => {
    const { url, calls } = await start();
    await post(
      url,
      'AWSStepFunctions.ListExecutions',
      '{"stateMachineArn":"arn:sm","nextToken":null,"bogus":1}',
    );
    expect(calls).toEqual([{ method: 'listExecutions', input: { stateMachineArn: 'arn:sm' } }]);
  });

  it('answers an unexpected failure with 500 InternalFailure and reports it', async () => {
    const errors: unknown[] = [];
    const { client } = await start(
      {
        listStateMachines: () => {
          throw new Error('disk on fire');
        },
      },
      { errors },
    );
    await expect(client.send(new sfn.ListStateMachinesCommand({}))).rejects.toMatchObject({
      name: 'InternalFailure',
      $metadata: { httpStatusCode: 500 },
    });
    expect(errors).toEqual([new Error('disk on fire')]);
  });

  it('names the port when it is already taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      await expect(startStatesServer({ service: recordingService().service, port: taken })).rejects.toThrow(
        `Port ${taken} on 127.0.0.1 is already in use`,
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
