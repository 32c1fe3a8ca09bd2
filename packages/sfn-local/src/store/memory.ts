/**
 * The in-memory store: same interface as the durable one, nothing serialised. Execution records are kept by
 * reference (the engine updates them in place), events are appended as objects.
 */
import type { ExecutionRecord, StateMachineRecord, StoredEvent, TokenRecord } from '../engine/types.js';
import type { CommitItem, EventQuery, ExecutionQuery, RunningExecution, Store } from './store.js';

interface ExecEntry {
  record: ExecutionRecord;
  events: StoredEvent[];
  seq: number;
}

export class MemoryStore implements Store {
  readonly persistent = false;
  readonly #machines = new Map<string, StateMachineRecord>();
  readonly #executions = new Map<string, ExecEntry>();
  readonly #bySm = new Map<string, ExecEntry[]>();
  readonly #tokens = new Map<string, TokenRecord['status']>();
  readonly #resources = new Map<string, Map<string, unknown>>();
  #seq = 0;

  commit(items: CommitItem[]): void {
    for (const item of items) {
      let entry = this.#executions.get(item.record.arn);
      if (!entry) {
        entry = { record: item.record, events: [], seq: this.#seq++ };
        this.#executions.set(item.record.arn, entry);
        let list = this.#bySm.get(item.record.smArn);
        if (!list) {
          list = [];
          this.#bySm.set(item.record.smArn, list);
        }
        list.push(entry);
      }
      const ev = item.events;
      if (ev.length === 1) entry.events.push(ev[0] as StoredEvent);
      else if (ev.length > 0) for (const e of ev) entry.events.push(e);
      for (const t of item.tokens) this.#tokens.set(t.token, t.status);
    }
  }

  putStateMachine(sm: StateMachineRecord): void {
    this.#machines.set(sm.arn, sm);
  }

  getStateMachine(arn: string): StateMachineRecord | undefined {
    return this.#machines.get(arn);
  }

  listStateMachines(): StateMachineRecord[] {
    return [...this.#machines.values()];
  }

  deleteStateMachine(arn: string): void {
    this.#machines.delete(arn);
  }

  putResource(kind: string, arn: string, data: unknown): void {
    let byArn = this.#resources.get(kind);
    if (!byArn) {
      byArn = new Map();
      this.#resources.set(kind, byArn);
    }
    // A copy, as the durable store keeps one: callers change their records before putting them again.
    byArn.set(arn, structuredClone(data));
  }

  getResource(kind: string, arn: string): unknown {
    const data = this.#resources.get(kind)?.get(arn);
    return data === undefined ? undefined : structuredClone(data);
  }

  listResources(kind: string): unknown[] {
    return [...(this.#resources.get(kind)?.values() ?? [])].map((d) => structuredClone(d));
  }

  deleteResource(kind: string, arn: string): void {
    this.#resources.get(kind)?.delete(arn);
  }

  getExecution(arn: string): ExecutionRecord | undefined {
    return this.#executions.get(arn)?.record;
  }

  listExecutions(q: ExecutionQuery): { items: ExecutionRecord[]; cursor?: string } {
    const list = this.#bySm.get(q.smArn) ?? [];
    let i = q.cursor !== undefined ? Number(q.cursor) : list.length - 1;
    const items: ExecutionRecord[] = [];
    for (; i >= 0 && items.length < q.limit; i--) {
      const rec = (list[i] as ExecEntry).record;
      if (!q.status || rec.status === q.status) items.push(rec);
    }
    // Skip ahead over non-matching entries so that the cursor is only returned when more may follow.
    while (i >= 0 && q.status && (list[i] as ExecEntry).record.status !== q.status) i--;
    return { items, cursor: i >= 0 ? String(i) : undefined };
  }

  getEvents(arn: string, q: EventQuery): StoredEvent[] {
    const events = this.#executions.get(arn)?.events ?? [];
    if (!q.reverse) {
      const start = q.after ?? 0;
      return events.slice(start, start + q.limit);
    }
    const end = q.after !== undefined ? q.after - 1 : events.length;
    return events.slice(Math.max(0, end - q.limit), end).reverse();
  }

  tokenStatus(token: string): TokenRecord['status'] | undefined {
    return this.#tokens.get(token);
  }

  loadRunning(): RunningExecution[] {
    return [];
  }

  close(): void {}
}
