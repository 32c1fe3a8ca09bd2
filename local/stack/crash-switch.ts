/**
 * A crash on cue, for the crash tests and the crash benchmark: with `MO_CRASH_AFTER_REQUESTS=<n>` in its environment,
 * the `npm start` process kills itself with SIGKILL as it begins its n-th outgoing HTTP request after it got ready
 * (every SDK call of the functions, the web app, the simulator's deliveries: DynamoDB, SES, Step Functions, the
 * Marketplace APIs, EventBridge). So a test picks a point of the procedure by a number, the same number reaching about
 * the same point on every run, and the process dies there as it would from `kill -9`: no handler runs, nothing is
 * flushed, requests served by the same process are cut wherever they are.
 */
import { subscribe } from 'node:diagnostics_channel';

export const CRASH_AFTER_REQUESTS = 'MO_CRASH_AFTER_REQUESTS';

/** The request count from the environment, if any (a positive whole number; anything else is refused). */
export function crashAfterRequests(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env[CRASH_AFTER_REQUESTS];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`${CRASH_AFTER_REQUESTS} must be a positive whole number, got ${JSON.stringify(raw)}`);
  }
  return n;
}

/** Arms the switch: `onCrash` (default: SIGKILL this process) runs as the n-th outgoing request starts. */
export function armCrashSwitch(
  requests: number,
  onCrash: () => void = () => process.kill(process.pid, 'SIGKILL'),
): void {
  let seen = 0;
  subscribe('http.client.request.start', () => {
    seen += 1;
    if (seen === requests) onCrash();
  });
}
