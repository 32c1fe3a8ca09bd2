/**
 * Lambda `marketplace-events`: AWS Marketplace EventBridge events (agreement created/ended, license
 * updated/deprovisioned), parsed with zod by the use case (MarketplaceEvent: envelope and detail). Deduplicated by
 * the event id; a malformed event is logged and dropped (a retry would not fix it). (The Powertools parser's
 * schemas would add ~350 KB of zod to the bundle for a check the use case makes anyway.)
 */

import { dynamoPorts } from '../adapters/aws/dynamo-ports.js';
import { agreementLookupFromEnv } from '../adapters/aws/marketplace-agreement.js';
import { sesMailerFromEnv } from '../adapters/aws/ses-mailer.js';
import { sfnCallbacksFromEnv } from '../adapters/aws/sfn-callbacks.js';
import { handleMarketplaceEvent, type SignalResult } from '../use-cases/marketplace-signals.js';
import { type HandlerDeps, handlerDeps, lazyHandler, taskHandler } from './runtime.js';

type Deps = HandlerDeps<Parameters<typeof handleMarketplaceEvent>[0]>;

/** Only the adapters this function uses (and so only their SDK clients in its bundle). */
export const defaultDeps = (): Deps =>
  handlerDeps(
    (c) => ({
      ...dynamoPorts({ log: c.log }),
      callbacks: sfnCallbacksFromEnv(),
      agreements: agreementLookupFromEnv(),
      mailer: sesMailerFromEnv(),
    }),
    { idempotency: true },
  );

export function createHandler(deps: Deps = defaultDeps()) {
  return taskHandler(
    deps,
    'marketplace-events',
    async (event: unknown): Promise<SignalResult> => {
      const r = await handleMarketplaceEvent(deps.ports, event);
      if (r.ok)
        deps.logger.info('marketplace signal', {
          kind: r.kind,
          outcome: r.outcome,
          onboardingId: r.onboardingId,
        });
      else deps.logger.error('marketplace event refused', { issues: r.issues });
      return r;
    },
    { idempotent: true, idempotencyKey: 'id' },
  );
}

export const handler = lazyHandler(() => createHandler());
