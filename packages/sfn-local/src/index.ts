/** The public API of sfn-local: the runtime, its task dispatchers and its HTTP server (the Step Functions API). */

export * from './dispatch/index.js';
export * from './http/index.js';
export {
  type Clock,
  createLocalStepFunctions,
  type ExecutionStatusChange,
  type LocalStepFunctions,
  type LocalStepFunctionsOptions,
  realClock,
  type StatesLogger,
  VirtualClock,
} from './runtime.js';
export { STATES_API_OPERATIONS, StatesApiError, type StepFunctionsService } from './service.js';
export { type TaskDispatcher, TaskError, type TaskRequest } from './tasks.js';
