/** Options of the marketplace simulator, validated at start (zod) so a bad value fails with a clear message. */
import { z } from 'zod';
import type { SnsNotification } from './notify/sns.js';

const accountId = z.string().regex(/^\d{12}$/, 'an AWS account id is 12 digits');

export const dimensionSchema = z.object({
  key: z.string().min(1).max(100),
  name: z.string().min(1).optional(),
  unit: z.string().optional(),
});

export const simulatorOptionsSchema = z.object({
  /** 0 picks a free port. */
  port: z.number().int().min(0).max(65_535).default(0),
  host: z.string().default('127.0.0.1'),
  /** Folder for marketplace.sqlite; in-memory when omitted. */
  dataDir: z.string().min(1).optional(),
  /** Where the buyer's "アカウントを設定" form POSTs `x-amzn-marketplace-token`. */
  fulfillmentUrl: z.url(),
  productCode: z.string().min(1).max(255),
  productId: z.string().regex(/^prod-[A-Za-z0-9]+$/, 'a product id looks like prod-abcdefghijklm'),
  productTitle: z.string().min(1).default('SaaS Product'),
  sellerName: z.string().min(1).default('Example Seller'),
  /** Dimensions of the product; pricing terms naming others fail. Any key is accepted when omitted. */
  dimensions: z.array(dimensionSchema).optional(),
  /** EventBridge endpoint for the agreement/license events (the local bus). Recorded only when omitted. */
  eventsEndpoint: z.url().optional(),
  eventBusName: z.string().min(1).default('default'),
  /** Also send the `- Manufacturer` variants of the agreement events. */
  manufacturerAgreementEvents: z.boolean().default(false),
  /**
   * `Purchase Agreement Created` with intent REPLACE also names `agreement.previousAgreementId`. AWS documents that
   * field only for RENEW, so a REPLACE leaves it out unless this is set.
   */
  previousAgreementIdOnReplace: z.boolean().default(false),
  /**
   * Receives the aws-mp-subscription-notification messages as SNS `Notification` envelopes: a URL (POSTed like
   * an SNS HTTP subscription) or a function (e.g. wrapping `snsLambdaEvent(envelope)` for a Lambda handler).
   */
  snsCallback: z
    .union([
      z.url(),
      z.custom<(notification: SnsNotification) => Promise<void>>(
        (v) => typeof v === 'function',
        'a URL or a function',
      ),
    ])
    .optional(),
  /**
   * AWS's e-mails to buyers ("You have a new Private Offer" when an offer is released), sent through SES v2
   * SendEmail at `sesEndpoint`. AWS mails the e-mail address of each targeted account's root user: here
   * `accountEmails` (per account, also settable at run time with `admin.setAccountEmail`), else `accountEmailPattern`
   * with `{accountId}` replaced; an account with neither gets no mail. No mail is sent when omitted.
   */
  offerMail: z
    .object({
      sesEndpoint: z.url(),
      from: z.email().default('no-reply@marketplace.aws'),
      accountEmails: z.record(accountId, z.email()).default({}),
      accountEmailPattern: z
        .string()
        .refine((p) => p.includes('{accountId}'), 'the pattern must contain {accountId}')
        .optional(),
    })
    .optional(),
  /** Time a change set takes from PREPARING to SUCCEEDED/FAILED. */
  changeSetDelayMs: z.number().int().min(0).default(1_000),
  /** Life of a registration token (x-amzn-marketplace-token). */
  tokenTtlSeconds: z.number().positive().default(3_600),
  /** ResolveCustomer of an already redeemed token answers ExpiredTokenException. */
  singleUseTokens: z.boolean().default(false),
  /** ResolveCustomer/GetEntitlements return CustomerIdentifier (not populated for new integrations on AWS). */
  populateCustomerIdentifier: z.boolean().default(true),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'a region looks like us-east-1'),
  sellerAccountId: accountId,
  /** Receives the simulator's own log lines; silent when omitted. */
  logger: z
    .custom<SimulatorLogger>((v) => typeof v === 'object' && v !== null && 'error' in v && 'info' in v)
    .optional(),
});

export interface SimulatorLogger {
  info(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

export type SimulatorOptions = z.input<typeof simulatorOptionsSchema>;
export type SimulatorConfig = z.output<typeof simulatorOptionsSchema>;

export function parseOptions(options: SimulatorOptions): SimulatorConfig {
  const parsed = simulatorOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(options)'}: ${i.message}`);
    throw new Error(`startMarketplaceSimulator: invalid options\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export const SILENT_LOGGER: SimulatorLogger = { info: () => {}, error: () => {} };
