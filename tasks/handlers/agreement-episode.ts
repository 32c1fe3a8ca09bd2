/**
 * Lambda `agreement-episode` (workflows/contracts/functions.ts): the lifecycle workflow's task function. Ends the paid
 * plan when a grace period is over (unless a renewal arrived), records how a Renewal, AdvisoryReview or
 * CancellationAnswer ended, reads a cancellation request no answer came for, and creates, checks and sends the renewal
 * offer sales drafted at Renewal (the Catalog API).
 */
import { AgreementEpisodeInput } from '../../workflows/contracts/lifecycle.js';
import { agreementCancellationsFromEnv } from '../adapters/aws/marketplace-agreement-cancellations.js';
import { offerCatalogFromEnv } from '../adapters/aws/marketplace-catalog.js';
import { runAgreementEpisode } from '../use-cases/deal-episodes.js';
import { parseTaskInput } from '../use-cases/shared.js';
import { defineTaskHandler } from './middleware.js';
import { signalPorts } from './signal-ports.js';

export const { createHandler, handler } = defineTaskHandler({
  name: 'agreement-episode',
  ports: (c) => ({
    ...signalPorts(c),
    catalog: offerCatalogFromEnv(),
    // a cancellation request no answer came for: its status read from AWS (GetAgreementCancellationRequest)
    cancellations: agreementCancellationsFromEnv(),
  }),
  run: (ports: Parameters<typeof runAgreementEpisode>[0], event: unknown) =>
    runAgreementEpisode(ports, parseTaskInput('agreement-episode', AgreementEpisodeInput, event)),
  idempotent: true,
});
