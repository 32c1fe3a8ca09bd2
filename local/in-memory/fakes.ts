/**
 * Fake task handlers that answer like the real ones, with contract-valid results: every payload the workflow sends is
 * parsed with its schema from workflows/contracts/task-io.ts, and every callback the fakes send back is parsed with
 * STAGE_CALLBACKS. A payload that does not fit is recorded in `violations` (and the task fails).
 */
import * as z from 'zod';
import {
  ActivatePaidPlanInput,
  CheckOfferInput,
  CloseOnboardingInput,
  CreateAccountInput,
  CreateOfferInput,
  ExtendOfferInput,
  ExtensionFailedInput,
  type HumanStage,
  NotifyCompletionInput,
  type OnboardingStart,
  OpenHumanTask,
  RecordInquiryInput,
  SendOfferNoticeInput,
  STAGE_CALLBACKS,
} from '../../workflows/contracts/index.js';
import type { TaskCall, TaskHandler } from './run.js';

export const ONBOARDING_ID = 'onb-0123456789abcdef';
export const OFFER_ID = 'offer-abcdefghij12';
export const BUYER = '111122223333';

export const START: z.input<typeof OnboardingStart> = {
  onboardingId: ONBOARDING_ID,
  inquiry: {
    company: 'Example KK',
    contactName: 'Sato Hanako',
    email: 'hanako@example.co.jp',
    awsAccountId: BUYER,
    plan: 'Business',
    locale: 'ja',
  },
  actor: { kind: 'system', id: 'web' },
  receivedAt: '2025-01-06T09:00:00Z',
};

const sales = { kind: 'staff', id: 'u-sales', role: 'sales' } as const;
const buyer = { kind: 'buyer', id: BUYER } as const;
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

export const terms = (offerCreation: 'automatic' | 'manual') => ({
  actor: sales,
  plan: 'Business',
  offerName: 'Example KK Business 12 months',
  currency: 'USD',
  durationMonths: 12,
  dimensions: [{ key: 'users', price: '1200.00' }],
  offerExpiresAt: inDays(30),
  offerCreation,
  ...(offerCreation === 'manual' ? { manualOfferId: 'offer-manualmade0001' } : {}),
});

/** The callback each human stage gets on the happy path. */
export function happyCallbacks(
  registration: 'new' | 'existing',
  offerCreation: 'automatic' | 'manual' = 'automatic',
): Record<HumanStage, unknown> {
  return {
    Consultation: terms(offerCreation),
    AwaitAcceptance: {
      actor: { kind: 'system', id: 'marketplace-events' },
      source: 'agreement-event',
      customerAwsAccountId: BUYER,
      agreementId: 'agmt-0001',
      acceptedAt: inDays(0),
    },
    AccountSetup: {
      actor: buyer,
      customerAwsAccountId: BUYER,
      licenseArn: 'arn:aws:license-manager::123456789012:license:l-0001',
      productCode: 'exampleproductcode0000',
      entitlements: [{ dimension: 'users', value: 10 }],
      resolvedAt: inDays(0),
    },
    Registration:
      registration === 'new'
        ? { kind: 'new', actor: buyer, accountName: 'Example KK', email: 'hanako@example.co.jp' }
        : { kind: 'existing', actor: buyer, userId: 'user-42' },
    AccountSelection: { actor: buyer, accountId: 'acct-existing-7' },
    OfferFailed: { action: 'manual', actor: sales, offerId: 'offer-manualmade0002' },
    OfferExpired: { action: 'extend', actor: sales, offerExpiresAt: inDays(60) },
    StageTimedOut: { action: 'reopen', actor: { kind: 'staff', id: 'u-support', role: 'support' } },
    Renewal: { action: 'offer-sent', actor: sales },
    AdvisoryReview: { action: 'reviewed', actor: { kind: 'staff', id: 'u-support', role: 'support' } },
    CancellationAnswer: {
      action: 'answered',
      actor: { kind: 'system', id: 'marketplace-eventbridge' },
      requestId: 'acr-0001',
      status: 'REJECTED',
    },
  };
}

const INPUTS: Record<string, z.ZodType> = {
  'record-inquiry': RecordInquiryInput,
  'open-human-task': OpenHumanTask,
  'create-offer': CreateOfferInput,
  'check-offer': CheckOfferInput,
  'extend-offer': z.union([ExtendOfferInput, ExtensionFailedInput]),
  'send-offer-notice': SendOfferNoticeInput,
  'create-account': CreateAccountInput,
  'activate-paid-plan': ActivatePaidPlanInput,
  'notify-completion': NotifyCompletionInput,
  'close-onboarding': CloseOnboardingInput,
};

export interface FakeOptions {
  readonly callbacks: Record<HumanStage, unknown>;
  /** Answer a call differently (throw a TaskError, return TIMEOUT, another result); undefined = default. */
  readonly override?: (call: TaskCall, name: string) => unknown;
  /** check-offer answers APPLYING this many times before SUCCEEDED. @default 0 */
  readonly pendingChecks?: number;
}

export interface Fakes {
  readonly handler: TaskHandler;
  /** Contract mismatches: payloads the workflow sent that its schema rejects, and invalid fake callbacks. */
  readonly violations: string[];
}

/** Catalog name from a function name like `onboarding-open-human-task` or `Stack-open-human-task`. */
export const catalogName = (functionName: string): string =>
  Object.keys(INPUTS).find((n) => functionName.endsWith(n)) ?? functionName;

export function fakeHandlers(options: FakeOptions): Fakes {
  const violations: string[] = [];
  let checks = 0;
  const handler: TaskHandler = (call) => {
    const name = catalogName(call.functionName);
    const schema = INPUTS[name];
    if (!schema) throw new Error(`fake: no function ${call.functionName}`);
    const parsed = schema.safeParse(call.payload);
    if (!parsed.success) {
      violations.push(
        `${call.state} → ${name}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)}`,
      );
      throw new Error(`payload rejected by ${name}`);
    }
    const custom = options.override?.(call, name);
    if (custom !== undefined) return custom;
    switch (name) {
      case 'record-inquiry':
        return {
          onboardingId: ONBOARDING_ID,
          locale: 'ja',
          company: 'Example KK',
          email: 'hanako@example.co.jp',
          awsAccountId: BUYER,
        };
      case 'open-human-task': {
        const stage = (call.payload as { stage: HumanStage }).stage;
        const answer = options.callbacks[stage];
        const valid = STAGE_CALLBACKS[stage].safeParse(answer);
        if (!valid.success) violations.push(`fake callback for ${stage} is invalid: ${valid.error.message}`);
        return answer;
      }
      case 'create-offer':
      case 'extend-offer':
        return { changeSetId: `cs-${call.state}` };
      case 'check-offer':
        return checks++ < (options.pendingChecks ?? 0)
          ? { status: 'APPLYING' }
          : { status: 'SUCCEEDED', offerId: OFFER_ID };
      case 'create-account':
        return { accountId: 'acct-new-1' };
      case 'activate-paid-plan':
        return { accountId: 'acct', plan: 'Business', activatedAt: new Date().toISOString() };
      case 'close-onboarding':
        return { closedAt: new Date().toISOString(), reason: 'recorded' };
      default:
        return {};
    }
  };
  return { handler, violations };
}
