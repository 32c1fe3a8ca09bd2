import { type HumanTask, type TaskSlot, taskSlot } from '../../domain/human-task.js';
import type { HumanTaskStore } from '../../ports/human-task-store.js';
import { clone } from './cursor.js';

export class MemoryHumanTaskStore implements HumanTaskStore {
  readonly items = new Map<string, HumanTask>();
  private key = (onboardingId: string, slot: string) => `${onboardingId}#${slot}`;

  async put(task: HumanTask) {
    this.items.set(this.key(task.onboardingId, taskSlot(task)), clone(task));
  }

  async get(onboardingId: string, slot: TaskSlot) {
    const t = this.items.get(this.key(onboardingId, slot));
    return t ? clone(t) : undefined;
  }

  async list(onboardingId: string) {
    return [...this.items.values()]
      .filter((t) => t.onboardingId === onboardingId)
      .sort((a, b) => a.openedAt.localeCompare(b.openedAt))
      .map(clone);
  }

  async claim(onboardingId: string, slot: TaskSlot, taskToken: string, at: string, staleBefore: string) {
    const t = this.items.get(this.key(onboardingId, slot));
    if (!t || t.taskToken !== taskToken) return false;
    const stale = t.status === 'claimed' && (t.claimedAt ?? '') < staleBefore;
    if (t.status !== 'open' && !stale) return false;
    t.status = 'claimed';
    t.claimedAt = at;
    return true;
  }

  async release(onboardingId: string, slot: TaskSlot, taskToken: string) {
    const t = this.items.get(this.key(onboardingId, slot));
    if (t && t.taskToken === taskToken && t.status === 'claimed') {
      t.status = 'open';
      delete t.claimedAt;
    }
  }

  async finish(
    onboardingId: string,
    slot: TaskSlot,
    taskToken: string,
    result: Parameters<HumanTaskStore['finish']>[3],
  ) {
    const t = this.items.get(this.key(onboardingId, slot));
    if (!t || t.taskToken !== taskToken) return;
    t.status = result.status;
    t.completedAt = result.at;
    t.outcome = result.outcome;
    if (result.completedBy) t.completedBy = clone(result.completedBy);
  }
}
