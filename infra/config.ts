/**
 * Deployment configuration, read from CDK context (`cdk.json` "context", or `-c key=value` on the command line).
 * Every value has a default so `npm run synth` works on a fresh clone; set the real ones before `npm run deploy`
 * (see README "Configuration").
 */
import * as z from 'zod';
import { RateLimitOverridesSchema } from '../tasks/domain/rate-limits.js';

const email = (key: string) => z.email({ message: `${key} must be an e-mail address` });
const int = (key: string, min: number, max: number) =>
  z.coerce
    .number({ message: `${key} must be a number` })
    .int(`${key} must be a whole number`)
    .min(min, `${key} must be at least ${min}`)
    .max(max, `${key} must be at most ${max}`);

/**
 * The vendor's SaaS (docs/vendor-saas.md): `built-in` (the embedded directory) or `webhook` (the vendor's API at
 * `webhookUrl`, https, signed with a secret the stack creates in Secrets Manager); `events` also publishes every
 * provisioning decision on a dedicated EventBridge bus. Given as an object in cdk.json or as JSON with -c.
 */
/** An object context value given as JSON on the command line (`-c key='{...}'`) is parsed; anything else passes. */
function fromJson(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

export const ProvisioningConfig = z.preprocess(
  fromJson,
  z
    .object(
      {
        mode: z
          .enum(['built-in', 'webhook'], { message: 'provisioning.mode must be built-in or webhook' })
          .default('built-in'),
        webhookUrl: z
          .url({ protocol: /^https$/, message: 'provisioning.webhookUrl must be an https URL' })
          .optional(),
        events: z
          .union([z.boolean(), z.enum(['true', 'false']).transform((b) => b === 'true')])
          .default(false),
        timeoutMs: int('provisioning.timeoutMs', 100, 8000).default(5000),
      },
      { message: 'provisioning must be an object (JSON with -c)' },
    )
    .strict()
    .refine((p) => p.mode !== 'webhook' || p.webhookUrl, {
      path: ['webhookUrl'],
      message: 'provisioning.webhookUrl is required when provisioning.mode is webhook',
    }),
);

/**
 * 7-2 through the vendor's OpenID provider (docs/vendor-saas.md "Sign-in"): its issuer (https, with discovery), the
 * client id registered for the onboarding's buyer pages, and the service's name shown to the buyer. The client
 * secret goes into the Secrets Manager secret the stack creates (put-secret-value). Absent: the built-in sign-in.
 */
export const BuyerOidcContext = z.preprocess(
  fromJson,
  z
    .object(
      {
        issuer: z.url({ protocol: /^https$/, message: 'buyerOidc.issuer must be an https URL' }),
        clientId: z.string().min(1, 'buyerOidc.clientId is required').max(255),
        name: z.string().min(1).max(100).optional(),
        tokenAuthMethod: z
          .enum(['client_secret_basic', 'client_secret_post'], {
            message: 'buyerOidc.tokenAuthMethod must be client_secret_basic or client_secret_post',
          })
          .optional(),
      },
      { message: 'buyerOidc must be an object { issuer, clientId, name } (JSON with -c)' },
    )
    .strict(),
);

export const OnboardingConfig = z
  .object({
    /** CloudFormation stack name; also the prefix of function and state machine names. */
    stackName: z
      .string()
      .regex(
        /^[A-Za-z][A-Za-z0-9-]{0,39}$/,
        'stackName must be 1-40 letters, digits or - and start with a letter',
      )
      .default('MarketplaceOnboarding'),
    /** SES identity the e-mails are sent from: a domain (verified with DKIM records) or one e-mail address. */
    sesIdentity: z
      .string()
      .regex(
        /^([^@\s]+@)?[a-z0-9-]+(\.[a-z0-9-]+)+$/i,
        'sesIdentity must be a domain (example.com) or an e-mail address',
      )
      .default('example.com'),
    /** From address; must belong to sesIdentity. @default no-reply@<domain> (or the identity's e-mail) */
    emailFrom: email('emailFrom').optional(),
    /** Support's mailbox: alerts (stage timed out, onboarding closed) go here. @default support@<domain> */
    supportEmail: email('supportEmail').optional(),
    /** Sales' mailbox: copies of offer and completion mails. @default supportEmail */
    salesEmail: email('salesEmail').optional(),
    /** The SaaS product in AWS Marketplace. */
    productId: z
      .string()
      .regex(/^prod-[a-z0-9]{8,20}$/, 'productId must look like prod-abcdefghijklm')
      .default('prod-example0000000'),
    productCode: z
      .string()
      .regex(
        /^[a-z0-9]{10,40}$/,
        'productCode must be the lowercase product code from the Marketplace portal',
      )
      .default('exampleproductcode0000'),
    /** Base of the offer link mailed to the buyer. */
    offerUrlBase: z
      .url({ message: 'offerUrlBase must be a URL' })
      .default('https://aws.amazon.com/marketplace/fp'),
    /** Region of the AWS Marketplace APIs (Catalog, agreement events): us-east-1. */
    marketplaceRegion: z.string().default('us-east-1'),
    /** Public URL of the web app (custom domain). @default the HTTP API's endpoint */
    webBaseUrl: z.url({ message: 'webBaseUrl must be a URL' }).optional(),
    /** Topic of the older AWS Marketplace SNS subscription notifications; when set, marketplace-sns subscribes. */
    marketplaceSnsTopicArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:.+$/, 'marketplaceSnsTopicArn must be an SNS topic ARN')
      .optional(),
    /** Object Lock mode of the audit archive: GOVERNANCE (privileged users can shorten) or COMPLIANCE (no one can). */
    archiveRetentionMode: z
      .enum(['GOVERNANCE', 'COMPLIANCE'], {
        message: 'archiveRetentionMode must be GOVERNANCE or COMPLIANCE',
      })
      .default('GOVERNANCE'),
    /** Days each archived history is locked. @default 2557 (7 years) */
    archiveRetentionDays: int('archiveRetentionDays', 1, 36_500).default(2557),
    /** Hours an ended agreement's paid plan is kept before it is ended (a renewal meanwhile keeps it). @default 0 */
    planEndGraceHours: int('planEndGraceHours', 0, 720).default(0),
    /** Days CloudWatch keeps function, API and state machine logs. */
    logRetentionDays: int('logRetentionDays', 1, 3653).default(365),
    /** Cognito hosted-UI domain prefix (globally unique per region). @default <stackName lowercased>-<account id> */
    cognitoDomainPrefix: z
      .string()
      .regex(
        /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
        'cognitoDomainPrefix must be lowercase letters, digits and -',
      )
      .optional(),
    /** The vendor's SaaS: `{ mode, webhookUrl, events, timeoutMs }` (docs/vendor-saas.md). @default built-in, no events */
    provisioning: ProvisioningConfig.default({ mode: 'built-in', events: false, timeoutMs: 5000 }),
    /**
     * Per-client limits of the public forms (tasks/domain/rate-limits.ts), e.g. `{"inquiryPerAddress":{"limit":20}}`:
     * the web function's RATE_LIMITS. @default the limits as measured for people (5 inquiries / 10 min per address, …)
     */
    rateLimits: z.preprocess(fromJson, RateLimitOverridesSchema).optional(),
    /** The vendor's OpenID provider for 7-2: `{ issuer, clientId, name }`. @default none: the built-in sign-in */
    buyerOidc: BuyerOidcContext.optional(),
    /**
     * Pins the Lambda runtime version (and with it the AWS SDK the functions import from the runtime): the
     * RuntimeVersionArn of a deployed function. @default none: the runtime updates only when the stack is deployed
     */
    lambdaRuntimeVersionArn: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:lambda:[a-z0-9-]+::runtime:[a-f0-9]{64}$/,
        'lambdaRuntimeVersionArn must be a runtime version ARN (arn:aws:lambda:<region>::runtime:<64 hex>)',
      )
      .optional(),
  })
  .transform((c) => {
    const at = c.sesIdentity.indexOf('@');
    const domain = at >= 0 ? c.sesIdentity.slice(at + 1) : c.sesIdentity;
    const emailFrom = c.emailFrom ?? (at >= 0 ? c.sesIdentity : `no-reply@${domain}`);
    const supportEmail = c.supportEmail ?? `support@${domain}`;
    return { ...c, emailFrom, supportEmail, salesEmail: c.salesEmail ?? supportEmail, sesDomain: domain };
  })
  .superRefine((c, ctx) => {
    if (!c.emailFrom.endsWith(`@${c.sesDomain}`)) {
      ctx.addIssue({
        code: 'custom',
        path: ['emailFrom'],
        message: `emailFrom ${c.emailFrom} must be an address of the SES identity ${c.sesIdentity}`,
      });
    }
  });
export type OnboardingConfig = z.output<typeof OnboardingConfig>;

/** The context keys this app reads. */
export const CONTEXT_KEYS = Object.keys(OnboardingConfig.in.shape) as (keyof z.input<
  typeof OnboardingConfig
>)[];

/** Reads the configuration from a context getter (e.g. `app.node.tryGetContext`); throws naming each bad key. */
export function readConfig(getContext: (key: string) => unknown): OnboardingConfig {
  const raw = Object.fromEntries(
    CONTEXT_KEYS.map((key) => [key, getContext(key)]).filter(
      ([, value]) => value !== undefined && value !== '',
    ),
  );
  const parsed = OnboardingConfig.safeParse(raw);
  if (!parsed.success) {
    const detail = parsed.error.issues
      .map((i) => `  -c ${i.path.join('.')}=${JSON.stringify(raw[String(i.path[0])] ?? '')}: ${i.message}`)
      .join('\n');
    throw new Error(`Invalid deployment configuration (CDK context):\n${detail}`);
  }
  return parsed.data;
}
