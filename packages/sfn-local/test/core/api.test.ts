import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMachine, details, type Harness, harness, ROLE } from './helpers.js';

const PASS = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };
const WAIT = { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 60, End: true } } };

describe('Step Functions API semantics', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
  });
  afterEach(async () => {
    await h.rt.close();
  });

  it('CreateStateMachine: ARN, idempotent when identical, StateMachineAlreadyExists otherwise', async () => {
    const a = await h.rt.createStateMachine({ name: 'm', definition: JSON.stringify(PASS), roleArn: ROLE });
    expect(a.stateMachineArn).toBe('arn:aws:states:us-east-1:123456789012:stateMachine:m');
    const again = await h.rt.createStateMachine({
      name: 'm',
      definition: JSON.stringify(PASS),
      roleArn: ROLE,
    });
    expect(again.creationDate).toEqual(a.creationDate);
    await expect(
      h.rt.createStateMachine({ name: 'm', definition: JSON.stringify(WAIT), roleArn: ROLE }),
    ).rejects.toMatchObject({ name: 'StateMachineAlreadyExists' });
  });

  it('CreateStateMachine refuses invalid definitions with the reason, and invalid names', async () => {
    const bad = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Missing' } } };
    await expect(
      h.rt.createStateMachine({ name: 'b', definition: JSON.stringify(bad), roleArn: ROLE }),
    ).rejects.toMatchObject({
      name: 'InvalidDefinition',
      message: expect.stringContaining("Missing 'Next' target: Missing"),
    });
    await expect(
      h.rt.createStateMachine({ name: 'b', definition: '{oops', roleArn: ROLE }),
    ).rejects.toMatchObject({
      name: 'InvalidDefinition',
    });
    await expect(
      h.rt.createStateMachine({ name: 'has space', definition: JSON.stringify(PASS), roleArn: ROLE }),
    ).rejects.toMatchObject({ name: 'InvalidName' });
  });

  it('Describe, Update (revision), List with paging, tags, Delete', async () => {
    const arns: string[] = [];
    for (let i = 0; i < 5; i++) arns.push(await createMachine(h.rt, PASS, `list-${i}`));
    const d = await h.rt.describeStateMachine({ stateMachineArn: arns[0] });
    expect(d).toMatchObject({ name: 'list-0', status: 'ACTIVE', type: 'STANDARD', roleArn: ROLE });
    const u = await h.rt.updateStateMachine({ stateMachineArn: arns[0], definition: JSON.stringify(WAIT) });
    expect(u.revisionId).not.toBe(d.revisionId);
    expect((await h.rt.describeStateMachine({ stateMachineArn: arns[0] })).definition).toBe(
      JSON.stringify(WAIT),
    );
    const page1 = await h.rt.listStateMachines({ maxResults: 2 });
    const page2 = await h.rt.listStateMachines({ maxResults: 2, nextToken: page1.nextToken });
    const page3 = await h.rt.listStateMachines({ maxResults: 2, nextToken: page2.nextToken });
    expect([page1, page2, page3].flatMap((p) => p.stateMachines?.map((s) => s.name))).toEqual([
      'list-0',
      'list-1',
      'list-2',
      'list-3',
      'list-4',
    ]);
    expect(page3.nextToken).toBeUndefined();
    await h.rt.tagResource({
      resourceArn: arns[1],
      tags: [
        { key: 'team', value: 'sales' },
        { key: 'x', value: '1' },
      ],
    });
    await h.rt.untagResource({ resourceArn: arns[1], tagKeys: ['x'] });
    expect((await h.rt.listTagsForResource({ resourceArn: arns[1] })).tags).toEqual([
      { key: 'team', value: 'sales' },
    ]);
    await h.rt.deleteStateMachine({ stateMachineArn: arns[1] });
    await expect(h.rt.describeStateMachine({ stateMachineArn: arns[1] })).rejects.toMatchObject({
      name: 'StateMachineDoesNotExist',
    });
    await expect(h.rt.describeStateMachine({ stateMachineArn: 'not-an-arn' })).rejects.toMatchObject({
      name: 'InvalidArn',
    });
  });

  it('StartExecution: same name and input while running returns the same ARN; otherwise ExecutionAlreadyExists', async () => {
    const sm = await createMachine(h.rt, WAIT, 'starter');
    const a = await h.rt.startExecution({ stateMachineArn: sm, name: 'run-1', input: '{"x":1}' });
    expect(a.executionArn).toBe('arn:aws:states:us-east-1:123456789012:execution:starter:run-1');
    const b = await h.rt.startExecution({ stateMachineArn: sm, name: 'run-1', input: '{"x":1}' });
    expect(b.executionArn).toBe(a.executionArn);
    expect(b.startDate).toEqual(a.startDate);
    await expect(
      h.rt.startExecution({ stateMachineArn: sm, name: 'run-1', input: '{"x":2}' }),
    ).rejects.toMatchObject({
      name: 'ExecutionAlreadyExists',
    });
    h.clock.advance(61_000);
    await h.rt.awaitExecution(a.executionArn as string);
    await expect(
      h.rt.startExecution({ stateMachineArn: sm, name: 'run-1', input: '{"x":1}' }),
    ).rejects.toMatchObject({
      name: 'ExecutionAlreadyExists',
    });
    await expect(h.rt.startExecution({ stateMachineArn: sm, input: '{bad' })).rejects.toMatchObject({
      name: 'InvalidExecutionInput',
    });
    await expect(h.rt.startExecution({ stateMachineArn: sm, name: 'a/b' })).rejects.toMatchObject({
      name: 'InvalidName',
    });
    await expect(
      h.rt.startExecution({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:nope' }),
    ).rejects.toMatchObject({ name: 'StateMachineDoesNotExist' });
  });

  it('DescribeExecution and DescribeStateMachineForExecution (the definition the execution started with)', async () => {
    const sm = await createMachine(h.rt, PASS, 'describer');
    const { executionArn } = await h.rt.startExecution({ stateMachineArn: sm, input: '{"in":true}' });
    const d = await h.rt.awaitExecution(executionArn as string);
    expect(d).toMatchObject({
      executionArn,
      stateMachineArn: sm,
      status: 'SUCCEEDED',
      input: '{"in":true}',
      output: '{"in":true}',
      inputDetails: { included: true },
      outputDetails: { included: true },
    });
    expect(d.stopDate).toBeInstanceOf(Date);
    await h.rt.updateStateMachine({ stateMachineArn: sm, definition: JSON.stringify(WAIT) });
    const forExec = await h.rt.describeStateMachineForExecution({ executionArn });
    expect(forExec.definition).toBe(JSON.stringify(PASS));
    await expect(
      h.rt.describeExecution({
        executionArn: 'arn:aws:states:us-east-1:123456789012:execution:describer:none',
      }),
    ).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
  });

  it('ListExecutions: newest first, statusFilter, paging', async () => {
    const sm = await createMachine(h.rt, WAIT, 'lister');
    const arns: string[] = [];
    for (let i = 0; i < 5; i++) {
      arns.push((await h.rt.startExecution({ stateMachineArn: sm, name: `e${i}` })).executionArn as string);
      h.clock.advance(1_000);
    }
    await h.rt.stopExecution({ executionArn: arns[1] });
    const running = await h.rt.listExecutions({ stateMachineArn: sm, statusFilter: 'RUNNING' });
    expect(running.executions?.map((e) => e.name)).toEqual(['e4', 'e3', 'e2', 'e0']);
    const aborted = await h.rt.listExecutions({ stateMachineArn: sm, statusFilter: 'ABORTED' });
    expect(aborted.executions?.map((e) => e.name)).toEqual(['e1']);
    const p1 = await h.rt.listExecutions({ stateMachineArn: sm, maxResults: 3 });
    const p2 = await h.rt.listExecutions({ stateMachineArn: sm, maxResults: 3, nextToken: p1.nextToken });
    expect([...(p1.executions ?? []), ...(p2.executions ?? [])].map((e) => e.name)).toEqual([
      'e4',
      'e3',
      'e2',
      'e1',
      'e0',
    ]);
    expect(p2.nextToken).toBeUndefined();
    await expect(h.rt.listExecutions({ stateMachineArn: sm, nextToken: '%%%' })).rejects.toMatchObject({
      name: 'InvalidToken',
    });
  });

  it('GetExecutionHistory: paging, reverseOrder, includeExecutionData=false', async () => {
    const def = {
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Next: 'B' },
        B: { Type: 'Pass', Next: 'C' },
        C: { Type: 'Pass', End: true },
      },
    };
    const sm = await createMachine(h.rt, def);
    const { executionArn } = await h.rt.startExecution({ stateMachineArn: sm, input: '{"secret":1}' });
    await h.rt.awaitExecution(executionArn as string);
    const ids: number[] = [];
    let nextToken: string | undefined;
    do {
      const page = await h.rt.getExecutionHistory({ executionArn, maxResults: 3, nextToken });
      expect((page.events ?? []).length).toBeLessThanOrEqual(3);
      ids.push(...(page.events ?? []).map((e) => e.id as number));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(ids).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const rev = await h.rt.getExecutionHistory({ executionArn, reverseOrder: true, maxResults: 5 });
    expect(rev.events?.map((e) => e.id)).toEqual([8, 7, 6, 5, 4]);
    const rev2 = await h.rt.getExecutionHistory({
      executionArn,
      reverseOrder: true,
      nextToken: rev.nextToken,
    });
    expect(rev2.events?.map((e) => e.id)).toEqual([3, 2, 1]);
    const bare = await h.rt.getExecutionHistory({ executionArn, includeExecutionData: false });
    const started = bare.events?.[0];
    expect(started?.type).toBe('ExecutionStarted');
    expect(details(started)).toEqual({ roleArn: ROLE });
    const entered = bare.events?.[1];
    expect(details(entered)).toEqual({ name: 'A' });
    const full = await h.rt.getExecutionHistory({ executionArn });
    expect(details(full.events?.[1])).toEqual({
      name: 'A',
      input: '{"secret":1}',
      inputDetails: { truncated: false },
    });
    expect(full.events?.[1]?.timestamp).toBeInstanceOf(Date);
    expect(full.events?.[1]?.previousEventId).toBe(0);
    expect(full.events?.[2]?.previousEventId).toBe(2);
  });

  it('emits executionStatusChanged and rejects calls after close', async () => {
    const seen: string[] = [];
    h.rt.on('executionStatusChanged', (e) => seen.push(e.status));
    const sm = await createMachine(h.rt, PASS);
    const { executionArn } = await h.rt.startExecution({ stateMachineArn: sm });
    await h.rt.awaitExecution(executionArn as string);
    expect(seen).toEqual(['RUNNING', 'SUCCEEDED']);
    await h.rt.close();
    await h.rt.close();
    await expect(h.rt.listStateMachines({})).rejects.toMatchObject({ name: 'ServiceUnavailable' });
  });
});
