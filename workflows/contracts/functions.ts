/**
 * The Lambda functions of the project, as plain data shared by infra/ (one NodejsFunction per entry, granted exactly
 * what `access` lists), the workflow (the `workflow` entries), the local stack (the same names mapped to the same
 * modules) and the bundle benchmark. Each entry names its handler module (`entry`, from the repository root); no
 * module here imports a handler (test/unit/handlers keeps every entry pointing at a module exporting `handler`).
 * Keep this list plain data (no aws-cdk-lib, no @aws-sdk imports).
 */

/** What a function may touch; infra turns each into least-privilege IAM and environment variables. */
export type Access =
  | 'table:read' // the onboarding table and its indexes
  | 'table:write'
  | 'email:send' // SES SendEmail from the configured identity
  | 'catalog:write' // Marketplace Catalog StartChangeSet / DescribeChangeSet / DescribeEntity
  | 'metering:resolve' // Marketplace Metering ResolveCustomer
  | 'entitlement:read' // Marketplace Entitlement GetEntitlements
  | 'agreement:read' // Marketplace Agreement SearchAgreements / DescribeAgreement
  | 'agreement:cancel' // Marketplace Agreement Send/Get/CancelAgreementCancellationRequest (the seller's requests)
  | 'agreement:cancellation-read' // GetAgreementCancellationRequest alone (a request no answer came for)
  | 'states:callback' // SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat on the onboarding and lifecycle state machines
  | 'states:start' // StartExecution of the onboarding state machine
  | 'lifecycle:start' // StartExecution of the lifecycle state machine (an episode of the deal after the sale)
  | 'states:read' // DescribeExecution / GetExecutionHistory / ListExecutions
  | 'archive:write' // the audit archive bucket
  | 'archive:read'
  | 'provisioning:call' // the vendor's SaaS (docs/vendor-saas.md): its signing secret (webhook), the provisioning bus (events)
  | 'vendor-sign-in'; // 7-2 through the vendor's OpenID provider: the client secret, when buyerOidc is configured

/** How a function is triggered. */
export type Trigger =
  | 'workflow'
  | 'marketplace-events'
  | 'marketplace-sns'
  | 'execution-ended'
  | 'schedule'
  | 'http';

export interface FunctionSpec {
  /** Function name suffix and local handler key, kebab-case; also the handler file name. */
  readonly name: string;
  /** Path of the handler module from the repo root; the export is `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly trigger: Trigger;
  readonly access: readonly Access[];
  /** @default 10 */
  readonly timeoutSeconds?: number;
  /** @default 256 */
  readonly memoryMb?: number;
}

/** An entry with its handler at `tasks/handlers/<name>.ts` unless `entry` says otherwise. */
const fn = <const N extends string>(
  spec: Omit<FunctionSpec, 'entry' | 'name'> & { readonly name: N; readonly entry?: string },
) => ({ entry: `tasks/handlers/${spec.name}.ts`, ...spec }) as FunctionSpec & { readonly name: N };

/**
 * What applying a marketplace signal needs (marketplace-events, and reconcile-agreements, which repairs through the
 * same use case): email:send for support's alerts and sales' deal notices; provisioning:call because an amended
 * agreement changes the tenant's plan and an ended one ends it; entitlement:read for what an amendment grants now.
 */
const SIGNAL_ACCESS: readonly Access[] = [
  'table:read',
  'table:write',
  'states:callback',
  'lifecycle:start',
  'agreement:read',
  'entitlement:read',
  'email:send',
  'provisioning:call',
];

