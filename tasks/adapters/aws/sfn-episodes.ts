/** EpisodeStarter on Step Functions: StartExecution of the lifecycle state machine, named by agreement and episode. */
import { type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { episodeExecutionName, type LifecycleStart } from '../../../workflows/contracts/lifecycle.js';
import type { EpisodeStarter } from '../../ports/episode-starter.js';
import { ENV } from '../../table.js';
import { required } from './env.js';
import { sfnClient } from './sfn-callbacks.js';

export class SfnEpisodes implements EpisodeStarter {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: () => string,
  ) {}

  async start(input: LifecycleStart): Promise<{ started: boolean; executionArn?: string }> {
    try {
      const out = await this.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn(),
          name: episodeExecutionName(input),
          input: JSON.stringify(input),
        }),
      );
      return { started: true, ...(out.executionArn ? { executionArn: out.executionArn } : {}) };
    } catch (err) {
      // the same episode of the same agreement was started before (another delivery of its event): nothing new
      if (err instanceof Error && err.name === 'ExecutionAlreadyExists') return { started: false };
      throw err;
    }
  }
}

export function sfnEpisodesFromEnv(env: Record<string, string | undefined> = process.env): SfnEpisodes {
  return new SfnEpisodes(
    sfnClient(),
    required(
      env,
      ENV.lifecycleStateMachineArn,
      'starting an episode of the deal (the lifecycle state machine)',
    ),
  );
}
