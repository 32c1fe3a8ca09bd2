import type { ArchivedHistory } from '../domain/audit.js';
import type { Page, PageRequest } from './page.js';

export interface ArchiveEntry {
  key: string;
  onboardingId: string;
  /** The day the execution ended (YYYY-MM-DD, UTC). */
  endedOn: string;
}

export interface HistoryArchive {
  /** Stores (or overwrites with identical content) the history; returns its key. */
  put(history: ArchivedHistory): Promise<{ key: string }>;
  get(key: string): Promise<ArchivedHistory | undefined>;
  /** Archives whose execution ended between `from` and `to` (inclusive days, YYYY-MM-DD), oldest first. */
  list(range: { from: string; to: string } & PageRequest): Promise<Page<ArchiveEntry>>;
}

/** `histories/<YYYY-MM-DD of the end>/<onboardingId>.json` */
export function archiveKey(onboardingId: string, endedAtIso: string): string {
  return `histories/${endedAtIso.slice(0, 10)}/${onboardingId}.json`;
}
