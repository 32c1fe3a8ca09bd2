/**
 * A small in-process stand-in for the onboarding state machine over tasks' in-memory ports, for the web and CLI tests
 * and the console benchmark (bench/web.ts); everything else runs the real definition (local/in-memory/run.ts, the
 * local stack). It reacts to StartExecution / SendTaskSuccess / SendTaskFailure like the workflow: runs the task use
 * cases in order, opens each human stage with a fresh task token, and writes a Step Functions-like execution history
 * (with the tokens in task inputs, as the real one has them).
 */
import { type MemoryPorts, memoryPorts } from '../../tasks/adapters/memory/index.js';
import type { HistoryEvent } from '../../tasks/domain/audit.js';
import * as uc from '../../tasks/use-cases/index.js';
import type {
  AgreedTerms,
  BuyerRegistration,
  HumanStage,
  OfferExpiredDecision,
  OfferFailureDecision,
  OnboardingStart,
  TimedOutDecision,
} from '../../workflows/contracts/index.js';
import { OfferExtension, WORKFLOW_ERRORS } from '../../workflows/contracts/index.js';

/** Every task token this driver makes contains this, so a test can search responses for it. */
export const TOKEN_MARK = 'AQCwebTestTaskToken';

interface Execution {
  onboardingId: string;
  arn: string;
  events: HistoryEvent[];
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  startDate: string;
  stopDate?: string;
  attempt: number;
  terms?: AgreedTerms;
  offerId?: string;
  offerExpiresAt?: string;
  /** The Registration result ($registration in the state machine), passed to the tasks after it. */
  registration?: BuyerRegistration;
}

type Waiting = { execution: Execution; stage: HumanStage; context?: Record<string, unknown> };

export class FakeWorkflow {
  readonly ports: MemoryPorts;
  private readonly executions = new Map<string, Execution>();
  private readonly waiting = new Map<string, Waiting>();
  private chain: Promise<void> = Promise.resolve();
  private seq = 0;
  readonly errors: unknown[] = [];

  constructor(options: Parameters<typeof memoryPorts>[0] = {}) {
    this.ports = memoryPorts({ now: '2025-03-01T09:00:00.000Z', ...options });
    const callbacks = this.ports.callbacks;
    const start = callbacks.startExecution.bind(callbacks);
    const success = callbacks.sendTaskSuccess.bind(callbacks);
    const failure = callbacks.sendTaskFailure.bind(callbacks);
    callbacks.startExecution = async (name, input) => {
      const r = await start(name, input);
      if (r.ok && !this.executions.has(name))
        this.later(() => this.started(name, r.executionArn, input as OnboardingStart));
      return r;
    };
    callbacks.sendTaskSuccess = async (token, output) => {
      const r = await success(token, output);
      if (r.ok) this.later(() => this.succeeded(token, output));
      return r;
    };
    callbacks.sendTaskFailure = async (token, error, cause) => {
      const r = await failure(token, error, cause);
      if (r.ok) this.later(() => this.failed(token, error, cause));
      return r;
    };
  }

  /** Resolves once the workflow has nothing left to do (everything waits on a person or a signal). */
  async idle(): Promise<void> {
    let seen: Promise<void>;
    do {
      seen = this.chain;
      await seen;
    } while (seen !== this.chain);
    if (this.errors.length) throw this.errors[0];
  }

  private later(step: () => Promise<void>) {
    this.chain = this.chain.then(step).catch((err) => {
      this.errors.push(err);
    });
  }

  /** Every task token handed out so far. */
  tokens(): string[] {
    return [...new Set([...this.waiting.keys(), ...this.ports.callbacks.tokens.keys()])];
  }

  tokenOf(onboardingId: string, stage: HumanStage): string | undefined {
    return [...this.waiting].find(
      ([, w]) => w.execution.onboardingId === onboardingId && w.stage === stage,
    )?.[0];
  }

  // ---- scripting the outside world (what marketplace, timers and buyers do) -----------------------------------

