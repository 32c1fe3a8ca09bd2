/**
 * AWS Marketplace's SaaS SNS topic `aws-mp-subscription-notification-<productCode>`: the `Message` body and the
 * SNS `Notification` envelope an HTTP(S) subscriber receives. The signature is a placeholder (nothing local can
 * sign as SNS); code that verifies SNS signatures must skip that check against the simulator.
 */
import { randomUUID } from 'node:crypto';
import { MARKETPLACE_SNS_ACCOUNT } from '../ids.js';

export type SubscriptionAction =
  | 'subscribe-success'
  | 'subscribe-fail'
  | 'unsubscribe-pending'
  | 'unsubscribe-success';

export const snsTopicArn = (productCode: string) =>
  `arn:aws:sns:us-east-1:${MARKETPLACE_SNS_ACCOUNT}:aws-mp-subscription-notification-${productCode}`;

export function subscriptionMessage(
  action: SubscriptionAction,
  m: { customerIdentifier: string; productCode: string; offerId: string; freeTrial: boolean },
): Record<string, string> {
  const withOffer = action === 'subscribe-success' || action === 'subscribe-fail';
  return {
    action,
    'customer-identifier': m.customerIdentifier,
    'product-code': m.productCode,
    ...(withOffer && { 'offer-identifier': m.offerId }),
    isFreeTrialTermPresent: String(m.freeTrial),
  };
}

export interface SnsNotification {
  readonly Type: 'Notification';
  readonly MessageId: string;
  readonly TopicArn: string;
  readonly Message: string;
  readonly Timestamp: string;
  readonly SignatureVersion: string;
  readonly Signature: string;
  readonly SigningCertURL: string;
  readonly UnsubscribeURL: string;
}

export function snsEnvelope(
  topicArn: string,
  message: Record<string, string>,
  now: Date,
  baseUrl: string,
): SnsNotification {
  const messageId = randomUUID();
  return {
    Type: 'Notification',
    MessageId: messageId,
    TopicArn: topicArn,
    Message: JSON.stringify(message),
    Timestamp: now.toISOString(),
    SignatureVersion: '1',
    Signature: 'LOCAL-SIMULATOR-UNSIGNED',
    SigningCertURL: `${baseUrl}/_sns/SimpleNotificationService-local.pem`,
    UnsubscribeURL: `${baseUrl}/_sns/unsubscribe?SubscriptionArn=${encodeURIComponent(`${topicArn}:${messageId}`)}`,
  };
}

/** The event a Lambda function subscribed to the topic receives for one notification (`aws:sns` record). */
export function snsLambdaEvent(n: SnsNotification, subscriptionId = 'local') {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `${n.TopicArn}:${subscriptionId}`,
        Sns: {
          Type: n.Type,
          MessageId: n.MessageId,
          TopicArn: n.TopicArn,
          Subject: null,
          Message: n.Message,
          Timestamp: n.Timestamp,
          SignatureVersion: n.SignatureVersion,
          Signature: n.Signature,
          SigningCertUrl: n.SigningCertURL,
          UnsubscribeUrl: n.UnsubscribeURL,
          MessageAttributes: {},
        },
      },
    ],
  };
}
