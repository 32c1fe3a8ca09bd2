/**
 * Lambda `marketplace-events`: AWS Marketplace EventBridge events (agreement created/amended/ending/ended, license
 * updated/deprovisioned, a seller's cancellation request pending/approved/rejected/cancelled/failed), parsed with zod by the use case (MarketplaceEvent: envelope and detail). Deduplicated by
 * the event id; a malformed event is logged and dropped (a retry would not fix it). (The Powertools parser's
 * schemas would add ~350 KB of zod to the bundle for a check the use case makes anyway.)
 */

import { handleMarketplaceEvent, type SignalResult } from '../use-cases/marketplace-signals.js';
import { defineTaskHandler } from './middleware.js';
import { signalPorts } from './signal-ports.js';

export const { createHandler, handler } = defineTaskHandler({
  name: 'marketplace-events',
  ports: signalPorts,

  run: async (ports: Parameters<typeof handleMarketplaceEvent>[0], event, logger): Promise<SignalResult> => {
    const r = await handleMarketplaceEvent(ports, event);
    if (r.ok)
      logger.info('marketplace signal', { kind: r.kind, outcome: r.outcome, onboardingId: r.onboardingId });
    else logger.error('marketplace event refused', { issues: r.issues });
    return r;
  },
  idempotent: true,
  idempotencyKey: 'id',
});
