/**
 * Lambda `marketplace-sns`: the older AWS Marketplace SNS subscription messages (subscribe-success/-fail,
 * unsubscribe-pending/-success). Accepts the Lambda SNS event (parsed with the Powertools SnsSchema) and, for
 * HTTP(S) subscribers such as the local simulator, a bare SNS Notification envelope. Deduplicated by MessageId.
 */
import { parse } from '@aws-lambda-powertools/parser';
import { SnsSchema } from '@aws-lambda-powertools/parser/schemas';
import { z } from 'zod';
import { handleSnsSubscriptionMessage, type SignalResult } from '../use-cases/marketplace-signals.js';
import { defaultHandlerDeps, type HandlerDeps, lazyHandler, taskHandler } from './runtime.js';

/** An SNS HTTP(S) delivery (the body SNS POSTs to an endpoint). */
const SnsHttpNotification = z.object({
  Type: z.literal('Notification'),
  MessageId: z.string().min(1),
  Timestamp: z.string().min(1),
  Message: z.string(),
});

type Message = { messageId: string; timestamp: string; message: string };

function messagesOf(event: unknown): Message[] | undefined {
  const lambda = parse(event, undefined, SnsSchema, true);
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

export function createHandler(deps: HandlerDeps = defaultHandlerDeps()) {
  return taskHandler(
    deps,
    'marketplace-sns',
    async (event: unknown): Promise<SignalResult[]> => {
      const messages = messagesOf(event);
      if (!messages) {
        deps.logger.error('not an SNS notification');
        return [
          { ok: false, error: 'invalid-input', issues: [{ path: '', message: 'not an SNS notification' }] },
        ];
      }
      const results: SignalResult[] = [];
      for (const m of messages) {
        const r = await handleSnsSubscriptionMessage(deps.ports, m);
        if (r.ok)
          deps.logger.info('marketplace signal', {
            kind: r.kind,
            outcome: r.outcome,
            onboardingId: r.onboardingId,
          });
        else deps.logger.error('SNS message refused', { issues: r.issues, messageId: m.messageId });
        results.push(r);
      }
      return results;
    },
    { idempotent: true, idempotencyKey: 'Records[0].Sns.MessageId || MessageId' },
  );
}

export const handler = lazyHandler(() => createHandler());
