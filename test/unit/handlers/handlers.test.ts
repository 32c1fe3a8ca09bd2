import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyPersistenceLayerError,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dynamoClient } from '../../../tasks/adapters/aws/dynamo-ports.js';
import {
  AdvisoryNotIssuedYetError,
  ConcurrentUpdateError,
  SubscriptionNotConfirmedError,
} from '../../../tasks/domain/errors.js';
import { createHandler as activatePaidPlan } from '../../../tasks/handlers/activate-paid-plan.js';
import { createHandler as archiveHistory } from '../../../tasks/handlers/archive-history.js';
import { createHandler as createOffer } from '../../../tasks/handlers/create-offer.js';
import { createHandler as marketplaceEvents } from '../../../tasks/handlers/marketplace-events.js';
import { createHandler as marketplaceSns } from '../../../tasks/handlers/marketplace-sns.js';
import {
  createLogger,
  type HandlerDeps,
  lazyHandler,
  resetHandlers,
  taskHandler,
  toLambdaError,
} from '../../../tasks/handlers/middleware.js';
import { createHandler as openHumanTask } from '../../../tasks/handlers/open-human-task.js';
import { createHandler as recordInquiry } from '../../../tasks/handlers/record-inquiry.js';
import { CatalogError } from '../../../tasks/ports/offer-catalog.js';
import { sendOfferNotice } from '../../../tasks/use-cases/offers.js';
import { FUNCTIONS } from '../../../workflows/contracts/functions.js';
import { WORKFLOW_ERRORS } from '../../../workflows/contracts/workflow-errors.js';
import { TRANSIENT_RETRIES } from '../../../workflows/transient-retry.js';
import { fixture } from '../fixtures.js';
import { inquiry, newToken, opened, placeAt, recorded, setup, terms } from '../use-cases/helpers.js';

/** Everything the Powertools logger prints. */
let printed: string[] = [];
beforeEach(() => {
  printed = [];
  const capture = (chunk: unknown) => {
    printed.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture as never);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture as never);
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(' '));
    });
  }
});
afterEach(() => vi.restoreAllMocks());

function deps(ports = setup()): HandlerDeps & { ports: ReturnType<typeof setup> } {
  return { ports, logger: createLogger({ logLevel: 'DEBUG' }) };
}

describe('the function list (workflows/contracts/functions.ts)', () => {
  it('points every entry at an existing module exporting `handler` (the task handlers also export createHandler)', async () => {
    // Prepare
    const entries = FUNCTIONS.map((fn) => ({ name: fn.name, entry: fn.entry, exists: existsSync(fn.entry) }));
    // Act
    const exported = await Promise.all(
      entries
        .filter((e) => e.exists)
        .map(async (e) => {
          const mod = (await import(pathToFileURL(resolve(e.entry)).href)) as Record<string, unknown>;
          return { name: e.name, handler: typeof mod.handler, createHandler: typeof mod.createHandler };
        }),
    );
    // Assess
    expect(entries.filter((e) => !e.exists)).toEqual([]);
    expect(exported.filter((e) => e.handler !== 'function')).toEqual([]);
    expect(exported.filter((e) => e.name !== 'web' && e.createHandler !== 'function')).toEqual([]);
    expect(FUNCTIONS.find((f) => f.name === 'web')?.entry).toBe('web/lambda.ts');
  });
});

describe('composition lifecycle', () => {
  it('builds a handler once, and again after resetHandlers (local stack restarted in-process)', async () => {
    let builds = 0;
    const handler = lazyHandler(() => {
      builds += 1;
      return async () => builds;
    });

    await handler({});
    await handler({});
    const first = dynamoClient();
    resetHandlers();
    await handler({});

    expect(builds).toBe(2);
    expect(dynamoClient()).not.toBe(first);
    expect(dynamoClient()).toBe(dynamoClient());
  });
});