  /** The buyer subscribed: the agreement/license exist, ResolveCustomer and GetEntitlements know the buyer. */
  subscribe(onboardingId: string, awsAccountId: string): string {
    const licenseArn = `arn:aws:license-manager::123456789012:license:l-${onboardingId.slice(4)}`;
    const token = `mkt-${onboardingId}-${++this.seq}`;
    this.ports.fulfillment.issueToken(token, {
      customerAwsAccountId: awsAccountId,
      productCode: this.ports.config.productCode,
      licenseArn,
    });
    this.ports.fulfillment.entitle(this.ports.config.productCode, {
      dimension: 'users',
      value: 10,
      licenseArn,
      customerAwsAccountId: awsAccountId,
    });
    return token;
  }

  /** Another registration token for the same (already subscribed) buyer. */
  anotherToken(onboardingId: string, awsAccountId: string): string {
    return this.subscribe(onboardingId, awsAccountId);
  }

  /** The stage's timer fires: AwaitAcceptance → OfferExpired, the others → StageTimedOut. */
  async timeOut(onboardingId: string, stage: HumanStage): Promise<void> {
    const token = this.tokenOf(onboardingId, stage);
    if (!token) throw new Error(`${onboardingId} is not waiting at ${stage}`);
    const w = this.waiting.get(token) as Waiting;
    this.waiting.delete(token);
    // A task times out at its due date: make it due now (moving the clock would expire the test's sessions too).
    const task = await this.ports.tasks.get(onboardingId, stage);
    if (task) {
      await this.ports.tasks.put({
        ...task,
        dueAt: new Date(this.ports.clock.now().getTime() - 1000).toISOString(),
      });
    }
    this.ports.callbacks.expire(token);
    this.event(w.execution, 'TaskTimedOut', {
      resourceType: 'lambda',
      resource: 'invoke.waitForTaskToken',
      error: 'States.Timeout',
    });
    this.later(async () => {
      if (stage === 'AwaitAcceptance')
        await this.open(w.execution, 'OfferExpired', { offerId: w.execution.offerId });
      else await this.open(w.execution, 'StageTimedOut', { timedOutStage: stage });
    });
    await this.idle();
  }

  /** The change set of the next offer creation fails. */
  failNextOffer(message = 'Dimension key Users is not defined in the product') {
    this.ports.catalog.failNextWith = { code: 'ValidationException', message, changeType: 'CreateOffer' };
  }

  // ---- the state machine ----------------------------------------------------------------------------------------

  private event(x: Execution, type: string, details?: Record<string, unknown>) {
    this.ports.clock.advance(1000); // distinct, ordered times in histories and timelines
    x.events.push({
      id: x.events.length + 1,
      ...(x.events.length ? { previousEventId: x.events.length } : {}),
      timestamp: this.ports.clock.now().toISOString(),
      type,
      ...(details ? { details } : {}),
    });
    this.ports.history.add(
      {
        executionArn: x.arn,
        name: x.onboardingId,
        status: x.status,
        startDate: x.startDate,
        ...(x.stopDate ? { stopDate: x.stopDate } : {}),
      },
      x.events,
    );
  }

  private async task<T>(x: Execution, state: string, input: unknown, run: () => Promise<T>): Promise<T> {
    this.event(x, 'TaskStateEntered', { name: state, input: JSON.stringify(input) });
    const output = await run();
    this.event(x, 'TaskSucceeded', {
      resourceType: 'lambda',
      resource: 'invoke',
      output: JSON.stringify(output ?? {}),
    });
    this.event(x, 'TaskStateExited', { name: state, output: JSON.stringify(output ?? {}) });
    return output;
  }

  private async open(x: Execution, stage: HumanStage, context?: Record<string, unknown>) {
    const token = `${TOKEN_MARK}${String(++this.seq).padStart(6, '0')}+/=${'x'.repeat(24)}`;
    this.ports.callbacks.waiting(token);
    this.waiting.set(token, { execution: x, stage, ...(context ? { context } : {}) });
    const dueAt = new Date(this.ports.clock.now().getTime() + 7 * 86_400_000).toISOString();
    const input = {
      onboardingId: x.onboardingId,
      stage,
      taskToken: token,
      dueAt,
      ...(context ? { context } : {}),
    };
    this.event(x, 'TaskStateEntered', { name: stage, input: JSON.stringify(input) });
    this.event(x, 'TaskScheduled', {
      resourceType: 'lambda',
      resource: 'invoke.waitForTaskToken',
      parameters: JSON.stringify({ Payload: input }),
    });
    await uc.openHumanTask(this.ports, input);
  }

