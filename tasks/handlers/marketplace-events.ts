/**
 * Lambda `marketplace-events`: AWS Marketplace EventBridge events (agreement created/ended, license
 * updated/deprovisioned). The envelope is checked with the Powertools parser, the detail by the use case.
 * Deduplicated by the event id; a malformed event is logged and dropped (a retry would not fix it).
 */
import { parse } from '@aws-lambda-powertools/parser';
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas';
import { handleMarketplaceEvent, type SignalResult } from '../use-cases/marketplace-signals.js';
import { defaultHandlerDeps, type HandlerDeps, lazyHandler, taskHandler } from './runtime.js';

export function createHandler(deps: HandlerDeps = defaultHandlerDeps()) {
  return taskHandler(
    deps,
    'marketplace-events',
    async (event: unknown): Promise<SignalResult> => {
      const envelope = parse(event, undefined, EventBridgeSchema, true);
      if (!envelope.success) {
        deps.logger.error('not an EventBridge event', { error: envelope.error.message });
        return {
          ok: false,
          error: 'invalid-input',
          issues: [{ path: '', message: 'not an EventBridge event' }],
        };
      }
      const r = await handleMarketplaceEvent(deps.ports, event);
      if (r.ok)
        deps.logger.info('marketplace signal', {
          kind: r.kind,
          outcome: r.outcome,
          onboardingId: r.onboardingId,
        });
      else deps.logger.error('marketplace event refused', { issues: r.issues, eventId: envelope.data.id });
      return r;
    },
    { idempotent: true, idempotencyKey: 'id' },
  );
}

export const handler = lazyHandler(() => createHandler());