describe('workflow task handlers', () => {
  it('record-inquiry returns the OnboardingRef', async () => {
    const d = deps();
    const ref = await recordInquiry(d)({
      onboardingId: 'onb-abcdefghij',
      inquiry: inquiry(),
      actor: { kind: 'system', id: 'web' },
      receivedAt: '2025-04-01T00:00:00Z',
    });
    expect(ref).toMatchObject({ onboardingId: 'onb-abcdefghij', awsAccountId: '123456789012' });
  });

  it('open-human-task never prints the task token, even at DEBUG and on failure', async () => {
    const d = deps();
    const id = await recorded(d.ports);
    const token = newToken();
    d.ports.callbacks.waiting(token);

    await openHumanTask(d)({
      onboardingId: id,
      stage: 'Consultation',
      taskToken: token,
      dueAt: '2025-04-08T00:00:00Z',
    });
    await expect(
      openHumanTask(d)({
        onboardingId: 'onb-missing0000',
        stage: 'Consultation',
        taskToken: token,
        dueAt: '2025-04-08T00:00:00Z',
      }),
    ).rejects.toThrow('onboarding onb-missing0000 does not exist');

    expect(printed.join('\n')).toContain('open-human-task failed');
    expect(printed.join('\n')).not.toContain(token);
  });

  it('logs a failure that heals itself when delivered again as a warning, any other as an error', async () => {
    // Prepare
    const d = deps();
    const overtaken = taskHandler(d, 'marketplace-events', async () => {
      throw new AdvisoryNotIssuedYetError('agmt-1', 'evt-1');
    });
    const broken = taskHandler(d, 'marketplace-events', async () => {
      throw new Error('boom');
    });
    // Act
    await expect(overtaken({})).rejects.toThrow(AdvisoryNotIssuedYetError);
    const afterOvertaken = printed.join('\n');
    await expect(broken({})).rejects.toThrow('boom');
    const afterBroken = printed.join('\n');
    // Assess
    expect(afterOvertaken).toContain('marketplace-events will be delivered again');
    expect(afterOvertaken).toContain('"level":"WARN"');
    expect(afterOvertaken).not.toContain('"level":"ERROR"');
    expect(afterBroken).toContain('marketplace-events failed');
    expect(afterBroken).toContain('"level":"ERROR"');
  });

  it('the logger redacts token-named keys it is given', () => {
    const logger = createLogger();
    logger.info('oops', { taskToken: 'SECRET-1', nested: { 'x-amzn-marketplace-token': 'SECRET-2' } });
    const out = printed.join('\n');
    expect(out).toContain('[redacted]');
    expect(out).not.toContain('SECRET-1');
    expect(out).not.toContain('SECRET-2');
  });

  it('activate-paid-plan fails with the error name the workflow retries on', async () => {
    const d = deps();
    const id = await recorded(d.ports);
    await placeAt(d.ports, id, 'CreateAccount');
    await d.ports.accounts.createAccount(
      { id: 'acct-1', name: 'A', plan: 'free', createdAt: 'x' },
      { id: 'u-1', email: 'a@b.example', createdAt: 'x' },
    );

    const error = await activatePaidPlan(d)({ onboardingId: id, accountId: 'acct-1' }).catch((e: Error) => e);

    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('Onboarding.SubscriptionNotConfirmed');
  });

  it('create-offer names a refused change set Onboarding.OfferFailed with the details as message', async () => {
    const d = deps();
    const id = await recorded(d.ports);
    await placeAt(d.ports, id, 'Consultation');
    d.ports.catalog.rejectNext = new CatalogError('rejected', 'ValidationException', 'Unknown ProductId');

    const error = await createOffer(d)({
      onboardingId: id,
      buyerAwsAccountId: '123456789012',
      terms: terms(),
      attempt: 1,
    }).catch((e: Error) => e);

    expect((error as Error).name).toBe('Onboarding.OfferFailed');
    expect(JSON.parse((error as Error).message)).toMatchObject({ code: 'ValidationException' });
  });

  it('keeps other errors as they are', () => {
    const plain = new TypeError('boom');
    expect(toLambdaError(plain)).toBe(plain);
    expect(toLambdaError(new SubscriptionNotConfirmedError('onb-x', 'y')).name).toBe(
      'Onboarding.SubscriptionNotConfirmed',
    );
  });

  it('names the errors that mean "try again" as the workflow retries them', () => {
    // Prepare
    const raced = new ConcurrentUpdateError('ONB#onb-x');
    const throttled = new DynamoDBServiceException({
      name: 'ThrottlingException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
      message: 'Rate of requests exceeds the allowed throughput.',
    });
    const inProgress = new IdempotencyAlreadyInProgressError('still running');
    const storeThrottled = new IdempotencyPersistenceLayerError('Failed to save in progress record', {
      cause: throttled,
    });

    // Act
    const names = [raced, throttled, inProgress, storeThrottled].map((e) => toLambdaError(e).name);

    // Assess
    expect(names).toEqual([
      WORKFLOW_ERRORS.concurrentUpdate,
      WORKFLOW_ERRORS.throttled,
      WORKFLOW_ERRORS.inProgress,
      WORKFLOW_ERRORS.throttled,
    ]);
    const retried = TRANSIENT_RETRIES.flatMap((r) => r.errors ?? []);
    for (const name of names) expect(retried).toContain(name);
  });
});

