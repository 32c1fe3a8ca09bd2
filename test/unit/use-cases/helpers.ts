/** Shared Prepare steps for the use-case tests: in-memory ports, actors, valid inputs, workflow-like drivers. */

import { type MemoryPorts, memoryPorts } from '../../../tasks/adapters/memory/index.js';
import type { Onboarding } from '../../../tasks/domain/onboarding.js';
import { openHumanTask } from '../../../tasks/use-cases/open-human-task.js';
import { recordInquiry } from '../../../tasks/use-cases/record-inquiry.js';
import { activatePaidPlan, createAccount } from '../../../tasks/use-cases/saas-accounts.js';
import type { Actor, StaffActor } from '../../../workflows/contracts/actor.js';
import type { AgreedTerms } from '../../../workflows/contracts/callbacks.js';
import type { HumanStage, Stage } from '../../../workflows/contracts/stage-registry.js';

export const sales: StaffActor = { kind: 'staff', id: 'sato', role: 'sales', name: 'Sato' };
export const support: StaffActor = { kind: 'staff', id: 'suzuki', role: 'support' };
export const BUYER_ACCOUNT = '123456789012';
export const buyer = (id = BUYER_ACCOUNT): Extract<Actor, { kind: 'buyer' }> => ({ kind: 'buyer', id });

export function inquiry(overrides: Record<string, unknown> = {}) {
  return {
    company: 'Example KK',
    contactName: 'Yamada Taro',
    email: 'yamada@example.co.jp',
    awsAccountId: BUYER_ACCOUNT,
    plan: 'Enterprise',
    message: 'We would like an annual contract.',
    locale: 'ja' as const,
    ...overrides,
  };
}

export function terms(overrides: Partial<AgreedTerms> = {}): AgreedTerms {
  return {
    actor: sales,
    plan: 'Enterprise',
    offerName: 'Enterprise annual',
    currency: 'USD',
    durationMonths: 12,
    dimensions: [
      { key: 'Users', price: '1200.00' },
      { key: 'Storage', price: '300.50' },
    ],
    offerExpiresAt: '2025-06-30T15:00:00+09:00',
    offerCreation: 'automatic',
    ...overrides,
  };
}

export function setup(options: Parameters<typeof memoryPorts>[0] = {}): MemoryPorts {
  return memoryPorts(options);
}

let tokenSeq = 0;
/** A task token as long and opaque as the real ones. */
export function newToken(): string {
  tokenSeq += 1;
  return `AQB8AAAAKgAAAAMAAAAAAAAAA${String(tokenSeq).padStart(6, '0')}SECRETtokenvalue+/=${'x'.repeat(40)}`;
}

/** record-inquiry as the workflow's first task; returns the onboarding id. */
export async function recorded(ports: MemoryPorts, overrides: Record<string, unknown> = {}): Promise<string> {
  const onboardingId = ports.ids.onboardingId();
  await recordInquiry(ports, {
    onboardingId,
    inquiry: inquiry(overrides),
    actor: { kind: 'system', id: 'web-inquiry' },
    receivedAt: ports.clock.now().toISOString(),
  });
  return onboardingId;
}

/** What the state machine does at a `.waitForTaskToken` stage: a fresh token, then open-human-task. */
export async function opened(
  ports: MemoryPorts,
  onboardingId: string,
  stage: HumanStage,
  context?: Record<string, unknown>,
): Promise<{ token: string; completedAtOnce: boolean }> {
  const token = newToken();
  ports.callbacks.waiting(token);
  const dueAt = new Date(ports.clock.now().getTime() + 7 * 24 * 3600 * 1000).toISOString();
  const r = await openHumanTask(ports, {
    onboardingId,
    stage,
    taskToken: token,
    dueAt,
    ...(context ? { context } : {}),
  });
  return { token, completedAtOnce: r.completedAtOnce };
}

/** Every string the ports let out of the server: e-mails and (if captured) log lines. */
export function everythingSent(ports: MemoryPorts): string {
  return JSON.stringify(ports.mailer.outbox);
}

export function capturingLogger() {
  const lines: string[] = [];
  const push =
    (level: string) =>
    (message: string, ...extra: unknown[]) => {
      lines.push(`${level} ${message} ${JSON.stringify(extra)}`);
    };
  return { lines, log: { info: push('info'), warn: push('warn'), error: push('error') } };
}

/** Prepare: put a stored onboarding at a stage directly (as if the workflow had taken it there). */
export async function placeAt(
  ports: MemoryPorts,
  onboardingId: string,
  stage: Stage,
  patch: Partial<Onboarding> = {},
) {
  const o = await ports.onboardings.get(onboardingId);
  if (!o) throw new Error(`no onboarding ${onboardingId}`);
  await ports.onboardings.save({ ...o, ...patch, stage });
}

/** The acceptor and agreement of the EventBridge fixtures (test/fixtures/tasks/eventbridge-*.json). */
export const FIXTURE_ACCEPTOR = '845735284135';
export const FIXTURE_AGREEMENT = 'agmt-4mwg1nevbokzw95eca5797ixs';

/**
 * A builder of `aws.agreement-marketplace` events as AWS sends them to the seller (detail: the agreement, the buyer as
 * acceptor, and whatever else the event carries), each with its own id `evt-<prefix>-<n>`.
 */
export function agreementEvents(prefix: string, time = '2025-03-01T00:00:00Z') {
  let seq = 0;
  return (detailType: string, agreement: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    seq += 1;
    return {
      version: '0',
      id: `evt-${prefix}-${seq}`,
      'detail-type': detailType,
      source: 'aws.agreement-marketplace',
      time,
      detail: { agreement, acceptor: { accountId: FIXTURE_ACCEPTOR }, ...extra },
    };
  };
}

/**
 * Prepare: an onboarding of the fixtures' acceptor, completed with its paid plan on a built-in tenant (the agreement
 * linked, the subscription confirmed; `patch` adds to the record, e.g. its licenseArn).
 */
export async function completedWithPaidPlan(patch: Partial<Onboarding> = {}) {
  const ports = setup();
  const id = await recorded(ports, { awsAccountId: FIXTURE_ACCEPTOR });
  await placeAt(ports, id, 'NewOrExisting', {
    agreementId: FIXTURE_AGREEMENT,
    subscription: 'confirmed',
    ...patch,
  });
  await ports.onboardings.linkRef('agreement', FIXTURE_AGREEMENT, id);
  const { accountId } = await createAccount(ports, {
    onboardingId: id,
    registration: {
      kind: 'new',
      actor: buyer(FIXTURE_ACCEPTOR),
      accountName: 'Paid Team',
      email: 'owner@example.com',
    },
  });
  await placeAt(ports, id, 'ActivatePaidPlan');
  await activatePaidPlan(ports, { onboardingId: id, accountId });
  await placeAt(ports, id, 'Completed', { status: 'completed' });
  return { ports, id, accountId };
}
