/**
 * Bad input: every zod contract of workflows/contracts rejects a missing or wrong field, and says which field.
 * Contracts people fill in (inquiry, callbacks, actor) name the field in the message itself, so a form can show it;
 * the machine-to-machine payloads (task-io) name it in the issue path.
 */
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import * as c from '../../workflows/contracts/index.js';

const staff = { kind: 'staff', id: 'u-1', role: 'sales' };
const buyer = { kind: 'buyer', id: '111122223333' };
const iso = '2030-01-01T00:00:00Z';
const terms = {
  actor: staff,
  plan: 'Business',
  offerName: 'Offer',
  currency: 'USD',
  durationMonths: 12,
  dimensions: [{ key: 'users', price: '10.00' }],
  offerExpiresAt: iso,
  offerCreation: 'automatic',
};
const inquiry = {
  company: 'Example KK',
  contactName: 'Sato',
  email: 'sato@example.com',
  awsAccountId: '111122223333',
  plan: 'Business',
};
const id = 'onb-0123456789ab';

/** [path, value to put there (undefined = delete)] */
type Mutation = readonly [string, unknown];

interface Case {
  readonly name: string;
  readonly schema: z.ZodType;
  readonly valid: unknown;
  readonly bad: readonly Mutation[];
  /** People fill this in: the message itself must name the field. */
  readonly forPeople?: boolean;
}

