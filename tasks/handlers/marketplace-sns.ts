/**
 * Lambda `marketplace-sns`: the older AWS Marketplace SNS subscription messages (subscribe-success/-fail,
 * unsubscribe-pending/-success). Accepts the Lambda SNS event and, for
 * HTTP(S) subscribers such as the local simulator, a bare SNS Notification envelope. Deduplicated by MessageId.
 */
import * as z from 'zod';
import { dynamoPorts } from '../adapters/aws/dynamo-ports.js';
import { provisioningFor } from '../adapters/aws/provisioning.js';
import { unavailable } from '../adapters/aws/sdk-clients.js';
import { sesMailerFromEnv } from '../adapters/aws/ses-mailer.js';
import { sfnCallbacksFromEnv } from '../adapters/aws/sfn-callbacks.js';
import type { AgreementLookup } from '../ports/agreement-lookup.js';
import type { EpisodeStarter } from '../ports/episode-starter.js';
import type { MarketplaceFulfillment } from '../ports/marketplace-fulfillment.js';
import { handleSnsSubscriptionMessage, type SignalResult } from '../use-cases/marketplace-signals.js';
import { defineTaskHandler } from './middleware.js';

/** The Lambda SNS event (only what is used; the Powertools SnsSchema would add ~350 KB of zod to the bundle). */
const SnsLambdaEvent = z.object({
  Records: z
    .array(
      z.object({
        EventSource: z.literal('aws:sns').optional(),
        Sns: z.object({ MessageId: z.string().min(1), Timestamp: z.string().min(1), Message: z.string() }),
      }),
    )
    .min(1),
});

/** An SNS HTTP(S) delivery (the body SNS POSTs to an endpoint). */
const SnsHttpNotification = z.object({
  Type: z.literal('Notification'),
  MessageId: z.string().min(1),
  Timestamp: z.string().min(1),
  Message: z.string(),
});

type Message = { messageId: string; timestamp: string; message: string };

function messagesOf(event: unknown): Message[] | undefined {
  const lambda = SnsLambdaEvent.safeParse(event);
  if (lambda.success) {
    return lambda.data.Records.map((r) => ({
      messageId: r.Sns.MessageId,
      timestamp: r.Sns.Timestamp,
      message: r.Sns.Message,
    }));
  }
  const http = SnsHttpNotification.safeParse(event);
  return http.success
    ? [{ messageId: http.data.MessageId, timestamp: http.data.Timestamp, message: http.data.Message }]
    : undefined;
}

export const { createHandler, handler } = defineTaskHandler({
  name: 'marketplace-sns',
  ports: (c) => {
    const stores = dynamoPorts({ log: c.log });
    return {
      ...stores,
      provisioning: provisioningFor(c, stores.accounts),
      callbacks: sfnCallbacksFromEnv(),
      // SNS messages carry no agreement id, so DescribeAgreement is never needed (nor granted)
      agreements: unavailable<AgreementLookup>('agreements'),
      // nor entitlements (a plan change follows an agreement's amendment, which only EventBridge tells)
      fulfillment: unavailable<MarketplaceFulfillment>('fulfillment'),
      // nor episodes of the deal (each is an agreement's; advanceDeal does nothing without an agreement id)
      episodes: unavailable<EpisodeStarter>('episodes'),
      mailer: sesMailerFromEnv(),
    };
  },
  run: async (
    ports: Parameters<typeof handleSnsSubscriptionMessage>[0],
    event,
    logger,
  ): Promise<SignalResult[]> => {
    const messages = messagesOf(event);
    if (!messages) {
      logger.error('not an SNS notification');
      return [
        { ok: false, error: 'invalid-input', issues: [{ path: '', message: 'not an SNS notification' }] },
      ];
    }
    const results: SignalResult[] = [];
    for (const m of messages) {
      const r = await handleSnsSubscriptionMessage(ports, m);
      if (r.ok)
        logger.info('marketplace signal', { kind: r.kind, outcome: r.outcome, onboardingId: r.onboardingId });
      else logger.error('SNS message refused', { issues: r.issues, messageId: m.messageId });
      results.push(r);
    }
    return results;
  },
  idempotent: true,
  idempotencyKey: 'Records[0].Sns.MessageId || MessageId',
});
