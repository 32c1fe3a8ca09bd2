/**
 * A TaskDispatcher that replays the task outcomes a conformance case recorded: per state name, the next unused
 * attempt whose recorded request matches the call (parameters / input, placeholders as wildcards), else the next
 * unused one in order. `.waitForTaskToken` calls register their token so the runner can apply the case's callbacks.
 */
import { type TaskDispatcher, TaskError, type TaskRequest } from '../tasks.js';
import type { CallbackReplay, TaskReplay } from './cases.js';
import { compareValues, type Matcher } from './compare.js';

export interface PendingToken {
  state: string;
  token: string;
  /** Whether the callbacks for this token are used up (success, failure or none applied). */
  closed: boolean;
}

export class ReplayDispatcher implements TaskDispatcher {
  readonly tokens: PendingToken[] = [];
  readonly #used = new Map<string, Set<number>>();
  readonly #callbackPos = new Map<string, number>();
  /** Calls that found no recorded attempt. */
  readonly unmatched: string[] = [];

  constructor(
    readonly tasks: Record<string, TaskReplay[]>,
    readonly callbacks: Record<string, CallbackReplay[]>,
    readonly m: Matcher,
  ) {}

  #pick(req: TaskRequest): TaskReplay | undefined {
    const entries = this.tasks[req.stateName] ?? [];
    let used = this.#used.get(req.stateName);
    if (!used) {
      used = new Set();
      this.#used.set(req.stateName, used);
    }
    const free = entries.map((e, i) => ({ e, i })).filter(({ i }) => !used.has(i));
    if (free.length === 0) return undefined;
    let chosen = free[0];
    if (
      free.length > 1 &&
      req.mapItemIndex !== undefined &&
      free.some(({ e }) => e.mapIteration !== undefined)
    ) {
      const sameIteration = free.filter(({ e }) => e.mapIteration === req.mapItemIndex);
      if (sameIteration.length > 0) chosen = sameIteration[0];
      if (sameIteration.length > 1) {
        chosen =
          sameIteration.find(({ e }) => {
            const r = e.request;
            const expected = r?.parameters !== undefined ? r.parameters : r?.input;
            return expected !== undefined && compareValues(expected, req.parameters, this.m) === undefined;
          }) ?? chosen;
      }
    } else if (free.length > 1) {
      const matching = free.find(({ e }) => {
        const r = e.request;
        if (!r) return false;
        const expected = r.parameters !== undefined ? r.parameters : r.input;
        return expected !== undefined && compareValues(expected, req.parameters, this.m) === undefined;
      });
      if (matching) chosen = matching;
    }
    if (!chosen) return undefined;
    used.add(chosen.i);
    return chosen.e;
  }

  async dispatch(req: TaskRequest): Promise<unknown> {
    if (req.taskToken) this.tokens.push({ state: req.stateName, token: req.taskToken, closed: false });
    const entry = this.#pick(req);
    if (!entry) {
      this.unmatched.push(req.stateName);
      throw new TaskError(
        'Conformance.NoRecordedTask',
        `No recorded attempt left for state '${req.stateName}'`,
      );
    }
    switch (entry.kind) {
      case 'succeed':
        if (entry.submitted !== undefined) req.submitted?.(entry.submitted);
        return entry.output === undefined ? null : entry.output;
      case 'fail':
        throw new TaskError(entry.error ?? '', entry.cause);
      case 'timeout':
      case 'pending':
        return new Promise((_resolve, reject) => {
          if (req.signal.aborted) reject(new Error('aborted'));
          req.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
        });
    }
  }

  /** The next callback to apply for an open token, if the case recorded one. */
  nextCallback(): { token: PendingToken; callback: CallbackReplay } | undefined {
    for (const token of this.tokens) {
      if (token.closed) continue;
      const list = this.callbacks[token.state] ?? [];
      const pos = this.#callbackPos.get(token.state) ?? 0;
      const callback = list[pos];
      if (!callback) continue;
      this.#callbackPos.set(token.state, pos + 1);
      if (callback.kind !== 'heartbeat') token.closed = true;
      return { token, callback };
    }
    return undefined;
  }
}
