/**
 * The DynamoDB tables the tasks use, as plain data: infra/ creates them from this, the local stack creates them from
 * the synthesized template, the adapters read and write them. Single-table design.
 */
export const ONBOARDING_TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Items with this attribute (epoch seconds) expire: buyer sessions, stored early facts. */
  timeToLiveAttribute: 'ttl',
  indexes: [
    /** Console lists: onboardings by stage, newest first. gsi1pk = `STAGE#<stage>`, gsi1sk = `<updatedAt>#<id>`. */
    { name: 'byStage', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    /** Signals find their onboarding by offer id. gsi2pk = `OFFER#<offerId>`. */
    { name: 'byOffer', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    /** Signals find their onboarding by the buyer's AWS account id. gsi3pk = `BUYER#<awsAccountId>`. */
    { name: 'byBuyer', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
    /**
     * Console search by the start of the company name: gsi4pk = `NAME#<first character of the key>`, gsi4sk =
     * `<key>#<id>`, the key being nameKey(company) (tasks/domain/onboarding.ts). Only what a result row shows.
     */
    { name: 'byCompany', partitionKey: 'gsi4pk', sortKey: 'gsi4sk', include: ['summary', 'stage'] },
    /** The same for the contact's name: gsi5pk = `NAME#<first character>`, gsi5sk = `<nameKey(contact)>#<id>`. */
    { name: 'byContact', partitionKey: 'gsi5pk', sortKey: 'gsi5sk', include: ['summary', 'stage'] },
    /**
     * The console's "all" list, newest first: gsi6pk = `ONB` (one partition: onboardings are saved a few dozen times
     * each, far below a partition's 1,000 writes a second), gsi6sk = `<updatedAt>#<id>`.
     */
    { name: 'byUpdate', partitionKey: 'gsi6pk', sortKey: 'gsi6sk', include: ['summary', 'stage'] },
    /**
     * The console's work lists, soonest due first: onboardings waiting for a person (a human stage open, see waitingOf
     * in tasks/domain/onboarding.ts): gsi7pk = `WAIT` (sparse: only those), gsi7sk = `<dueAt>#<id>`; each deal step
     * waiting (Renewal, AdvisoryReview, CancellationAnswer) has its own entry, gsi7sk = `<dueAt>#<id>#<stage>[#<instance>]`.
     */
    { name: 'byDue', partitionKey: 'gsi7pk', sortKey: 'gsi7sk', include: ['summary', 'stage'] },
  ],
} as const;

/** Powertools idempotency records (its default attribute names). */
export const IDEMPOTENCY_TABLE = {
  partitionKey: 'id',
  timeToLiveAttribute: 'expiration',
} as const;

/** Environment variables the functions read (infra sets them; the local stack sets the same). */
export const ENV = {
  tableName: 'TABLE_NAME',
  idempotencyTableName: 'IDEMPOTENCY_TABLE_NAME',
  stateMachineArn: 'STATE_MACHINE_ARN',
  /** The lifecycle state machine (episodes of the deal after the sale): StartExecution. */
  lifecycleStateMachineArn: 'LIFECYCLE_STATE_MACHINE_ARN',
  emailFrom: 'EMAIL_FROM',
  supportEmail: 'SUPPORT_EMAIL',
  archiveBucket: 'ARCHIVE_BUCKET',
  productId: 'MARKETPLACE_PRODUCT_ID',
  productCode: 'MARKETPLACE_PRODUCT_CODE',
  offerUrlBase: 'MARKETPLACE_OFFER_URL_BASE',
  webBaseUrl: 'WEB_BASE_URL',
  sessionSecretName: 'SESSION_SECRET',
  /** Sales mailbox for staff tasks (Consultation, OfferFailed, OfferExpired); defaults to SUPPORT_EMAIL. */
  salesEmail: 'SALES_EMAIL',
  /** `true` for S3-compatible stand-ins that need path-style addressing (local stack). */
  archiveForcePathStyle: 'ARCHIVE_FORCE_PATH_STYLE',
  /** The provisioning adapter: `built-in` (default) or `webhook` (docs/vendor-saas.md). */
  provisioningMode: 'PROVISIONING_MODE',
  /** The vendor's provisioning API base URL (webhook mode). */
  provisioningWebhookUrl: 'PROVISIONING_WEBHOOK_URL',
  /** The Secrets Manager secret (name or ARN) holding the webhook's signing secret. */
  provisioningSecretName: 'PROVISIONING_SECRET',
  /** An EventBridge bus name: when set, every provisioning decision is also published there. */
  provisioningEventBus: 'PROVISIONING_EVENT_BUS',
  /** Per-request timeout of the webhook, in milliseconds (default 5000). */
  provisioningTimeoutMs: 'PROVISIONING_TIMEOUT_MS',
  /** 7-2 through the vendor's OpenID provider (web): its issuer; unset = the built-in sign-in. */
  buyerOidcIssuer: 'BUYER_OIDC_ISSUER',
  buyerOidcClientId: 'BUYER_OIDC_CLIENT_ID',
  /** The OIDC client secret: a Secrets Manager ARN (AWS), or the secret itself. */
  buyerOidcClientSecret: 'BUYER_OIDC_CLIENT_SECRET',
  /** The vendor's service name on the buyer's pages. */
  buyerOidcName: 'BUYER_OIDC_NAME',
  /** client_secret_basic (default) or client_secret_post. */
  buyerOidcTokenAuth: 'BUYER_OIDC_TOKEN_AUTH',
  /** Changes to the public forms' limits (tasks/domain/rate-limits.ts), JSON. */
  rateLimits: 'RATE_LIMITS',
  /** Hours an ended agreement's paid plan is kept before it is ended (0: at once). */
  planEndGraceHours: 'PLAN_END_GRACE_HOURS',
} as const;
