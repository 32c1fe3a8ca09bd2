export {
  type AwsSdkDispatcher,
  type AwsSdkDispatcherOptions,
  createAwsSdkDispatcher,
  OPTIMIZED_ACTIONS,
} from './aws-sdk/dispatcher.js';
export {
  composeDispatchers,
  createTaskDispatcher,
  type DispatchRoute,
  type LocalTaskDispatcher,
  type TaskDispatcherOptions,
} from './compose.js';
export { HandlersFileError, loadHandlersFile } from './handlers-file.js';
export {
  createLambdaDispatcher,
  type LambdaDispatcherOptions,
  LambdaFunctions,
  type LambdaHandler,
  type LambdaHandlers,
} from './lambda.js';
export { type ParsedResource, parseFunctionRef, parseResource } from './resource.js';
