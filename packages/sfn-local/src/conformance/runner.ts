/**
 * Runs one conformance case on a fresh in-memory runtime (or durable, `durable`) with a virtual clock, and compares what it produced with
 * what AWS recorded (rules in the corpus README: status; output or error/cause; events by count and type, and the
 * name/input/output of state entered/exited events).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { VirtualClock } from '../clock.js';
import { createLocalStepFunctions, type LocalStepFunctions } from '../runtime.js';
import type { ConformanceCase } from './cases.js';
import { compareValues, type Matcher, matcher } from './compare.js';
import { ReplayDispatcher } from './replay.js';

export interface Produced {
  status: string;
  output?: unknown;
  error?: string;
  cause?: string;
  events: HistoryEvent[];
}

export interface CaseResult {
  passed: boolean;
  difference?: string;
  produced?: Produced;
}

export interface RunOptions {
  /** Also compare ids, previousEventIds and every detail field. */
  strict?: boolean;
  /** Wall-clock limit per case, ms. */
  timeoutMs?: number;
  /** Run on the durable store (a fresh data directory per case) instead of in memory. */
  durable?: boolean;
}

const ACCOUNT = '111111111111';
const MAX_ROUNDS = 20_000;

function parseText(s: string | undefined): unknown {
  if (s === undefined) return undefined;
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

async function history(rt: LocalStepFunctions, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await rt.getExecutionHistory({ executionArn, maxResults: 1000, nextToken });
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

function detailsOf(e: HistoryEvent): Record<string, unknown> | undefined {
  for (const [k, v] of Object.entries(e)) if (k.endsWith('EventDetails')) return v as Record<string, unknown>;
  return undefined;
}

/** Drives one case to its end; returns what the runtime produced. */
export async function produce(c: ConformanceCase, m: Matcher, durable = false): Promise<Produced> {
  const clock = new VirtualClock(Date.now());
  const dispatcher = new ReplayDispatcher(c.tasks ?? {}, c.callbacks ?? {}, m);
  const dataDir = durable ? mkdtempSync(join(tmpdir(), 'sfn-conformance-')) : undefined;
  const rt = await createLocalStepFunctions({
    dispatcher,
    clock,
    accountId: ACCOUNT,
    region: 'us-east-1',
    ...(dataDir ? { dataDir } : {}),
  });
  try {
    for (const r of c.resources ?? []) {
      if (r.kind === 'state_machine' && typeof r.name === 'string' && r.definition) {
        await rt
          .createStateMachine({
            name: r.name,
            definition: JSON.stringify(r.definition),
            roleArn: `arn:aws:iam::${ACCOUNT}:role/conformance`,
          })
          .catch(() => undefined);
      }
    }
    const { stateMachineArn } = await rt.createStateMachine({
      name: 'conformance-sm',
      definition: JSON.stringify(c.definition),
      roleArn: `arn:aws:iam::${ACCOUNT}:role/conformance`,
    });
    const { executionArn } = await rt.startExecution({
      stateMachineArn,
      name: 'conformance-execution',
      input: JSON.stringify(c.input === undefined ? {} : c.input),
    });
    if (!executionArn) throw new Error('no execution ARN');
    const actions = (c.actions ?? []).map((a) => ({ ...a, done: false }));
    for (let round = 0; round < MAX_ROUNDS; round++) {
      await rt.idle({ includeInFlight: false });
      const d = await rt.describeExecution({ executionArn });
      if (d.status !== 'RUNNING') break;
      let acted = false;
      for (const a of actions) {
        if (a.done || a.kind !== 'stopExecution') continue;
        const events = await history(rt, executionArn);
        const entered = events.some(
          (e) => e.type?.endsWith('StateEntered') && detailsOf(e)?.name === a.whenStateEntered,
        );
        if (entered || a.whenStateEntered === undefined) {
          a.done = true;
          await rt.stopExecution({ executionArn });
          acted = true;
        }
      }
      if (acted) continue;
      const next = dispatcher.nextCallback();
      if (next) {
        const { token, callback } = next;
        try {
          if (callback.kind === 'heartbeat') await rt.sendTaskHeartbeat({ taskToken: token.token });
          else if (callback.kind === 'success') {
            await rt.sendTaskSuccess({
              taskToken: token.token,
              output: JSON.stringify(callback.output ?? null),
            });
          } else if (callback.kind === 'failure') {
            await rt.sendTaskFailure({
              taskToken: token.token,
              error: callback.error,
              cause: callback.cause,
            });
          }
        } catch {
          // the token may have expired in the meantime; what happened is in the history
        }
        continue;
      }
      if (clock.runNext()) continue;
      break;
    }
    const d = await rt.describeExecution({ executionArn });
    return {
      status: d.status ?? 'UNKNOWN',
      output: d.status === 'SUCCEEDED' ? parseText(d.output) : undefined,
      error: d.error,
      cause: d.cause,
      events: await history(rt, executionArn),
    };
  } finally {
    await rt.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

function compareEvents(
  c: ConformanceCase,
  events: HistoryEvent[],
  m: Matcher,
  strict: boolean,
): string | undefined {
  const expected = c.expected.events;
  if (c.expected.eventOrder === 'parallel-normalised') {
    // Only the events whose id the recording kept must appear, in that order.
    const anchors = expected.filter((e) => typeof e.id === 'number');
    let pos = 0;
    for (const a of anchors) {
      const name = (a.details as Record<string, unknown> | undefined)?.name;
      while (pos < events.length) {
        const e = events[pos] as HistoryEvent;
        pos++;
        if (e.type === a.type && (name === undefined || detailsOf(e)?.name === name)) break;
        if (pos === events.length) return `events: ${a.type} (id ${String(a.id)}) not found in order`;
      }
    }
    return undefined;
  }
  for (let i = 0; i < Math.min(expected.length, events.length); i++) {
    const e = expected[i] as (typeof expected)[number];
    const a = events[i] as HistoryEvent;
    if (e.type !== a.type) return `events[${i}]: expected ${e.type}, got ${a.type}`;
    const ed = (e.details ?? {}) as Record<string, unknown>;
    const ad = detailsOf(a) ?? {};
    if (strict) {
      if (typeof e.id === 'number' && e.id !== a.id) return `events[${i}].id: expected ${e.id}, got ${a.id}`;
      if (typeof e.previousEventId === 'number' && e.previousEventId !== a.previousEventId) {
        return `events[${i}] (${e.type}).previousEventId: expected ${e.previousEventId}, got ${a.previousEventId}`;
      }
      const d = compareValues(ed, ad, m, `events[${i}] (${e.type})`);
      if (d) return d;
      continue;
    }
    if (e.type.endsWith('StateEntered') || e.type.endsWith('StateExited')) {
      for (const f of ['name', 'input', 'output']) {
        if (!(f in ed) && !(f in ad)) continue;
        const d = compareValues(ed[f], ad[f], m, `events[${i}] (${e.type}).${f}`);
        if (d) return d;
      }
    }
  }
  if (expected.length !== events.length) {
    const extra = events
      .slice(expected.length)
      .map((e) => e.type)
      .slice(0, 3);
    return `events: expected ${expected.length}, got ${events.length}${extra.length ? ` (extra: ${extra.join(', ')})` : ` (missing: ${expected[events.length]?.type})`}`;
  }
  return undefined;
}

export function compareCase(c: ConformanceCase, p: Produced, strict = false): string | undefined {
  const m = matcher(c.wildcards ?? []);
  const ex = c.expected;
  if (ex.status !== p.status) {
    return `status: expected ${ex.status}, got ${p.status}${p.error ? ` (${p.error}: ${String(p.cause).slice(0, 200)})` : ''}`;
  }
  if (p.status === 'SUCCEEDED') {
    const d = compareValues(ex.output, p.output, m, 'output');
    if (d) return d;
  } else {
    if (ex.error !== undefined || p.error !== undefined) {
      const d = compareValues(ex.error, p.error, m, 'error');
      if (d) return d;
    }
    if (ex.cause !== undefined || p.cause !== undefined) {
      const actual =
        ex.cause !== null && typeof ex.cause === 'object' && typeof p.cause === 'string'
          ? parseText(p.cause)
          : p.cause;
      const d = compareValues(ex.cause, actual, m, 'cause');
      if (d) return d;
    }
  }
  return compareEvents(c, p.events, m, strict);
}

export async function runCase(c: ConformanceCase, options: RunOptions = {}): Promise<CaseResult> {
  const m = matcher(c.wildcards ?? []);
  let timer: NodeJS.Timeout | undefined;
  try {
    const produced = await Promise.race([
      produce(c, m, options.durable),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('case timed out')), options.timeoutMs ?? 20_000);
      }),
    ]);
    const difference = compareCase(c, produced, options.strict);
    return { passed: difference === undefined, difference, produced };
  } catch (e) {
    return { passed: false, difference: `runner error: ${e instanceof Error ? e.message : String(e)}` };
  } finally {
    if (timer) clearTimeout(timer);
  }
}

export { matcher };