const CASES: readonly Case[] = [
  {
    name: 'Inquiry',
    schema: c.Inquiry,
    valid: inquiry,
    forPeople: true,
    bad: [
      ['company', undefined],
      ['company', '   '],
      ['contactName', undefined],
      ['email', 'not-mail'],
      ['awsAccountId', '12345'],
      ['awsAccountId', undefined],
      ['plan', ''],
      ['message', 'x'.repeat(4001)],
      ['locale', 'fr'],
    ],
  },
  {
    name: 'OnboardingStart',
    schema: c.OnboardingStart,
    valid: { onboardingId: id, inquiry, actor: staff, receivedAt: iso },
    forPeople: true,
    bad: [
      ['onboardingId', 'ONB-1'],
      ['onboardingId', undefined],
      ['inquiry.email', 'x'],
      ['actor.kind', 'robot'],
      ['receivedAt', 'yesterday'],
    ],
  },
  {
    name: 'Actor',
    schema: c.Actor,
    valid: staff,
    forPeople: true,
    bad: [
      ['kind', undefined],
      ['id', ''],
      ['role', 'auditor'],
    ],
  },
  {
    name: 'AgreedTerms',
    schema: c.AgreedTerms,
    valid: terms,
    forPeople: true,
    bad: [
      ['plan', undefined],
      ['offerName', ''],
      ['currency', 'JPY'],
      ['durationMonths', 0],
      ['durationMonths', 1.5],
      ['durationMonths', 'twelve'],
      ['dimensions', []],
      ['dimensions', undefined],
      ['dimensions.0.price', '12,00'],
      ['dimensions.0.key', 'a b'],
      ['offerExpiresAt', '2030-01-01'],
      ['eulaUrl', 'not a url'],
      ['offerCreation', 'magic'],
      ['offerDescription', 'x'.repeat(256)],
      ['actor.role', 'auditor'],
    ],
  },
  {
    name: 'AgreedTerms (manual offer)',
    schema: c.AgreedTerms,
    valid: { ...terms, offerCreation: 'manual', manualOfferId: 'offer-abcdefghij12' },
    forPeople: true,
    bad: [
      ['manualOfferId', undefined],
      ['manualOfferId', 'Offer-1'],
    ],
  },
  {
    name: 'OfferFailureDecision',
    schema: c.OfferFailureDecision,
    valid: { action: 'manual', actor: staff, offerId: 'offer-abcdefghij12' },
    forPeople: true,
    bad: [
      ['action', 'maybe'],
      ['offerId', 'offer-X'],
      ['offerId', undefined],
    ],
  },
  {
    name: 'OfferExpiredDecision',
    schema: c.OfferExpiredDecision,
    valid: { action: 'extend', actor: staff, offerExpiresAt: iso },
    forPeople: true,
    bad: [
      ['action', undefined],
      ['offerExpiresAt', 'soon'],
    ],
  },
  {
    name: 'AcceptanceSignal',
    schema: c.AcceptanceSignal,
    valid: {
      actor: { kind: 'system', id: 'marketplace-events' },
      source: 'agreement-event',
      customerAwsAccountId: '111122223333',
      acceptedAt: iso,
    },
    forPeople: true,
    bad: [
      ['source', 'email'],
      ['customerAwsAccountId', '1'],
      ['licenseArn', 'license-1'],
      ['acceptedAt', undefined],
    ],
  },
  {
    name: 'FulfillmentResolved',
    schema: c.FulfillmentResolved,
    valid: {
      actor: buyer,
      customerAwsAccountId: '111122223333',
      licenseArn: 'arn:aws:license-manager::1:license:l-1',
      productCode: 'abc',
      entitlements: [{ dimension: 'users', value: 1 }],
      resolvedAt: iso,
    },
    forPeople: true,
    bad: [
      ['licenseArn', 'l-1'],
      ['productCode', ''],
      ['entitlements', []],
      ['resolvedAt', 'now'],
      ['customerAwsAccountId', undefined],
    ],
  },
  {
    name: 'BuyerRegistration',
    schema: c.BuyerRegistration,
    valid: { kind: 'new', actor: buyer, accountName: 'Example', email: 'a@example.com' },
    forPeople: true,
    bad: [
      ['kind', 'old'],
      ['accountName', ''],
      ['accountName', undefined],
      ['email', 'nope'],
    ],
  },
  {
    name: 'AccountSelectionChoice',
    schema: c.AccountSelectionChoice,
    valid: { actor: buyer, accountId: 'acct-1' },
    forPeople: true,
    bad: [
      ['accountId', ''],
      ['accountId', undefined],
    ],
  },
  {
    name: 'TimedOutDecision',
    schema: c.TimedOutDecision,
    valid: { action: 'close', actor: staff, reason: 'done' },
    forPeople: true,
    bad: [
      ['action', 'ignore'],
      ['reason', ''],
    ],
  },
  {
    name: 'CloseRequest',
    schema: c.CloseRequest,
    valid: { actor: staff, reason: 'buyer withdrew' },
    forPeople: true,
    bad: [
      ['reason', undefined],
      ['reason', '  '],
      ['actor.id', ''],
    ],
  },
  {
    name: 'OnboardingRef',
    schema: c.OnboardingRef,
    valid: {
      onboardingId: id,
      locale: 'ja',
      company: 'X',
      email: 'a@example.com',
      awsAccountId: '111122223333',
    },
    bad: [
      ['onboardingId', 'x'],
      ['locale', 'de'],
      ['email', 'x'],
      ['company', undefined],
    ],
  },
  {
    name: 'OpenHumanTask',
    schema: c.OpenHumanTask,
    valid: { onboardingId: id, stage: 'Registration', taskToken: 't', dueAt: iso },
    bad: [
      ['stage', 'CreateOffer'],
      ['taskToken', ''],
      ['dueAt', 'tomorrow'],
      ['context', 'text'],
    ],
  },
  {
    // a deal step's task names its instance (the lifecycle execution): one task record per instance
    name: 'OpenHumanTask (deal step instance)',
    schema: c.OpenHumanTask,
    valid: {
      onboardingId: id,
      stage: 'AdvisoryReview',
      taskToken: 't',
      dueAt: iso,
      instance: 'lifecycle-agr-1_advisory-2',
    },
    bad: [
      ['instance', ''],
      ['instance', 'exec 1'],
      ['instance', 'arn:aws:states:exec/1'],
      ['instance', 'x'.repeat(81)],
      ['instance', 42],
    ],
  },
  {
    name: 'CreateOfferInput',
    schema: c.CreateOfferInput,
    valid: { onboardingId: id, buyerAwsAccountId: '111122223333', terms, attempt: 1 },
    bad: [
      ['buyerAwsAccountId', undefined],
      ['attempt', 0],
      ['terms.currency', 'EUR'],
    ],
  },
  {
    name: 'ExtendOfferInput',
    schema: c.ExtendOfferInput,
    valid: { onboardingId: id, offerId: 'offer-abcdefghij12', offerExpiresAt: iso, attempt: 1 },
    bad: [
      ['offerId', undefined],
      ['offerExpiresAt', 'x'],
      ['attempt', 1.5],
    ],
  },
  {
    name: 'CheckOfferInput',
    schema: c.CheckOfferInput,
    valid: { onboardingId: id, changeSetId: 'cs-1' },
    bad: [['changeSetId', undefined]],
  },
  {
    name: 'ChangeSetStatus',
    schema: c.ChangeSetStatus,
    valid: { status: 'SUCCEEDED', offerId: 'offer-abcdefghij12' },
    bad: [
      ['status', 'DONE'],
      ['offerId', 'x'],
      ['failure', { code: 'X' }],
    ],
  },
  {
    name: 'SendOfferNoticeInput',
    schema: c.SendOfferNoticeInput,
    valid: { onboardingId: id, offerId: 'offer-abcdefghij12', offerExpiresAt: iso, source: 'api' },
    bad: [
      ['source', 'fax'],
      ['offerId', null],
    ],
  },
  {
    name: 'CreateAccountInput',
    schema: c.CreateAccountInput,
    valid: { onboardingId: id, registration: { kind: 'existing', actor: buyer, userId: 'u' } },
    bad: [
      ['registration', undefined],
      ['registration.kind', 'x'],
    ],
  },
  {
    name: 'ActivatePaidPlanInput',
    schema: c.ActivatePaidPlanInput,
    valid: { onboardingId: id, accountId: 'a' },
    bad: [
      ['accountId', undefined],
      ['accountId', null],
    ],
  },
  {
    name: 'NotifyCompletionInput',
    schema: c.NotifyCompletionInput,
    valid: { onboardingId: id, accountId: 'a' },
    bad: [['onboardingId', undefined]],
  },
  {
    name: 'CloseOnboardingInput',
    schema: c.CloseOnboardingInput,
    valid: {
      onboardingId: id,
      stage: 'Consultation',
      outcome: 'closed',
      error: 'Onboarding.Closed',
      cause: '{}',
    },
    bad: [
      ['stage', 'Nowhere'],
      ['outcome', 'vanished'],
      ['error', 5],
    ],
  },
  {
    name: 'WorkflowReason',
    schema: c.WorkflowReason,
    valid: { stage: 'Registration', kind: 'timed-out', error: 'States.Timeout', cause: 'x', at: iso },
    bad: [
      ['kind', 'lost'],
      ['at', 'now'],
      ['cause', undefined],
    ],
  },
  {
    name: 'HumanTaskOpened',
    schema: c.HumanTaskOpened,
    valid: { stage: 'Consultation', openedAt: iso, completedAtOnce: false },
    bad: [['completedAtOnce', 'no']],
  },
  {
    name: 'PaidPlanActivated',
    schema: c.PaidPlanActivated,
    valid: { accountId: 'a', plan: 'p', activatedAt: iso },
    bad: [['activatedAt', 'x']],
  },
];

