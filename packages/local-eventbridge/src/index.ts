/** Local EventBridge: event patterns, rules from a synthesized template, and a PutEvents endpoint. */
export {
  type DeliveryContext,
  type LocalEventBus,
  type StartLocalEventBusOptions,
  startLocalEventBus,
} from './bus.js';
export type { DeliveryFailure } from './delivery.js';
export { InvalidEventPatternError } from './errors.js';
export { type InputTransformer, parseJsonPath, readJsonPath, targetPayload } from './input.js';
export { compileEventPattern, type EventMatcher, type EventPattern, matchesEventPattern } from './pattern.js';
export type { BusEvent, PutEventsEntry, PutEventsResult } from './put-events.js';
export {
  type LocalRule,
  type LocalRuleTarget,
  type RulesFromTemplateOptions,
  rulesFromTemplate,
} from './template.js';
