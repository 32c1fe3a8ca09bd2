/**
 * Lambda `reconcile-agreements` (EventBridge Scheduler, daily; `npm run onboarding -- reconcile` on demand): the
 * seller's agreements against our records, each difference repaired through the use case its event would have gone
 * through (tasks/use-cases/reconcile-agreements.ts). Not idempotent by design: each run looks again.
 */
import { dynamoPorts } from '../adapters/aws/dynamo-ports.js';
import { agreementLookupFromEnv } from '../adapters/aws/marketplace-agreement.js';
import { EntitlementReader, entitlementClient } from '../adapters/aws/marketplace-entitlement.js';
import { fulfillmentFrom } from '../adapters/aws/marketplace-fulfillment.js';
import { provisioningFor } from '../adapters/aws/provisioning.js';
import { sesMailerFromEnv } from '../adapters/aws/ses-mailer.js';
import { sfnCallbacksFromEnv } from '../adapters/aws/sfn-callbacks.js';
import { type ReconcileReport, reconcileAgreements } from '../use-cases/reconcile-agreements.js';
import { defineTaskHandler } from './middleware.js';

export const { createHandler, handler } = defineTaskHandler({
  name: 'reconcile-agreements',
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
  run: async (ports: Parameters<typeof reconcileAgreements>[0], _event, logger): Promise<ReconcileReport> => {
    const report = await reconcileAgreements(ports, {
      onPage: (p) => logger.info('reconciling', p),
    });
    logger.info('reconciled', { agreements: report.agreements, findings: report.findings.length });
    return report;
  },
  idempotent: false,
});
