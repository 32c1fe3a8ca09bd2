/**
 * A small in-process fake of the onboarding workflow behind the WebServices port, for web/CLI tests and the first
 * browser tests ONLY (a stepping stone until they run on tasks' in-memory adapters and the real local stack).
 * It keeps task tokens server side like the real system, so tests can assert that none ever leaks.
 */

import type {
  ActionResult,
  BuyerArrival,
  HumanTaskView,
  ListQuery,
  OnboardingDetail,
  OnboardingPage,
  OnboardingStatus,
  TimelineEntry,
  UserAccount,
  WebServices,
} from '../../../web/services.js';
import {
  type Actor,
  type HumanStage,
  type Inquiry,
  STAGE_CALLBACKS,
  STAGES,
  type Stage,
} from '../../../workflows/contracts/index.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Task = Mutable<HumanTaskView> & { token: string };
interface Record_ {
  detail: Mutable<OnboardingDetail>;
  tasks: Task[];
}

/** Every task token this fake ever made starts with this, so a test can search responses for it. */
export const TOKEN_MARK = 'AQCfakeTaskToken';

export class FakeWorld implements WebServices {
  readonly records = new Map<string, Record_>();
  readonly history = new Map<string, TimelineEntry[]>();
  readonly archived = new Map<string, TimelineEntry[]>();
  /** Marketplace registration tokens → customer account (or a failure). */
  readonly marketplaceTokens = new Map<string, string | 'expired'>();
  readonly users = new Map<string, { userId: string; password: string; accounts: string[] }>();
  readonly accounts = new Map<string, UserAccount>();
  throttleNext = 0;
  /** Count of every state change, so tests can assert "nothing changed". */
  changes = 0;
  private seq = 0;
  private clockMs: number;

  constructor(start = '2025-03-01T09:00:00.000Z') {
    this.clockMs = Date.parse(start);
  }

  now(): string {
    this.clockMs += 1000;
    return new Date(this.clockMs).toISOString();
  }

  private newId(): string {
    this.seq += 1;
    return `onb-${this.seq.toString(36).padStart(12, '0')}`;
  }

  private log(id: string, stage: Stage, event: string, actor?: Actor, input?: unknown, output?: unknown) {
    const list = this.history.get(id) ?? [];
    list.push({ onboardingId: id, at: this.now(), stage, event, actor, input, output, source: 'live' });
    this.history.set(id, list);
  }

  private move(r: Record_, stage: Stage, status: OnboardingStatus = 'RUNNING') {
    r.detail.stage = stage;
    r.detail.status = status;
    r.detail.updatedAt = this.now();
    this.log(r.detail.onboardingId, stage, `${stage} entered`);
    this.changes++;
  }

  private open(r: Record_, stage: HumanStage, context?: Record<string, unknown>) {
    this.move(r, stage);
    r.tasks.push({
      stage,
      openedAt: this.now(),
      dueAt: new Date(this.clockMs + 7 * 86_400_000).toISOString(),
      token: `${TOKEN_MARK}-${r.detail.onboardingId}-${stage}-${r.tasks.length}`,
      ...(context ? { context } : {}),
    });
    r.detail.tasks = r.tasks.map(({ token: _t, ...view }) => view);
  }

  private openTask(r: Record_, stage: HumanStage): Task | undefined {
    return r.tasks.find((t) => t.stage === stage && t.outcome === undefined);
  }

  private finishTask(r: Record_, t: Task, actor: Actor | undefined, outcome: Task['outcome']) {
    t.completedAt = this.now();
    if (actor) t.completedBy = actor;
    t.outcome = outcome;
    r.detail.tasks = r.tasks.map(({ token: _t, ...view }) => view);
  }

  // ---- scripting the outside world ------------------------------------------------------------------------------

  /** The buyer subscribed on AWS Marketplace (agreement event): AwaitAcceptance → AccountSetup. */
  accept(id: string) {
    const r = this.must(id);
    const t = this.openTask(r, 'AwaitAcceptance');
    if (!t) throw new Error(`${id} is not awaiting acceptance`);
    this.finishTask(r, t, { kind: 'system', id: 'marketplace-events' }, 'completed');
    this.log(
      id,
      'AwaitAcceptance',
      'TaskSucceeded',
      { kind: 'system', id: 'marketplace-events' },
      undefined,
      {
        source: 'agreement-event',
        taskToken: t.token,
      },
    );
    r.detail.agreementId = 'agmt-0123456789abcdef';
    this.open(r, 'AccountSetup');
  }