  private end(x: Execution, status: 'SUCCEEDED' | 'FAILED', details: Record<string, unknown>) {
    x.status = status;
    x.stopDate = this.ports.clock.now().toISOString();
    this.event(x, status === 'SUCCEEDED' ? 'ExecutionSucceeded' : 'ExecutionFailed', details);
  }

  private async started(name: string, arn: string, input: OnboardingStart) {
    const x: Execution = {
      onboardingId: name,
      arn,
      events: [],
      status: 'RUNNING',
      startDate: this.ports.clock.now().toISOString(),
      attempt: 0,
    };
    this.executions.set(name, x);
    this.event(x, 'ExecutionStarted', { input: JSON.stringify(input) });
    await this.task(x, 'Inquiry', input, () => uc.recordInquiry(this.ports, input));
    await this.open(x, 'Consultation');
  }

  private async createOffer(x: Execution, terms: AgreedTerms) {
    x.terms = terms;
    if (terms.offerCreation === 'manual' && terms.manualOfferId) {
      await this.notice(x, terms.manualOfferId, terms.offerExpiresAt, 'manual');
      return;
    }
    x.attempt += 1;
    const onboarding = await this.ports.onboardings.get(x.onboardingId);
    const input = {
      onboardingId: x.onboardingId,
      buyerAwsAccountId: onboarding?.buyerAwsAccountId,
      terms,
      attempt: x.attempt,
    };
    let started: { changeSetId: string };
    try {
      started = await this.task(x, 'CreateOffer', input, () => uc.createOffer(this.ports, input));
    } catch (err) {
      if (err instanceof uc.OfferRejectedError)
        return this.open(x, 'OfferFailed', { code: err.failure.code, details: err.failure.details });
      throw err;
    }
    await this.poll(x, started.changeSetId, terms.offerExpiresAt);
  }

  /** `kept`: an extension asked while AwaitAcceptance waited; if it fails, the buyer is waited for until `kept`. */
  private async poll(x: Execution, changeSetId: string, expiresAt: string, kept?: string) {
    for (let i = 0; i < 10; i++) {
      const input = { onboardingId: x.onboardingId, changeSetId };
      const status = await this.task(x, 'CheckOffer', input, () => uc.checkOffer(this.ports, input));
      if (status.status === 'SUCCEEDED' && status.offerId)
        return this.notice(x, status.offerId, expiresAt, 'api');
      if ((status.status === 'FAILED' || status.status === 'CANCELLED') && kept && x.offerId) {
        const report = {
          report: 'failed' as const,
          onboardingId: x.onboardingId,
          offerId: x.offerId,
          offerExpiresAt: kept,
          requestedExpiresAt: expiresAt,
          error: 'Onboarding.OfferFailed',
          cause: JSON.stringify(status),
        };
        await this.task(x, 'ExtensionFailed', report, () => uc.reportExtensionFailed(this.ports, report));
        x.offerExpiresAt = kept;
        return this.open(x, 'AwaitAcceptance');
      }
      if (status.status === 'FAILED' || status.status === 'CANCELLED') {
        return this.open(x, 'OfferFailed', {
          code: status.failure?.code ?? status.status,
          details: status.failure?.details ?? [],
        });
      }
    }
    throw new Error('change set did not end');
  }

  private async notice(x: Execution, offerId: string, offerExpiresAt: string, source: 'api' | 'manual') {
    x.offerId = offerId;
    x.offerExpiresAt = offerExpiresAt;
    const input = { onboardingId: x.onboardingId, offerId, offerExpiresAt, source };
    await this.task(x, 'SendOfferNotice', input, () => uc.sendOfferNotice(this.ports, input));
    await this.open(x, 'AwaitAcceptance');
  }

  private async finish(x: Execution, accountId: string) {
    const input = {
      onboardingId: x.onboardingId,
      accountId,
      ...(x.registration ? { registration: x.registration } : {}),
    };
    await this.task(x, 'ActivatePaidPlan', input, () => uc.activatePaidPlan(this.ports, input));
    await this.task(x, 'NotifyCompletion', input, () => uc.notifyCompletion(this.ports, input));
    this.end(x, 'SUCCEEDED', { output: JSON.stringify({ onboardingId: x.onboardingId, accountId }) });
  }

