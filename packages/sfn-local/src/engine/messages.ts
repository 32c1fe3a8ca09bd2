/** The work items that move an execution on, posted to the engine's queue and handled by the execution. */
import type { CallbackOutcome } from './types.js';

export type Message =
  | { t: 'run' }
  | { t: 'timer' }
  | { t: 'task-timeout'; attempt: number }
  | { t: 'task-submitted'; attempt: number; value: unknown }
  | { t: 'task-result'; attempt: number; ok: true; value: unknown }
  | { t: 'task-result'; attempt: number; ok: false; error: string; cause?: string }
  | { t: 'callback'; attempt: number; outcome: CallbackOutcome }
  | { t: 'heartbeat'; attempt: number }
  | { t: 'stop'; error?: string; cause?: string }
  | { t: 'exec-timeout' };