describe('signal handlers', () => {
  async function awaitingAcceptance() {
    const d = deps();
    const id = await recorded(d.ports, { awsAccountId: '845735284135' });
    await placeAt(d.ports, id, 'CreateOffer');
    await sendOfferNotice(d.ports, {
      onboardingId: id,
      offerId: 'offer-1234567890123',
      offerExpiresAt: '2025-06-30T06:00:00Z',
      source: 'api',
    });
    const { token } = await opened(d.ports, id, 'AwaitAcceptance');
    return { d, id, token };
  }

  it('marketplace-events resumes the workflow from the documented agreement event', async () => {
    const { d, id, token } = await awaitingAcceptance();

    const r = await marketplaceEvents(d)(fixture('eventbridge-agreement-created.json'));

    expect(r).toMatchObject({ ok: true, outcome: 'advanced', onboardingId: id });
    expect(d.ports.callbacks.successes()[0]?.token).toBe(token);
    expect(printed.join('\n')).not.toContain(token);
  });

  it('marketplace-events drops a non-EventBridge payload without throwing', async () => {
    const d = deps();
    expect(await marketplaceEvents(d)({ hello: 'world' })).toMatchObject({
      ok: false,
      error: 'invalid-input',
    });
  });

  it('marketplace-sns handles the Lambda SNS event and the HTTP notification envelope', async () => {
    const { d, id } = await awaitingAcceptance();

    const fromLambda = await marketplaceSns(d)(fixture('sns-subscribe-success.json'));
    const fromHttp = await marketplaceSns(d)(fixture('sns-http-unsubscribe-pending.json'));

    expect(fromLambda).toMatchObject([
      { ok: true, outcome: 'advanced', kind: 'subscribe-success', onboardingId: id },
    ]);
    expect(fromHttp).toMatchObject([{ ok: true, kind: 'unsubscribe-pending', onboardingId: id }]);
  });

  it('archive-history archives on the execution status change event and ignores RUNNING', async () => {
    const d = deps();
    const id = await recorded(d.ports);
    const event = fixture<{ detail: { executionArn: string; status: string } }>(
      'sfn-execution-status-change.json',
    );
    d.ports.history.add(
      {
        executionArn: event.detail.executionArn,
        name: id,
        status: 'SUCCEEDED',
        startDate: '2025-04-01T00:00:00.000Z',
        stopDate: '2025-04-09T00:00:00.000Z',
      },
      [{ id: 1, timestamp: '2025-04-01T00:00:00.000Z', type: 'ExecutionStarted' }],
    );

    const r = await archiveHistory(d)(event);
    const running = await archiveHistory(d)({ ...event, detail: { ...event.detail, status: 'RUNNING' } });

    expect(r).toEqual({ ok: true, key: `histories/2025-04-09/${id}.json`, events: 1, onboardingId: id });
    expect(running).toEqual({ ok: false, error: 'ignored' });
  });
});
