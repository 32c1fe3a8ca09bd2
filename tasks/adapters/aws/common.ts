/** The ports every function has without any SDK: clock, ids, settings, logger. */

import type { Clock } from '../../ports/clock.js';
import { systemClock } from '../../ports/clock.js';
import type { TasksConfig } from '../../ports/config.js';
import type { IdGenerator } from '../../ports/id-generator.js';
import { randomIds } from '../../ports/id-generator.js';
import { silentLogger, type TaskLogger } from '../../ports/logger.js';
import { readSettings } from './env.js';

export interface CommonPorts {
  clock: Clock;
  ids: IdGenerator;
  config: TasksConfig;
  log: TaskLogger;
}

export function commonPorts(
  options: { env?: Record<string, string | undefined>; log?: TaskLogger } = {},
): CommonPorts {
  return {
    clock: systemClock,
    ids: randomIds,
    config: readSettings(options.env ?? process.env).config,
    log: options.log ?? silentLogger,
  };
}
