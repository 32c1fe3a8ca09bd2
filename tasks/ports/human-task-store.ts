import type { HumanTask, HumanTaskStatus, TaskSlot } from '../domain/human-task.js';

export interface HumanTaskStore {
  /**
   * Stores the task in its slot (taskSlot: the stage, or a deal step's `<stage>#<instance>`), replacing a previous one
   * of the same slot (a re-opened stage).
   */
  put(task: HumanTask): Promise<void>;
  get(onboardingId: string, slot: TaskSlot): Promise<HumanTask | undefined>;
  list(onboardingId: string): Promise<HumanTask[]>;
  /**
   * Atomically takes the task for one completion: succeeds only if it still holds `taskToken` and is open (or its
   * claim is older than `staleBefore`). Two concurrent clicks: exactly one gets `true`.
   */
  claim(
    onboardingId: string,
    slot: TaskSlot,
    taskToken: string,
    at: string,
    staleBefore: string,
  ): Promise<boolean>;
  /** Releases a claim (sending failed for a transient reason): back to open. Only if still claimed with that token. */
  release(onboardingId: string, slot: TaskSlot, taskToken: string): Promise<void>;
  /** Records how the task ended. Only if it still holds `taskToken`. */
  finish(
    onboardingId: string,
    slot: TaskSlot,
    taskToken: string,
    result: {
      status: Exclude<HumanTaskStatus, 'open' | 'claimed'>;
      at: string;
      outcome: string;
      completedBy?: HumanTask['completedBy'];
    },
  ): Promise<void>;
}
