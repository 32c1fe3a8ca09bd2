import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../../tasks/domain/audit.js';
import { archiveHistory, exportHistories, getExecutionHistory } from '../../../tasks/use-cases/audit.js';
import { recorded, setup } from './helpers.js';

const SECRET = 'AQB8-task-token-SECRET';

function history(n: number): HistoryEvent[] {
  const events: HistoryEvent[] = [
    {
      id: 1,
      timestamp: '2025-04-01T00:00:00.000Z',
      type: 'ExecutionStarted',
      details: { input: '{"actor":{"kind":"system","id":"web"}}' },
    },
    {
      id: 2,
      timestamp: '2025-04-01T00:00:01.000Z',
      type: 'TaskStateEntered',
      details: { name: 'Consultation', input: '{}' },
    },
    {
      id: 3,
      timestamp: '2025-04-01T00:00:02.000Z',
      type: 'TaskScheduled',
      details: {
        resource: 'invoke.waitForTaskToken',
        parameters: JSON.stringify({ Payload: { taskToken: SECRET } }),
      },
    },
  ];
  for (let i = events.length + 1; i <= n; i++)
    events.push({
      id: i,
      timestamp: '2025-04-02T00:00:00.000Z',
      type: 'PassStateEntered',
      details: { name: `S${i}` },
    });
  return events;
}

async function finished(status: 'RUNNING' | 'SUCCEEDED' = 'SUCCEEDED', events = 250) {
  const ports = setup();
  const id = await recorded(ports);
  const executionArn = ports.history.executionArnFor(id);
  ports.history.add(
    {
      executionArn,
      name: id,
      status,
      startDate: '2025-04-01T00:00:00.000Z',
      ...(status === 'RUNNING' ? {} : { stopDate: '2025-04-09T00:00:00.000Z' }),
    },
    history(events),
  );
  return { ports, id, executionArn };
}

describe('getExecutionHistory', () => {
  it('reads every page of the live history, tokens redacted', async () => {
    const { ports, id } = await finished('RUNNING');

    const r = await getExecutionHistory(ports, id);

    if (!r.ok) throw new Error('not found');
    expect(r.source).toBe('live');
    expect(r.events).toHaveLength(250);
    expect(ports.history.pagesServed).toBe(3);
    expect(JSON.stringify(r)).not.toContain(SECRET);
    expect(r.rows[0]).toMatchObject({ eventId: 1, actor: 'system:web' });
  });

  it('falls back to the archive once Step Functions has forgotten the execution', async () => {
    const { ports, id, executionArn } = await finished();
    await archiveHistory(ports, { executionArn });
    ports.history.forget(executionArn);

    const r = await getExecutionHistory(ports, id);

    expect(r).toMatchObject({ ok: true, source: 'archive' });
    expect(r.ok && r.events).toHaveLength(250);
  });
});

describe('archiveHistory', () => {
  it('stores a terminal execution (redacted) and records it on the onboarding', async () => {
    const { ports, id, executionArn } = await finished();

    const r = await archiveHistory(ports, { executionArn });

    expect(r).toEqual({ ok: true, key: `histories/2025-04-09/${id}.json`, events: 250, onboardingId: id });
    expect(JSON.stringify([...ports.archive.objects.values()])).not.toContain(SECRET);
    expect((await ports.onboardings.get(id))?.archive).toMatchObject({
      key: `histories/2025-04-09/${id}.json`,
      events: 250,
    });
  });

  it('leaves a running execution alone', async () => {
    const { ports, executionArn } = await finished('RUNNING');
    expect(await archiveHistory(ports, { executionArn })).toEqual({ ok: false, error: 'still-running' });
    expect(ports.archive.objects.size).toBe(0);
  });
});

describe('exportHistories', () => {
  it('exports archived and live executions of the range once each', async () => {
    const { ports, executionArn } = await finished('SUCCEEDED', 5);
    await archiveHistory(ports, { executionArn });
    const other = await recorded(ports);
    ports.history.add(
      {
        executionArn: ports.history.executionArnFor(other),
        name: other,
        status: 'RUNNING',
        startDate: '2025-04-05T00:00:00.000Z',
      },
      history(4),
    );

    const inRange = await exportHistories(ports, { from: '2025-04-01', to: '2025-04-30' });
    const outOfRange = await exportHistories(ports, { from: '2025-05-01', to: '2025-05-31' });

    expect(inRange).toMatchObject({ ok: true, executions: 2 });
    expect(inRange.ok && inRange.rows).toHaveLength(9);
    expect(outOfRange).toEqual({ ok: true, executions: 0, rows: [] });
  });

  it('names bad dates', async () => {
    const ports = setup();
    expect(await exportHistories(ports, { from: '2025-13-01', to: '2025-01-01' })).toMatchObject({
      ok: false,
      issues: [{ path: 'from' }],
    });
    expect(await exportHistories(ports, { from: '2025-02-01', to: '2025-01-01' })).toMatchObject({
      ok: false,
      issues: [{ path: 'from', message: 'from must not be after to' }],
    });
  });
});
