import { type Fact, type FactKind, factKey } from '../../domain/facts.js';
import type { FactStore } from '../../ports/fact-store.js';
import { clone } from './cursor.js';

export class MemoryFactStore implements FactStore {
  readonly items = new Map<string, Fact>();
  readonly memos = new Map<string, Record<string, unknown>>();

  async record(fact: Fact) {
    const key = `${fact.onboardingId}#${factKey(fact)}`;
    if (this.items.has(key)) return 'duplicate' as const;
    this.items.set(key, clone(fact));
    return 'recorded' as const;
  }

  async get(onboardingId: string, kind: FactKind) {
    const f = this.items.get(`${onboardingId}#${kind}`);
    return f ? clone(f) : undefined;
  }

  async list(onboardingId: string) {
    return [...this.items.values()].filter((f) => f.onboardingId === onboardingId).map(clone);
  }

  async remember(key: string, value: Record<string, unknown>, _ttlSeconds: number) {
    this.memos.set(key, clone(value));
  }

  async recall(key: string) {
    const v = this.memos.get(key);
    return v ? clone(v) : undefined;
  }
}
