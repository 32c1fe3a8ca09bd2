/**
 * State transitions on the happy path of each branch (AWS bills Standard workflows per transition), measured by
 * running the synthesized definition on the project's Step Functions runtime (sfn-local) in memory, with fake
 * handlers that answer like the real ones and complete each task token through SendTaskSuccess: one per state
 * entered, plus retries (local/in-memory/run.ts).
 */
import { fakeHandlers, happyCallbacks, START } from '../../local/in-memory/fakes.js';
import { runInMemory } from '../../local/in-memory/run.js';
import type { AslStateMachine } from '../../workflows/asl.js';

export type Branch = 'new' | 'existing';

export interface TransitionFigure {
  readonly branch: Branch;
  readonly status: string;
  readonly transitions: number;
  readonly path: readonly string[];
  readonly contractViolations: readonly string[];
}

export async function happyPathTransitions(asl: AslStateMachine, branch: Branch): Promise<TransitionFigure> {
  const fakes = fakeHandlers({ callbacks: happyCallbacks(branch) });
  const r = await runInMemory(asl, START, fakes.handler, {
    executionName: `${START.onboardingId}-${branch}`,
  });
  return {
    branch,
    status: r.status,
    transitions: r.transitions,
    path: r.path,
    contractViolations: fakes.violations,
  };
}