function mutate(value: unknown, path: string, replacement: unknown): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  const keys = path.split('.');
  let target: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
  const last = keys.at(-1) as string;
  if (replacement === undefined) delete target[last];
  else target[last] = replacement;
  return copy;
}

describe('contracts accept their valid sample', () => {
  it.each(CASES.map((x) => [x.name, x] as const))('%s', (_name, x) => {
    expect(x.schema.safeParse(x.valid).success).toBe(true);
  });
});

describe('contracts reject bad input and name the field', () => {
  const rows = CASES.flatMap((x) =>
    x.bad.map(
      ([path, value]) =>
        [`${x.name}.${path} = ${JSON.stringify(value) ?? '(missing)'}`, x, path, value] as const,
    ),
  );
  /** The issue zod reports for the field: at its path, or else one whose path names the field. */
  const issueFor = (issues: readonly z.core.$ZodIssue[], path: string) =>
    issues.find((i) => i.path.join('.') === path) ??
    issues.find((i) => i.path.includes(path.split('.').at(-1) as string));

  it.each(rows)('%s', (_title, x, path, value) => {
    // Act
    const result = x.schema.safeParse(mutate(x.valid, path, value));

    // Assess: rejected, the field is where zod says the problem is, and the pretty error names it
    expect(result.success).toBe(false);
    const issues = result.error?.issues ?? [];
    expect(issueFor(issues, path), JSON.stringify(issues)).toMatchObject({ message: expect.any(String) });
    expect(z.prettifyError(result.error as z.ZodError)).toContain(path.split('.').at(-1));
  });

  // For people, so does the message itself (or, for a discriminator, the allowed values).
  it.each(rows.filter(([, x]) => x.forPeople))('%s: the message names it', (_title, x, path, value) => {
    // Prepare
    const leaf = path.split('.').at(-1) as string;
    const wanted = leaf === 'kind' || leaf === 'action' ? new RegExp(`${leaf} must be`) : new RegExp(leaf);

    // Act
    const result = x.schema.safeParse(mutate(x.valid, path, value));

    // Assess
    expect(issueFor(result.error?.issues ?? [], path)?.message).toMatch(wanted);
  });
});
