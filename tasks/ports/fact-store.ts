import type { Fact, FactKind } from '../domain/facts.js';

export interface FactStore {
  /** Stores the fact unless one of its kind is already stored for that onboarding (the first one wins). */
  record(fact: Fact): Promise<'recorded' | 'duplicate'>;
  get(onboardingId: string, kind: FactKind): Promise<Fact | undefined>;
  list(onboardingId: string): Promise<Fact[]>;
  /**
   * Short-lived memos keyed by a digest, kept for `ttlSeconds`: a resolved marketplace registration token (by its
   * SHA-256, never the token itself) so a replayed token gives the same answer without a second ResolveCustomer;
   * a marketplace event id already handled. `recall` of an expired memo returns undefined.
   */
  remember(key: string, value: Record<string, unknown>, ttlSeconds: number): Promise<void>;
  recall(key: string): Promise<Record<string, unknown> | undefined>;
}