  /** Issues an x-amzn-marketplace-token for the buyer of `id`. */
  issueToken(id: string, state: 'valid' | 'expired' = 'valid'): string {
    const token = `mkt-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
    this.marketplaceTokens.set(token, state === 'expired' ? 'expired' : this.must(id).detail.awsAccountId);
    return token;
  }

  failOffer(id: string) {
    const r = this.must(id);
    this.open(r, 'OfferFailed', { code: 'ValidationException', reason: 'Dimension key not in product' });
  }

  expireOffer(id: string) {
    const r = this.must(id);
    const t = this.openTask(r, 'AwaitAcceptance');
    if (t) this.finishTask(r, t, undefined, 'timed-out');
    this.open(r, 'OfferExpired');
  }

  timeOut(id: string, stage: HumanStage) {
    const r = this.must(id);
    const t = this.openTask(r, stage);
    if (t) this.finishTask(r, t, undefined, 'timed-out');
    this.open(r, 'StageTimedOut', { timedOutStage: stage });
  }

  addUser(email: string, password: string, accounts: UserAccount[]): string {
    const userId = `usr-${this.users.size + 1}`;
    for (const a of accounts) this.accounts.set(a.accountId, a);
    this.users.set(email, { userId, password, accounts: accounts.map((a) => a.accountId) });
    return userId;
  }

  archive(id: string) {
    this.archived.set(
      id,
      (this.history.get(id) ?? []).map((e) => ({ ...e, source: 'archive' as const })),
    );
    this.history.delete(id);
  }

  taskTokens(): string[] {
    return [...this.records.values()].flatMap((r) => r.tasks.map((t) => t.token));
  }

  private must(id: string): Record_ {
    const r = this.records.get(id);
    if (!r) throw new Error(`no onboarding ${id}`);
    return r;
  }

  // ---- WebServices ---------------------------------------------------------------------------------------------

  async startOnboarding({ inquiry, actor }: { inquiry: Inquiry; actor: Actor }) {
    const id = this.newId();
    const at = this.now();
    const r: Record_ = {
      detail: {
        onboardingId: id,
        stage: 'Inquiry',
        status: 'RUNNING',
        company: inquiry.company,
        contactName: inquiry.contactName,
        email: inquiry.email,
        awsAccountId: inquiry.awsAccountId,
        plan: inquiry.plan,
        locale: inquiry.locale,
        message: inquiry.message,
        createdAt: at,
        updatedAt: at,
        tasks: [],
      },
      tasks: [],
    };
    this.records.set(id, r);
    this.log(id, 'Inquiry', 'ExecutionStarted', actor, { onboardingId: id, inquiry });
    this.open(r, 'Consultation');
    return { onboardingId: id };
  }

  async listOnboardings(q: ListQuery): Promise<OnboardingPage> {
    const needle = q.search?.toLowerCase();
    const all = [...this.records.values()]
      .map((r) => r.detail)
      .filter((d) => !q.stage || d.stage === q.stage)
      .filter(
        (d) =>
          !needle ||
          d.company.toLowerCase().includes(needle) ||
          d.email.toLowerCase() === needle ||
          d.awsAccountId === needle,
      )
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || b.onboardingId.localeCompare(a.onboardingId));
    const start = q.cursor ? Number(Buffer.from(q.cursor, 'base64url').toString()) || 0 : 0;
    const items = all.slice(start, start + q.limit).map(({ tasks: _t, ...s }) => s);
    const next =
      start + q.limit < all.length ? Buffer.from(String(start + q.limit)).toString('base64url') : undefined;
    return next ? { items, nextCursor: next } : { items };
  }

  async countOnboardingsByStage() {
    const counts: Partial<Record<Stage, number>> = {};
    for (const s of STAGES) counts[s] = 0;
    for (const r of this.records.values()) counts[r.detail.stage] = (counts[r.detail.stage] ?? 0) + 1;
    return counts;
  }

  async getOnboarding(id: string) {
    const r = this.records.get(id);
    return r ? structuredClone(r.detail) : undefined;
  }

  private refusal(r: Record_ | undefined, stage: HumanStage): ActionResult | undefined {
    if (!r) return { kind: 'not-found' };
    if (r.detail.status !== 'RUNNING') return { kind: 'ended', status: r.detail.status };
    if (this.openTask(r, stage)) return undefined;
    const last = [...r.tasks].reverse().find((t) => t.stage === stage);
    if (last?.outcome === 'timed-out') return { kind: 'timed-out', at: last.completedAt };
    if (last?.outcome === 'completed')
      return { kind: 'already-completed', by: last.completedBy, at: last.completedAt };
    return { kind: 'not-open', currentStage: r.detail.stage };
  }

  async completeHumanStage(input: {
    onboardingId: string;
    stage: HumanStage;
    payload: unknown;
    actor: Actor;
  }) {
    const r = this.records.get(input.onboardingId);
    const refused = this.refusal(r, input.stage);
    if (refused || !r) return refused ?? { kind: 'not-found' as const };
    const parsed = STAGE_CALLBACKS[input.stage].safeParse(input.payload);
    if (!parsed.success)
      throw new Error(`fake: invalid payload reached the use case: ${parsed.error.message}`);
    const t = this.openTask(r, input.stage) as Task;
    this.finishTask(r, t, input.actor, 'completed');
    this.log(
      r.detail.onboardingId,
      input.stage,
      'TaskSucceeded',
      input.actor,
      { taskToken: t.token },
      parsed.data,
    );
    const data = parsed.data as Record<string, unknown>;
    const action = data.action;
    if (
      input.stage === 'Consultation' ||
      action === 'retry' ||
      action === 'recreate' ||
      action === 'manual' ||
      action === 'extend'
    ) {
      if (input.stage === 'Consultation') r.detail.agreedTerms = data;
      if (action === 'retry' || action === 'recreate')
        r.detail.agreedTerms = data.terms as Record<string, unknown>;
      this.move(r, 'CreateOffer');
      r.detail.offerId = typeof data.offerId === 'string' ? data.offerId : 'offer-abcdefghij12';
      this.move(r, 'SendOfferNotice');
      this.open(r, 'AwaitAcceptance');
    } else if (action === 'close') {
      r.detail.closedReason = String(data.reason);
      this.move(r, 'Closed', 'FAILED');
    } else if (action === 'reopen') {
      const stage = (t.context?.timedOutStage as HumanStage | undefined) ?? 'Consultation';
      this.open(r, stage);
    }
    return { kind: 'done' as const };
  }

  async closeOnboarding({
    onboardingId,
    request,
  }: {
    onboardingId: string;
    request: { actor: Actor; reason: string };
  }) {
    const r = this.records.get(onboardingId);
    if (!r) return { kind: 'not-found' as const };
    if (r.detail.status !== 'RUNNING') return { kind: 'ended' as const, status: r.detail.status };
    const t = r.tasks.find((x) => x.outcome === undefined);
    if (!t) return { kind: 'not-open' as const, currentStage: r.detail.stage };
    this.finishTask(r, t, request.actor, 'closed');
    this.log(onboardingId, t.stage, 'TaskFailed', request.actor, undefined, {
      error: 'Onboarding.Closed',
      cause: request,
    });
    r.detail.closedReason = request.reason;
    this.move(r, 'Closed', 'FAILED');
    return { kind: 'done' as const };
  }

  async resolveBuyerArrival({ registrationToken }: { registrationToken: string }): Promise<BuyerArrival> {
    if (this.throttleNext > 0) {
      this.throttleNext--;
      return { kind: 'throttled' };
    }
    const acct = this.marketplaceTokens.get(registrationToken);
    if (acct === undefined) return { kind: 'invalid-token' };
    if (acct === 'expired') return { kind: 'expired-token' };
    const mine = [...this.records.values()].filter((r) => r.detail.awsAccountId === acct);
    const waiting = mine.find((r) => this.openTask(r, 'AccountSetup'));
    if (waiting) {
      const t = this.openTask(waiting, 'AccountSetup') as Task;
      const actor: Actor = { kind: 'buyer', id: acct };
      this.finishTask(waiting, t, actor, 'completed');
      this.log(waiting.detail.onboardingId, 'AccountSetup', 'TaskSucceeded', actor);
      this.open(waiting, 'Registration');
      return {
        kind: 'ok',
        onboardingId: waiting.detail.onboardingId,
        customerAwsAccountId: acct,
        stage: 'Registration',
      };
    }
    const again = mine.find(
      (r) => r.detail.stage === 'Registration' || r.detail.stage === 'AccountSelection',
    );
    if (again)
      return {
        kind: 'ok',
        onboardingId: again.detail.onboardingId,
        customerAwsAccountId: acct,
        stage: again.detail.stage,
      };
    const done = mine.find((r) => r.detail.stage === 'Completed');
    if (done) return { kind: 'already-completed', onboardingId: done.detail.onboardingId };
    return { kind: 'not-accepted', customerAwsAccountId: acct };
  }

  private finishSetup(r: Record_, accountId: string) {
    r.detail.accountId = accountId;
    this.move(r, 'ActivatePaidPlan');
    this.move(r, 'NotifyCompletion');
    this.move(r, 'Completed', 'SUCCEEDED');
  }

  async registerNewAccount(input: {
    onboardingId: string;
    accountName: string;
    email: string;
    actor: Actor;
  }) {
    const r = this.records.get(input.onboardingId);
    const refused = this.refusal(r, 'Registration');
    if (refused || !r) return refused ?? { kind: 'not-found' as const };
    const t = this.openTask(r, 'Registration') as Task;
    this.finishTask(r, t, input.actor, 'completed');
    this.log(r.detail.onboardingId, 'Registration', 'TaskSucceeded', input.actor, undefined, {
      kind: 'new',
      accountName: input.accountName,
    });
    this.move(r, 'CreateAccount');
    this.finishSetup(r, `acct-${input.accountName.length}${this.seq}`);
    return { kind: 'done' as const };
  }

  async loginExistingUser(input: { onboardingId: string; email: string; password: string; actor: Actor }) {
    const user = this.users.get(input.email.toLowerCase());
    if (!user || user.password !== input.password) return { kind: 'bad-credentials' as const };
    const r = this.records.get(input.onboardingId);
    if (r && this.openTask(r, 'AccountSelection')) return { kind: 'ok' as const, userId: user.userId };
    const refused = this.refusal(r, 'Registration');
    if (refused || !r) return refused ?? { kind: 'not-found' as const };
    const t = this.openTask(r, 'Registration') as Task;
    this.finishTask(r, t, input.actor, 'completed');
    this.log(r.detail.onboardingId, 'Registration', 'TaskSucceeded', input.actor, undefined, {
      kind: 'existing',
      userId: user.userId,
    });
    this.open(r, 'AccountSelection');
    return { kind: 'ok' as const, userId: user.userId };
  }

  async listUserAccounts({ userId }: { userId: string }) {
    const user = [...this.users.values()].find((u) => u.userId === userId);
    return (user?.accounts ?? []).map((id) => this.accounts.get(id)).filter((a): a is UserAccount => !!a);
  }

  async selectAccount(input: { onboardingId: string; userId: string; accountId: string; actor: Actor }) {
    const user = [...this.users.values()].find((u) => u.userId === input.userId);
    if (!user?.accounts.includes(input.accountId)) return { kind: 'not-your-account' as const };
    const r = this.records.get(input.onboardingId);
    const refused = this.refusal(r, 'AccountSelection');
    if (refused || !r) return refused ?? { kind: 'not-found' as const };
    const t = this.openTask(r, 'AccountSelection') as Task;
    this.finishTask(r, t, input.actor, 'completed');
    this.log(r.detail.onboardingId, 'AccountSelection', 'TaskSucceeded', input.actor, undefined, {
      accountId: input.accountId,
    });
    this.finishSetup(r, input.accountId);
    return { kind: 'done' as const };
  }

  /** Entries as the real adapter must return them: task tokens replaced. */
  private redacted(list: readonly TimelineEntry[]): TimelineEntry[] {
    return JSON.parse(JSON.stringify(list).replace(/"taskToken":"[^"]*"/g, '"taskToken":"[redacted]"'));
  }

  async getExecutionHistory(id: string) {
    return this.redacted([...(this.archived.get(id) ?? []), ...(this.history.get(id) ?? [])]);
  }

  async exportHistories({ from, to }: { from: string; to: string }) {
    const ids = [...this.records.values()]
      .filter((r) => r.detail.createdAt >= from && r.detail.createdAt <= to)
      .map((r) => r.detail.onboardingId);
    const out: TimelineEntry[] = [];
    for (const id of ids) out.push(...(await this.getExecutionHistory(id)));
    return out;
  }
}
