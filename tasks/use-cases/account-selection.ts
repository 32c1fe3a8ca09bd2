/**
 * The AccountSelection stage from the buyer's pages (7-2, "有料化を行うアカウントの選択"): the accounts of the logged-in
 * user, and the one to upgrade ("このアカウントで利用を開始する"), which resumes AccountSelection.
 */
import type { Actor } from '../../workflows/contracts/actor.js';
import type { SaasAccount } from '../domain/account.js';
import type { Ports } from '../ports/index.js';
import { type CompleteStageResult, completeHumanStage } from './complete-human-stage.js';
import type { BuyerPorts } from './registration.js';

type BuyerActor = Extract<Actor, { kind: 'buyer' }>;

export async function listUserAccounts(
  ports: Pick<Ports, 'accounts'>,
  userId: string,
): Promise<SaasAccount[]> {
  return ports.accounts.listAccountsForUser(userId);
}

/** 7-2: the chosen account; only an account the user belongs to. Completes AccountSelection. */
export async function selectAccount(
  ports: BuyerPorts,
  input: { onboardingId: string; actor: BuyerActor; userId: string; accountId: unknown },
): Promise<CompleteStageResult | { ok: false; error: 'not-a-member' }> {
  if (typeof input.accountId === 'string' && input.accountId) {
    const mine = await ports.accounts.listAccountsForUser(input.userId);
    if (!mine.some((a) => a.id === input.accountId)) return { ok: false, error: 'not-a-member' };
  }
  return completeHumanStage(ports, {
    onboardingId: input.onboardingId,
    stage: 'AccountSelection',
    actor: input.actor,
    payload: { accountId: input.accountId },
  });
}
