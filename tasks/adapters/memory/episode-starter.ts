import { episodeExecutionName, type LifecycleStart } from '../../../workflows/contracts/lifecycle.js';
import type { EpisodeStarter } from '../../ports/episode-starter.js';

/** Records the episodes started, once per execution name, as Step Functions would. */
export class MemoryEpisodeStarter implements EpisodeStarter {
  readonly started = new Map<string, LifecycleStart>();

  async start(input: LifecycleStart): Promise<{ started: boolean; executionArn?: string }> {
    const name = episodeExecutionName(input);
    if (this.started.has(name)) return { started: false };
    this.started.set(name, input);
    return {
      started: true,
      executionArn: `arn:aws:states:us-east-1:123456789012:execution:Lifecycle:${name}`,
    };
  }
}
