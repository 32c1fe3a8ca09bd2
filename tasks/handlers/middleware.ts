/**
 * Handler middleware, what every handler shares: the composition root (the ports it uses from env, built once per process on first use), the
 * Powertools Logger (a JSON replacer redacts anything token-named; handlers never log events), Powertools
 * Idempotency on the idempotency table, and the mapping of domain errors to the error names the workflow catches.
 */
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { WORKFLOW_ERRORS } from '../../workflows/contracts/workflow-errors.js';
import { type CommonPorts, commonPorts } from '../adapters/aws/common.js';
import { dynamoClient } from '../adapters/aws/dynamo-ports.js';
import { readSettings } from '../adapters/aws/env.js';
import { resetClients } from '../adapters/aws/sdk-clients.js';
import { isThrottled } from '../adapters/aws/throttling.js';
import { DomainError } from '../domain/errors.js';
import type { Ports } from '../ports/index.js';
import { createLogger } from './logger.js';

export { createLogger, SERVICE_NAME } from './logger.js';

export interface HandlerDeps<P = Ports> {
  ports: P;
  logger: Logger;
  /** Powertools idempotency store; without it (unit tests with in-memory ports) calls are not deduplicated. */
  persistence?: BasePersistenceLayer;
}

/**
 * A handler's dependencies from env: the common ports plus what `build` adds (only the adapters, hence the SDK
 * clients, that function uses), and the idempotency store when asked for. Call it once per process.
 */
export function handlerDeps<P>(
  build: (common: CommonPorts) => P,
  options: { idempotency?: boolean } = {},
): HandlerDeps<CommonPorts & P> {
  const logger = createLogger();
  const common = commonPorts({ log: logger });
  return {
    ports: { ...common, ...build(common) },
    logger,
    ...(options.idempotency
      ? {
          persistence: new DynamoDBPersistenceLayer({
            tableName: readSettings(process.env).idempotencyTableName(),
            awsSdkV3Client: dynamoClient(),
          }),
        }
      : {}),
  };
}

export type LambdaHandler<E = unknown, R = unknown> = (event: E, context?: Context) => Promise<R>;

const handlerResets = new Set<() => void>();

/**
 * Makes every `handler` export build its dependencies again on its next invocation, with new SDK clients from the
 * environment as it is then (for a local stack restarted in the same process; Lambda never needs it).
 */
export function resetHandlers(): void {
  for (const reset of handlerResets) reset();
  resetClients();
}

/** `handler` export: builds its dependencies on the first invocation, then reuses them. */
export function lazyHandler<E, R>(make: () => LambdaHandler<E, R>): LambdaHandler<E, R> {
  let built: LambdaHandler<E, R> | undefined;
  handlerResets.add(() => {
    built = undefined;
  });
  return (event, context) => {
    built ??= make();
    return built(event, context);
  };
}

/**
 * The error the Lambda runtime reports: a DomainError that the workflow must see by name is rethrown with
 * `name` = that name (Lambda's errorType, which Step Functions uses as the error); an AWS service's throttling is
 * rethrown as `Onboarding.Throttled`, which the workflow's transient-failure policy retries.
 */
export function toLambdaError(err: unknown): Error {
  // Powertools wraps a failing call to its store (e.g. DynamoDB throttling) as IdempotencyPersistenceLayerError
  const throttled = isThrottled(err) || (err instanceof Error && isThrottled(err.cause));
  const workflowError =
    err instanceof DomainError && err.workflowError
      ? err.workflowError
      : throttled
        ? WORKFLOW_ERRORS.throttled
        : undefined;
  if (workflowError && err instanceof Error) {
    const named = new Error(err.message, { cause: err });
    named.name = workflowError;
    return named;
  }
  return err instanceof Error ? err : new Error(String(err));
}

export interface HandlerOptions {
  /** Deduplicate retried invocations (Powertools Idempotency). */
  idempotent?: boolean;
  /** JMESPath of the idempotency key in the event; default: the whole event. */
  idempotencyKey?: string;
  /** @default 3600 */
  expiresAfterSeconds?: number;
}

/** A thin handler: run one use case, log the outcome without the event, map errors. */
export function taskHandler<E, R>(
  deps: HandlerDeps<unknown>,
  name: string,
  run: (event: E) => Promise<R>,
  options: HandlerOptions = {},
): LambdaHandler<E, R> {
  const { logger } = deps;
  const invoke = async (event: E, context?: Context): Promise<R> => {
    if (context) logger.addContext(context);
    logger.appendKeys({ function: name });
    try {
      const result = await run(event);
      logger.info(`${name} done`);
      return result;
    } catch (err) {
      const mapped = toLambdaError(err);
      const details = { errorName: mapped.name, errorMessage: mapped.message };
      if (err instanceof DomainError && err.retriedByDesign)
        logger.warn(`${name} will be delivered again`, details);
      else logger.error(`${name} failed`, details);
      throw mapped;
    } finally {
      logger.removeKeys(['function']);
    }
  };
  if (!options.idempotent || !deps.persistence) return invoke;
  const idempotent = makeIdempotent(invoke, {
    persistenceStore: deps.persistence,
    // The function's own name, not AWS_LAMBDA_FUNCTION_NAME: the local stack runs every handler in one process, and
    // two handlers given equal payloads (activate-paid-plan, notify-completion) must never share a record.
    keyPrefix: name,
    config: new IdempotencyConfig({
      expiresAfterSeconds: options.expiresAfterSeconds ?? 3600,
      ...(options.idempotencyKey
        ? { eventKeyJmesPath: options.idempotencyKey, throwOnNoIdempotencyKey: true }
        : {}),
    }),
  });
  // errors of the idempotency layer itself (its store throttled) get the same names as the use case's
  return (event, context) =>
    idempotent(event, context as Context).catch((err: unknown) => {
      throw toLambdaError(err);
    });
}

export interface TaskHandlerSpec<Q, R> extends HandlerOptions {
  /** The function's name (workflows/contracts/functions.ts): its log key and its idempotency records' prefix. */
  readonly name: string;
  /** The adapters it uses besides the common ports (so only their SDK clients are in its bundle). */
  readonly ports: (common: CommonPorts) => NoInfer<Omit<Q, keyof CommonPorts>>;
  /** The one use case it runs; the use case parses the event with its contract's zod schema. */
  readonly run: (ports: Q, event: unknown, logger: Logger) => Promise<R>;
}

export interface TaskHandlerModule<Q, R> {
  /** The handler over the given dependencies (tests pass in-memory ports). */
  createHandler: (deps?: HandlerDeps<Q>) => LambdaHandler<unknown, R>;
  /** The Lambda entry: dependencies from the environment, built on the first invocation and then kept. */
  handler: LambdaHandler<unknown, R>;
}

/** A task function in a few lines: its ports, its use case, its idempotency; logging and error names as taskHandler. */
export function defineTaskHandler<Q, R>(spec: TaskHandlerSpec<Q, R>): TaskHandlerModule<Q, R> {
  const { name, ports, run, ...options } = spec;
  // the common ports are the same in every function: with the spec's own, they are the use case's ports
  const defaultDeps = () =>
    handlerDeps(ports, { idempotency: options.idempotent }) as unknown as HandlerDeps<Q>;
  const createHandler = (deps: HandlerDeps<Q> = defaultDeps()) =>
    taskHandler(deps, name, (event: unknown) => run(deps.ports, event, deps.logger), options);
  return { createHandler, handler: lazyHandler(() => createHandler()) };
}