export const FUNCTIONS = [
  fn({
    name: 'record-inquiry',
    description: 'Inquiry: records the onboarding and sends the acknowledgement e-mail',
    trigger: 'workflow',
    access: ['table:read', 'table:write', 'email:send'],
  }),
  fn({
    name: 'open-human-task',
    description:
      'Every human stage: stores the task token server side, notifies the assignee, completes at once if its fact already arrived',
    trigger: 'workflow',
    access: ['table:read', 'table:write', 'email:send', 'states:callback'],
  }),
  fn({
    name: 'create-offer',
    description: 'CreateOffer: one StartChangeSet creating and releasing the private offer',
    trigger: 'workflow',
    access: ['table:read', 'table:write', 'catalog:write'],
  }),
  fn({
    name: 'extend-offer',
    description: 'OfferExpired/extend: a change set moving the offer expiry',
    trigger: 'workflow',
    access: ['table:read', 'table:write', 'catalog:write'],
  }),
  fn({
    name: 'check-offer',
    description: 'CreateOffer polling: DescribeChangeSet until the change set ends',
    trigger: 'workflow',
    access: ['table:read', 'table:write', 'catalog:write'],
  }),
  fn({
    name: 'send-offer-notice',
    description: 'SendOfferNotice: records the offer and mails the buyer the offer link',
    trigger: 'workflow',
    access: ['table:read', 'table:write', 'email:send'],
  }),
  fn({
    name: 'create-account',
    description: 'CreateAccount (7-1): creates the SaaS account and its first user',
    trigger: 'workflow',
    access: ['table:read', 'table:write', 'provisioning:call'],
  }),
  fn({
    name: 'activate-paid-plan',
    description:
      'ActivatePaidPlan: switches the account to the paid plan, never before the subscription is confirmed',
    trigger: 'workflow',
    access: ['table:read', 'table:write', 'entitlement:read', 'provisioning:call'],
  }),
  fn({
    name: 'notify-completion',
    description: 'NotifyCompletion: the completion e-mail',
    trigger: 'workflow',
    access: ['table:read', 'table:write', 'email:send'],
  }),
  fn({
    name: 'close-onboarding',
    description:
      'Side paths: records why an onboarding ended, expires an offer still out at the marketplace, tells support',
    trigger: 'workflow',
    access: ['table:read', 'table:write', 'email:send', 'catalog:write'],
  }),
  fn({
    name: 'agreement-episode',
    description:
      'The lifecycle workflow: plan changes and ends, deal steps recorded, the renewal offer, cancellation requests read',
    trigger: 'workflow',
    access: [
      'table:read',
      'table:write',
      'email:send',
      'provisioning:call',
      'catalog:write',
      'agreement:cancellation-read',
    ],
  }),
  fn({
    name: 'marketplace-events',
    description:
      'AWS Marketplace EventBridge events: agreement created/amended/ending/ended, license updated/deprovisioned',
    trigger: 'marketplace-events',
    access: SIGNAL_ACCESS,
  }),
  fn({
    name: 'marketplace-sns',
    description:
      'AWS Marketplace SNS subscription messages (subscribe-success/fail, unsubscribe-pending/success)',
    trigger: 'marketplace-sns',
    access: ['table:read', 'table:write', 'states:callback', 'email:send', 'provisioning:call'],
  }),
  fn({
    name: 'archive-history',
    description: 'Archives a finished execution history for audit beyond Step Functions retention',
    trigger: 'execution-ended',
    access: ['table:read', 'table:write', 'states:read', 'archive:write'],
    timeoutSeconds: 60,
  }),
  fn({
    name: 'reconcile-agreements',
    description:
      "Hourly: the seller's agreements (SearchAgreements) against our records; repairs what an event would have done",
    trigger: 'schedule',
    // the same as marketplace-events: it repairs through the same use case
    access: SIGNAL_ACCESS,
    timeoutSeconds: 900,
  }),
  fn({
    name: 'web',
    entry: 'web/lambda.ts',
    description: 'Web surfaces: inquiry form, buyer pages, staff console, audit view (Hono)',
    trigger: 'http',
    access: [
      'table:read',
      'table:write',
      'email:send',
      'states:start',
      'states:callback',
      'states:read',
      'archive:read',
      'metering:resolve',
      'entitlement:read',
      'agreement:cancel', // the deal view's cancellation request (sales, admin)
      'lifecycle:start', // … which starts its cancellation episode (the buyer's answer awaited, 8 days)
      'provisioning:call',
      'vendor-sign-in',
    ],
    timeoutSeconds: 29,
    // scrypt at N = 2^17 needs 128 MiB and one core's 0.6 s: Lambda gives CPU by memory (1,769 MB = 1 vCPU), so at
    // 1,024 MB a sign-in hashes in about 1 s instead of 2 s at 512 MB
    memoryMb: 1024,
  }),
] as const satisfies readonly FunctionSpec[];

export type FunctionName = (typeof FUNCTIONS)[number]['name'];
