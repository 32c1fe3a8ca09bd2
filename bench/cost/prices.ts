/**
 * AWS list prices, us-east-1, as read on 2026-12-03 from the stored copies of the pages named in `source` (found with
 * the project's search tool). Where a figure was not on a stored AWS page, `note` says so and where it came from.
 * On-demand, no free tier, no Savings Plans. Change a price here and only here.
 */
export interface Price {
  readonly usd: number;
  /** The unit the price is for. */
  readonly per: string;
  readonly source: string;
  readonly note?: string;
}

export const PRICES_AS_OF = '2026-12-03';

export const PRICES = {
  stateTransition: {
    usd: 0.025 / 1000,
    per: 'state transition (Standard workflow)',
    source: 'https://aws.amazon.com/step-functions/pricing/',
    note: 'US East (N. Virginia) $0.0250 per 1,000 state transitions, retries included (stored page, state transitions pricing table)',
  },
  lambdaRequest: {
    usd: 0.2 / 1_000_000,
    per: 'Lambda request',
    source: 'https://aws.amazon.com/lambda/pricing/',
    note: 'the stored copy of the AWS page does not show the price table; $0.20 per 1M requests is the published request price, not verified on a stored page',
  },
  lambdaArmGbSecond: {
    usd: 0.0000133334,
    per: 'GB-second, Arm (first tier)',
    source: 'https://aws.amazon.com/lambda/pricing/',
    note: 'the stored AWS page does not show the table; the figure is from https://cloudchipr.com/blog/aws-lambda-pricing (Arm, first 7.5 billion GB-s per month, US East (N. Virginia))',
  },
  dynamoWriteRequestUnit: {
    usd: 0.625 / 1_000_000,
    per: 'DynamoDB on-demand write request unit',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    note: 'not found on a stored AWS page (third-party pages disagree: $1.25 before and $0.625 after the November 2024 on-demand price cut); $0.625 per million is used, unverified',
  },
  dynamoReadRequestUnit: {
    usd: 0.125 / 1_000_000,
    per: 'DynamoDB on-demand read request unit',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    note: 'as for writes: $0.125 per million (after the November 2024 cut), unverified on a stored AWS page',
  },
  sesMessage: {
    usd: 0.1 / 1000,
    per: 'SES outbound message (per recipient)',
    source: 'https://aws.amazon.com/ses/pricing/',
    note: 'the stored AWS FAQ (https://aws.amazon.com/ses/faqs/) points to the pricing page; $0.10 per 1,000 from https://www.acecloudinterviews.com/tutorials/aws/ses/',
  },
  eventBridgeCustomEvent: {
    usd: 1 / 1_000_000,
    per: 'EventBridge custom event published (64 KB chunk); AWS service events are free',
    source: 'https://aws.amazon.com/eventbridge/pricing/',
    note: 'not looked up on a stored page: $1.00 per million custom events is the published price, unverified here',
  },
  s3Tier1Request: {
    usd: 0.005 / 1000,
    per: 'S3 Standard PUT, COPY, POST or LIST request',
    source: 'https://aws.amazon.com/s3/pricing/',
    note: 'not looked up on a stored page: $0.005 per 1,000 is the published price, unverified here',
  },
  s3Tier2Request: {
    usd: 0.0004 / 1000,
    per: 'S3 Standard GET or other request',
    source: 'https://aws.amazon.com/s3/pricing/',
    note: 'not looked up on a stored page: $0.0004 per 1,000 is the published price, unverified here',
  },
} as const satisfies Record<string, Price>;