  private async close(
    x: Execution,
    stage: HumanStage,
    outcome: 'closed' | 'offer-failed' | 'timed-out' | 'subscription-failed',
    error: string,
    cause: string,
  ) {
    const input = { onboardingId: x.onboardingId, stage, outcome, error, cause };
    await this.task(x, 'CloseOnboarding', input, () => uc.closeOnboardingRecord(this.ports, input));
    this.end(x, 'FAILED', { error, cause });
  }

  private async succeeded(token: string, output: unknown) {
    const w = this.waiting.get(token);
    if (!w) return;
    this.waiting.delete(token);
    const x = w.execution;
    this.event(x, 'TaskSucceeded', {
      resourceType: 'lambda',
      resource: 'invoke.waitForTaskToken',
      output: JSON.stringify(output),
    });
    this.event(x, 'TaskStateExited', { name: w.stage, output: JSON.stringify(output) });
    switch (w.stage) {
      case 'Consultation':
        return this.createOffer(x, output as AgreedTerms);
      case 'OfferFailed': {
        const d = output as OfferFailureDecision;
        if (d.action === 'retry') return this.createOffer(x, d.terms);
        if (d.action === 'manual') return this.notice(x, d.offerId, x.terms?.offerExpiresAt ?? '', 'manual');
        return this.close(x, 'OfferFailed', 'offer-failed', 'Onboarding.Closed', JSON.stringify(d));
      }
      case 'OfferExpired': {
        const d = output as OfferExpiredDecision;
        if (d.action === 'recreate') return this.createOffer(x, d.terms);
        if (d.action === 'extend') {
          const input = {
            onboardingId: x.onboardingId,
            offerId: x.offerId,
            offerExpiresAt: d.offerExpiresAt,
            attempt: ++x.attempt,
          };
          const started = await this.task(x, 'ExtendOffer', input, () => uc.extendOffer(this.ports, input));
          return this.poll(x, started.changeSetId, d.offerExpiresAt);
        }
        return this.close(x, 'OfferExpired', 'closed', 'Onboarding.Closed', JSON.stringify(d));
      }
      case 'StageTimedOut': {
        const d = output as TimedOutDecision;
        if (d.action === 'reopen')
          return this.open(x, (w.context?.timedOutStage as HumanStage) ?? 'Consultation');
        return this.close(x, 'StageTimedOut', 'timed-out', 'Onboarding.Closed', JSON.stringify(d));
      }
      case 'AwaitAcceptance':
        return this.open(x, 'AccountSetup');
      case 'AccountSetup':
        return this.open(x, 'Registration');
      case 'Registration': {
        const r = output as BuyerRegistration;
        x.registration = r;
        this.event(x, 'ChoiceStateEntered', {
          name: 'NewOrExisting',
          input: JSON.stringify({ kind: r.kind }),
        });
        if (r.kind === 'existing') return this.open(x, 'AccountSelection');
        const input = { onboardingId: x.onboardingId, registration: r };
        const { accountId } = await this.task(x, 'CreateAccount', input, () =>
          uc.createAccount(this.ports, input),
        );
        return this.finish(x, accountId);
      }
      case 'AccountSelection':
        return this.finish(x, (output as { accountId: string }).accountId);
    }
  }

  private async failed(token: string, error: string, cause: string) {
    const w = this.waiting.get(token);
    if (!w) return;
    this.waiting.delete(token);
    this.event(w.execution, 'TaskFailed', {
      resourceType: 'lambda',
      resource: 'invoke.waitForTaskToken',
      error,
      cause,
    });
    if (error === WORKFLOW_ERRORS.offerExtended && w.stage === 'AwaitAcceptance') {
      // sales extended the offer while waiting: ExtendOffer with the new expiry, polling, the notice, waiting again
      const x = w.execution;
      const { offerExpiresAt } = OfferExtension.parse(JSON.parse(cause));
      const input = {
        onboardingId: x.onboardingId,
        offerId: x.offerId,
        offerExpiresAt,
        attempt: ++x.attempt,
      };
      const started = await this.task(x, 'ExtendOffer', input, () => uc.extendOffer(this.ports, input));
      return this.poll(x, started.changeSetId, offerExpiresAt, x.offerExpiresAt);
    }
    const outcome = error === 'Onboarding.SubscriptionFailed' ? 'subscription-failed' : 'closed';
    await this.close(w.execution, w.stage, outcome, error, cause);
  }
}
