/**
 * The ports of the functions that apply marketplace signals to onboardings and agreements: marketplace-events (one
 * event) and reconcile-agreements (every difference a dropped event left). Both repair through the same use case,
 * so they need the same ports.
 */

import type { CommonPorts } from '../adapters/aws/common.js';
import { dynamoPorts } from '../adapters/aws/dynamo-ports.js';
import { agreementLookupFromEnv } from '../adapters/aws/marketplace-agreement.js';
import { EntitlementReader, entitlementClient } from '../adapters/aws/marketplace-entitlement.js';
import { fulfillmentFrom } from '../adapters/aws/marketplace-fulfillment.js';
import { provisioningFor } from '../adapters/aws/provisioning.js';
import { sesMailerFromEnv } from '../adapters/aws/ses-mailer.js';
import { sfnCallbacksFromEnv } from '../adapters/aws/sfn-callbacks.js';
import { sfnEpisodesFromEnv } from '../adapters/aws/sfn-episodes.js';

export function signalPorts(c: CommonPorts) {
  const stores = dynamoPorts({ log: c.log });
  return {
    ...stores,
    provisioning: provisioningFor(c, stores.accounts),
    callbacks: sfnCallbacksFromEnv(),
    episodes: sfnEpisodesFromEnv(),
    agreements: agreementLookupFromEnv(),
    fulfillment: fulfillmentFrom({ reader: new EntitlementReader(entitlementClient()) }),
    mailer: sesMailerFromEnv(),
  };
}
