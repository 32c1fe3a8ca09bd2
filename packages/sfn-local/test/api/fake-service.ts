/** A recording fake of the Step Functions service, for tests of the protocol layer alone. */
import type { StepFunctionsService } from '../../src/service.js';
import { STATES_API_OPERATIONS } from '../../src/service.js';

export interface RecordedCall {
  readonly method: keyof StepFunctionsService;
  readonly input: unknown;
}

export type FakeBehaviour = Partial<Record<keyof StepFunctionsService, (input: unknown) => unknown>>;

export function recordingService(behaviour: FakeBehaviour = {}): {
  service: StepFunctionsService;
  calls: RecordedCall[];
} {
  const calls: RecordedCall[] = [];
  const service = {} as Record<keyof StepFunctionsService, (input: unknown) => Promise<unknown>>;
  for (const method of Object.values(STATES_API_OPERATIONS)) {
    service[method] = async (input: unknown) => {
      calls.push({ method, input });
      const respond = behaviour[method];
      return respond ? respond(input) : {};
    };
  }
  return { service: service as unknown as StepFunctionsService, calls };
}
