/**
 * Replayed histories. An execution whose definition only moves data (Pass, Choice, Succeed, Fail in JSONPath, no
 * context object, no random intrinsic) produces its history from its input alone. When such an execution ran from
 * ExecutionStarted to ExecutionSucceeded within one commit, the durable store keeps its record (input, output) and
 * the events' timestamps instead of the events; reading the history runs the execution again, here, on the same
 * engine code, without a queue, a store or a clock, and gives back the same events.
 */
import type { Clock } from '../clock.js';
import { type CompiledMachine, loadDefinition } from '../definition.js';
import type { HistoryReplayer } from '../store/store.js';
import { Execution, type ExecutionHost } from './execution.js';
import type { Message } from './messages.js';
import type { ExecutionRecord, StoredEvent } from './types.js';

/**
 * Longest history replayed: well under one thread step budget (execution.ts), so a replay runs in one synchronous
 * pass, as the original run did.
 */
const MAX_REPLAYED_EVENTS = 200;

const DATA_STATES = new Set(['Pass', 'Choice', 'Succeed', 'Fail']);
/** What makes a run depend on more than its input: the context object (times, names), JSONata, random values. */
const NOT_REPLAYABLE = /\$\$|JSONata|States\.UUID|States\.MathRandom/;

const verdicts = new Map<string, boolean>();

function onlyDataStates(machine: CompiledMachine): boolean {
  if (machine.queryLanguage !== 'JSONPath') return false;
  for (const scope of machine.scopes.values()) {
    for (const st of scope.states.values())
      if (!DATA_STATES.has(st.type) || st.ql !== 'JSONPath') return false;
  }
  return true;
}

export function replayableDefinition(definition: string): boolean {
  let verdict = verdicts.get(definition);
  if (verdict === undefined) {
    try {
      // Searched in the parsed text: a JSON escape (`\u0024\u0024`) does not hide a word.
      verdict =
        !NOT_REPLAYABLE.test(JSON.stringify(JSON.parse(definition))) &&
        onlyDataStates(loadDefinition(definition, { trusted: true }));
    } catch {
      verdict = false;
    }
    if (verdicts.size > 1000) verdicts.clear();
    verdicts.set(definition, verdict);
  }
  return verdict;
}

/** Runs an ended execution again from its input; throws when the run does not end as the record says. */
export function replayExecution(record: ExecutionRecord, region: string, accountId: string): StoredEvent[] {
  const { output: _o, stopMs: _s, error: _e, cause: _c, ...rest } = record;
  const rerun: ExecutionRecord = { ...rest, status: 'RUNNING' };
  const queue: [string, Message][] = [];
  const clock: Clock = { now: () => record.startMs, setTimer: () => ({ cancel() {} }) };
  const host: ExecutionHost = {
    clock,
    region,
    accountId,
    checkpoints: false,
    post: (_exec, threadId, msg) => {
      queue.push([threadId, msg]);
    },
    afterCommit: () => undefined,
    dispatch: () => {
      throw new Error('a replayed execution runs no task');
    },
    newToken: () => {
      throw new Error('a replayed execution runs no task');
    },
    tokenOpened: () => undefined,
    tokenClosed: () => undefined,
    executionFinished: () => undefined,
    touched: () => undefined,
  };
  const exec = new Execution(host, rerun, loadDefinition(record.definition, { trusted: true }));
  exec.start();
  // Data states run synchronously: each message's events are pushed before `handle` returns its promise.
  for (let i = 0; i < queue.length && !exec.finished; i++) {
    const [threadId, msg] = queue[i] as [string, Message];
    exec.handle(threadId, msg).catch(() => undefined);
  }
  if (!exec.finished || rerun.status !== record.status || rerun.output !== record.output) {
    throw new Error(`The history of ${record.arn} could not be replayed (${rerun.status})`);
  }
  return exec.pending;
}

export function historyReplayer(region: string, accountId: string): HistoryReplayer {
  return {
    replayable: (definition, events) => events <= MAX_REPLAYED_EVENTS && replayableDefinition(definition),
    events: (record) => replayExecution(record, region, accountId),
  };
}
