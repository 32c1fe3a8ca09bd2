/**
 * Lambda `marketplace-events`: AWS Marketplace EventBridge events (agreement created/amended/ending/ended, license
 * updated/deprovisioned), parsed with zod by the use case (MarketplaceEvent: envelope and detail). Deduplicated by
 * the event id; a malformed event is logged and dropped (a retry would not fix it). (The Powertools parser's
 * schemas would add ~350 KB of zod to the bundle for a check the use case makes anyway.)
 */

import { dynamoPorts } from '../adapters/aws/dynamo-ports.js';
import { agreementLookupFromEnv } from '../adapters/aws/marketplace-agreement.js';
import { EntitlementReader, entitlementClient } from '../adapters/aws/marketplace-entitlement.js';
import { fulfillmentFrom } from '../adapters/aws/marketplace-fulfillment.js';
import { provisioningFor } from '../adapters/aws/provisioning.js';
import { sesMailerFromEnv } from '../adapters/aws/ses-mailer.js';
import { sfnCallbacksFromEnv } from '../adapters/aws/sfn-callbacks.js';
import { handleMarketplaceEvent, type SignalResult } from '../use-cases/marketplace-signals.js';
import { defineTaskHandler } from './middleware.js';

export const { createHandler, handler } = defineTaskHandler({
  name: 'marketplace-events',
  ports: (c) => {
    const stores = dynamoPorts({ log: c.log });
    return {
      ...stores,
      provisioning: provisioningFor(c, stores.accounts),
      callbacks: sfnCallbacksFromEnv(),
      agreements: agreementLookupFromEnv(),
      fulfillment: fulfillmentFrom({ reader: new EntitlementReader(entitlementClient()) }),
      mailer: sesMailerFromEnv(),
    };
  },
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
