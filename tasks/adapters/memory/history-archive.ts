import type { ArchivedHistory } from '../../domain/audit.js';
import { type ArchiveEntry, archiveKey, type HistoryArchive } from '../../ports/history-archive.js';
import type { PageRequest } from '../../ports/page.js';
import { clone, paginate } from './cursor.js';

export class MemoryHistoryArchive implements HistoryArchive {
  readonly objects = new Map<string, ArchivedHistory>();

  async put(history: ArchivedHistory) {
    const key = archiveKey(history.onboardingId, history.execution.stopDate ?? history.archivedAt);
    this.objects.set(key, clone(history));
    return { key };
  }

  async get(key: string) {
    const h = this.objects.get(key);
    return h ? clone(h) : undefined;
  }

  async list(range: { from: string; to: string } & PageRequest) {
    const entries: ArchiveEntry[] = [...this.objects.keys()]
      .sort()
      .map((key) => {
        const [, day = '', file = ''] = key.split('/');
        return { key, endedOn: day, onboardingId: file.replace(/\.json$/, '') };
      })
      .filter((e) => e.endedOn >= range.from && e.endedOn <= range.to);
    return paginate(entries, range.limit ?? 100, range.cursor);
  }
}
