import type { LifecycleStart } from '../../workflows/contracts/lifecycle.js';

/**
 * Starts an episode of the deal after the sale: one execution of the lifecycle state machine per agreement and
 * episode (workflows/contracts/lifecycle.ts episodeExecutionName), so an event delivered twice, or repaired by the
 * reconciliation after it arrived, starts one execution.
 */
export interface EpisodeStarter {
  start(input: LifecycleStart): Promise<{ started: boolean; executionArn?: string }>;
}
