/**
 * Boots the whole local stack on the embedded default: the synthesized CDK app's state machine on the
 * project's Step Functions runtime, its tables on dynalite, SES, S3 for the archive, the EventBridge rules of the
 * template on a local bus, the marketplace simulator and the web app, all in this process.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type LocalEventBus,
  rulesFromTemplate,
  startLocalEventBus,
} from '@marketplace-onboarding/local-eventbridge';
import {
  type MarketplaceSimulator,
  snsLambdaEvent,
  startMarketplaceSimulator,
} from '@marketplace-onboarding/marketplace-simulator';
import {
  createLocalStepFunctions,
  createTaskDispatcher,
  type LocalStepFunctions,
  startStatesServer,
} from '@marketplace-onboarding/sfn-local';
import type { SampleSaas } from '../sample-saas/server.js';
import { type ArtifactFunctions, artifactFunctions, sandboxEnvironment, startHttpApi } from './artifacts.js';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './aws.js';
import { type DrivenClock, drivenClock, type StackClockKind, skipShortWaits } from './clock.js';
import { hostOf, type ServiceName, type StackConfig } from './config.js';
import { ensureTables, startDynamoDb, tablesFromTemplate } from './dynamodb.js';
import { endpointVariables, type StackUrls, stackEnvironment } from './environment.js';
import { type Handler, invokeHandler, loadHandlers, withFunctionTimeout } from './functions.js';
import {
  createAuthorizer,
  type Denial,
  type IamProxy,
  principalsFromTemplate,
  startIamProxy,
} from './iam.js';
import { assertPortsFree, onChosenPorts } from './ports.js';
import { localResources, withResolvedEventPatterns } from './resources.js';
import { bucketsFromTemplate, startS3 } from './s3.js';
import { secretsFromTemplate, startSecretsManager } from './secrets-manager.js';
import { seedDemoData } from './seed.js';
import { startSes } from './ses.js';
import { deployStateMachine, forwardExecutionEvents } from './state-machine.js';
import { synthesize, type WorkflowPacing } from './synth.js';
import type { CfnTemplate } from './template.js';
import { startSampleVendor, vendorContext } from './vendor.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type Progress = (message: string) => void;

export interface StackOptions {
  readonly config: StackConfig;
  /** Told each step as it completes. */
  readonly progress?: Progress;
  /** The workflow's waits. @default LOCAL_PACING */
  readonly pacing?: WorkflowPacing;
  /** How long the simulated change sets take. @default 1500 */
  readonly changeSetDelayMs?: number;
  /**
   * The Step Functions runtime's clock: `real`, or `driven` (real time that the caller can move ahead, to fire Waits,
   * retries and timeouts at once: see clock.ts). @default 'real'
   */
  readonly clock?: StackClockKind;
  /**
   * With the driven clock: while the runtime has nothing to run, the clock jumps to its next timer when that is at
   * most this many seconds away (polling and retry waits); longer ones (timeouts) wait to be driven. @default 0
   */
  readonly skipWaitsUpToSeconds?: number;
  /** Changes the synthesized template before the stack reads it (tests: remove one grant to see the denial). */
  readonly adjustTemplate?: (template: CfnTemplate) => CfnTemplate;
}

export interface RunningStack {
  readonly urls: StackUrls;
  readonly stateMachineArn: string;
  /** The lifecycle state machine (one execution per episode of the deal after the sale), when the template has one. */
  readonly lifecycleStateMachineArn?: string;
  readonly runtime: LocalStepFunctions;
  /** The runtime's clock when the stack was started with `clock: 'driven'`. */
  readonly clock?: DrivenClock;
  readonly marketplace: MarketplaceSimulator;
  readonly bus: LocalEventBus;
  /** The sample vendor SaaS (`--vendor sample`): its switches and what it was asked, for tests. */
  readonly vendor?: SampleSaas;
  /** With `--artifacts`: the cloud assembly the functions run from, and their sandboxes' cold starts so far. */
  readonly artifacts?: { readonly assemblyDir: string; coldStarts(): ReadonlyMap<string, number> };
  /** Local IAM enforcement (on unless `--no-iam`): every call the template's roles did not allow so far. */
  readonly iam?: {
    readonly denials: readonly Denial[];
    /** Calls evaluated so far by principal (the function's or state machine's logical id). */
    readonly evaluated: ReadonlyMap<string, number>;
  };
  readonly dataDir: string;
  /** Seconds from the call to ready. */
  readonly startupSeconds: number;
  /** Stops everything, newest first. Idempotent. */
  close(): Promise<void>;
}

/**
 * The environment the application sees, minus the session key, for tools that talk to the running stack
 * (`npm run onboarding -- --env-file .data/stack.env list`).
 */
async function writeEnvFile(file: string, environment: Record<string, string>): Promise<void> {
  const lines = Object.entries(environment)
    .filter(([name]) => name !== 'SESSION_SECRET')
    .map(([name, value]) => `${name}=${value}`);
  await writeFile(
    file,
    `# written by npm start; the environment of the local stack's functions\n${lines.join('\n')}\n`,
  );
}

async function sessionSecret(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'session-secret');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const secret = randomBytes(32).toString('base64url');
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/**
 * Starts the whole stack. Ports left at 0 are chosen below the ephemeral range; when another process takes one of them
 * between the choice and the bind, the stack closes what it started and starts again on others (see onChosenPorts).
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const started = Date.now();
  return onChosenPorts(options.config, (ports) => startStackOn(options, ports, started), {
    onRetry: (error) =>
      options.progress?.(`a chosen port was taken meanwhile; starting again on others (${error})`),
  });
}

async function startStackOn(
  options: StackOptions,
  ports: Record<ServiceName, number>,
  started: number,
): Promise<RunningStack> {
  const { config } = options;
  const say = options.progress ?? (() => undefined);
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const stop of closers.splice(0).reverse()) await stop().catch(() => undefined);
  };
  try {
    await assertPortsFree(config);
    const url = (s: ServiceName) => `http://${hostOf(config, s)}:${ports[s]}`;
    const urls: StackUrls = {
      web: url('web'),
      states: url('states'),
      dynamodb: url('dynamodb'),
      ses: url('ses'),
      s3: url('s3'),
      marketplace: url('marketplace'),
      events: url('events'),
      secrets: url('secrets'),
      ...(config.vendor === 'sample' ? { saas: url('saas'), vendorApi: url('saas') } : {}),
      ...(config.vendorUrl ? { vendorApi: config.vendorUrl } : {}),
    };
    const dir = (name: string) => path.join(config.dataDir, name);
    await mkdir(config.dataDir, { recursive: true });

    const synth = synthesize({
      cacheDir: dir('cache'),
      context: vendorContext(config.vendor, config.vendorUrl),
      ...(config.artifacts ? { artifacts: true } : {}),
      ...(options.pacing ? { pacing: options.pacing } : {}),
    }).then((s) => {
      say(`synthesized the CDK app${s.assemblyDir ? ' with its bundles' : ''}${s.cached ? ' (cached)' : ''}`);
      return s;
    });
    // Synthesis runs in a child process alongside the first services: a start that fails before it is used waits
    // for it to end (no child left behind, no unhandled rejection); the rejection itself is met at `await synth`.
    const synthEnded = synth.then(
      () => undefined,
      () => undefined,
    );
    closers.push(() => synthEnded);
    const ses = await startSes({ port: ports.ses, host: hostOf(config, 'ses'), dir: dir('ses') });
    closers.push(ses.close);
    say(`SES inbox on ${ses.url}`);
    const dynamodb = await startDynamoDb({
      port: ports.dynamodb,
      host: hostOf(config, 'dynamodb'),
      dir: dir('dynamodb'),
    });
    closers.push(dynamodb.close);

    const synthesized = await synth;
    const { assemblyDir, runtimeProvided } = synthesized;
    const template = options.adjustTemplate
      ? options.adjustTemplate(structuredClone(synthesized.template))
      : synthesized.template;
    const resources = localResources(template, {
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT_ID,
      attributes: (_id, resource, attribute) =>
        resource.Type === 'AWS::ApiGatewayV2::Api' && attribute === 'ApiEndpoint' ? urls.web : undefined,
    });
    // IAM: each function signs with its own access key id (its logical id); proxies in front of the services check
    // every call against its role in the template. Without --artifacts the task handlers share this process and its
    // (unrestricted) operator credentials: only the state machine's role is enforced then (docs/local-iam.md).
    const principals = config.iam === false ? undefined : principalsFromTemplate(template, resources.context);
    const authorizer = principals && createAuthorizer(principals);
    let apiUrls: StackUrls = urls;
    if (authorizer) {
      const place = {
        region: LOCAL_REGION,
        accountId: LOCAL_ACCOUNT_ID,
        stateMachineArn: resources.stateMachine.arn,
      };
      const proxy = async (
        service: 'dynamodb' | 'states' | 'ses' | 's3' | 'marketplace' | 'events' | 'secrets',
      ) => {
        const started: IamProxy = await startIamProxy({
          host: hostOf(config, service),
          target: urls[service],
          authorizer,
          place,
          ...(service === 's3' ? { rewriteKey: 'S3RVER' } : {}),
        });
        closers.push(started.close);
        return started.url;
      };
      apiUrls = {
        ...urls,
        dynamodb: await proxy('dynamodb'),
        states: await proxy('states'),
        ses: await proxy('ses'),
        s3: await proxy('s3'),
        marketplace: await proxy('marketplace'),
        events: await proxy('events'),
        secrets: await proxy('secrets'),
      };
      say(`IAM enforced for ${principals?.size ?? 0} roles of the template`);
    }
    const identity = (logicalId: string): Record<string, string> =>
      authorizer ? { AWS_ACCESS_KEY_ID: logicalId, AWS_SECRET_ACCESS_KEY: 'local-iam' } : {};
    const created = await ensureTables(dynamodb.url, tablesFromTemplate(template));
    say(`DynamoDB on ${dynamodb.url} (${created.length ? `created ${created.join(', ')}` : 'tables kept'})`);
    const s3 = await startS3({
      port: ports.s3,
      host: hostOf(config, 's3'),
      dir: dir('s3'),
      buckets: bucketsFromTemplate(template).map((b) => b.name),
    });
    closers.push(s3.close);
    say(`S3 on ${s3.url}`);
    const secrets = await startSecretsManager({
      port: ports.secrets,
      host: hostOf(config, 'secrets'),
      dir: dir('secrets'),
      secrets: secretsFromTemplate(template, (id) => resources.context.ref(id)),
    });
    closers.push(secrets.close);
    say(`Secrets Manager on ${secrets.url}`);
    let vendor: SampleSaas | undefined;
    if (config.vendor === 'sample') {
      const arnOf = (pattern: RegExp) => {
        const id = Object.keys(template.Resources ?? {}).find((k) => pattern.test(k));
        if (!id) throw new Error(`the template has no secret matching ${pattern}`);
        return resources.context.ref(id);
      };
      vendor = await startSampleVendor({
        port: ports.saas,
        host: hostOf(config, 'saas'),
        dataDir: dir('sample-saas'),
        webUrl: urls.web,
        sesUrl: ses.url,
        secrets,
        signingSecretArn: arnOf(/^ProvisioningSigningSecret/),
        clientSecretArn: arnOf(/^ProvisioningOidcClientSecret/),
      });
      closers.push(vendor.close);
      say(`sample vendor SaaS on ${vendor.url}`);
    }

    const environmentOptions = {
      urls,
      staffUsersFile: dir('staff-users.json'),
      sessionSecret: await sessionSecret(config.dataDir),
      ...(process.env.POWERTOOLS_LOG_LEVEL ? { logLevel: process.env.POWERTOOLS_LOG_LEVEL } : {}),
    };
    const environment = stackEnvironment({ ...environmentOptions, functions: resources.functions });
    const webFunction = resources.functions.find((f) => f.catalogName === 'web');
    // The web app (and whatever else runs in this process) calls the services through the proxies; with the bundles
    // in their sandboxes, this process is the web function and signs as its role.
    Object.assign(process.env, environment, endpointVariables(apiUrls), {
      ...(config.artifacts && webFunction ? identity(webFunction.logicalId) : {}),
    });
    await writeEnvFile(dir('stack.env'), environment);
    let artifacts: ArtifactFunctions | undefined;
    if (config.artifacts) {
      if (!assemblyDir) throw new Error('the synthesized app has no cloud assembly to run the bundles from');
      const sandboxes = artifactFunctions({
        assemblyDir,
        functions: resources.functions,
        runtimeProvided: runtimeProvided ?? [],
        environmentOf: (fn) => ({
          ...sandboxEnvironment(fn, (f) => stackEnvironment({ ...environmentOptions, functions: [f] })),
          ...endpointVariables(apiUrls),
          ...identity(fn.logicalId),
        }),
      });
      closers.push(sandboxes.close);
      artifacts = sandboxes;
    }
    const handlers = artifacts ? artifacts.handlers : await loadHandlers(ROOT, resources.functions);
    const byLogicalId = new Map(resources.functions.map((f) => [f.logicalId, f]));
    const byCatalog = new Map(resources.functions.map((f) => [f.catalogName, f]));
    const handlerOf = (catalogName: string): Handler => {
      const handler = handlers.get(catalogName);
      if (!handler) throw new Error(`no handler loaded for ${catalogName}`);
      return handler;
    };
    say(
      artifacts
        ? `${handlers.size} task functions run from their bundles in ${assemblyDir}`
        : `loaded ${handlers.size} task handlers`,
    );
    const seeded = await seedDemoData(dir('staff-users.json'));
    say(`demo data ready${seeded.staffAdded ? ` (${seeded.staffAdded} staff users added)` : ''}`);

    const bus = await startLocalEventBus({
      port: ports.events,
      host: hostOf(config, 'events'),
      dataDir: dir('events'), // what the bus accepted is delivered even after a crash, as EventBridge would
      accountId: LOCAL_ACCOUNT_ID,
      region: LOCAL_REGION,
      rules: rulesFromTemplate(withResolvedEventPatterns(template, resources.context), {
        accountId: LOCAL_ACCOUNT_ID,
        region: LOCAL_REGION,
      }),
      deliver: async (targetArn, payload, target) => {
        const fn = target.logicalId ? byLogicalId.get(target.logicalId) : undefined;
        if (!fn)
          throw new Error(`rule ${target.ruleName}: target ${targetArn} is not a function of the template`);
        await invokeHandler(handlerOf(fn.catalogName), fn, payload);
      },
    });
    closers.push(bus.close);
    say(`EventBridge rules on ${bus.url}`);

    // The state machine's role: lambda:InvokeFunction on each function it runs, and the optimized integrations'
    // calls signed with its own key through the proxies.
    const invoking = (f: (typeof resources.functions)[number], handler: Handler): Handler =>
      authorizer
        ? (event, context) => {
            const denial = authorizer.check(resources.stateMachine.logicalId, [
              { action: 'lambda:InvokeFunction', resource: f.arn },
            ]);
            if (!denial) return handler(event, context);
            const error = new Error(
              `${denial.message} (Service: Lambda, Status Code: 403, Error Code: AccessDeniedException)`,
            );
            error.name = 'Lambda.AWSLambdaException';
            return Promise.reject(error);
          }
        : handler;
    const dispatcher = createTaskDispatcher({
      handlers: Object.fromEntries(
        resources.functions
          .filter((f) => handlers.has(f.catalogName))
          .map((f) => [
            f.functionName,
            invoking(f, withFunctionTimeout(handlerOf(f.catalogName), f.timeoutSeconds)),
          ]),
      ),
      endpoints: {
        dynamodb: apiUrls.dynamodb,
        sesv2: apiUrls.ses,
        ses: apiUrls.ses,
        s3: apiUrls.s3,
        events: apiUrls.events,
        eventbridge: apiUrls.events,
        sfn: apiUrls.states,
      },
      region: LOCAL_REGION,
      ...(authorizer
        ? { credentials: { accessKeyId: resources.stateMachine.logicalId, secretAccessKey: 'local-iam' } }
        : {}),
    });
    closers.push(async () => dispatcher.close());
    const clock = options.clock === 'driven' ? drivenClock() : undefined;
    if (clock) closers.push(async () => clock.stop());
    const runtime = await createLocalStepFunctions({
      dataDir: dir('states'),
      dispatcher,
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT_ID,
      // A task in flight when the stack died runs again. In AWS, Step Functions outlives a function that dies
      // mid-run and its Retry runs it again (the functions are idempotent); here both die together.
      recovery: 'redispatch',
      ...(clock ? { clock } : {}),
    });
    closers.push(() => runtime.close());
    if (clock && options.skipWaitsUpToSeconds) {
      const stop = skipShortWaits(clock, runtime, options.skipWaitsUpToSeconds * 1000);
      closers.push(async () => stop());
    }
    const states = await startStatesServer({
      service: runtime,
      port: ports.states,
      host: hostOf(config, 'states'),
    });
    closers.push(states.close);
    // every state machine of the template (the onboarding's and the lifecycle's); the execution status changes of
    // each go to the bus, as in AWS (the archive rule picks the onboarding's)
    let stateMachineArn = '';
    let lifecycleStateMachineArn: string | undefined;
    for (const machine of resources.stateMachines) {
      const arn = await deployStateMachine(runtime, machine);
      if (machine === resources.stateMachine) stateMachineArn = arn;
      if (machine.role === 'lifecycle') lifecycleStateMachineArn = arn;
      forwardExecutionEvents(runtime, bus, arn);
    }
    say(
      `Step Functions on ${states.url} (${runtime.recovery.executions} running executions resumed in ${Math.round(runtime.recovery.ms)} ms)`,
    );

    const sns = byCatalog.get('marketplace-sns');
    const snsSubscribed = Object.values(template.Resources ?? {}).some(
      (r) => r.Type === 'AWS::SNS::Subscription',
    );
    const marketplace = await startMarketplaceSimulator({
      port: ports.marketplace,
      host: hostOf(config, 'marketplace'),
      dataDir: dir('marketplace'),
      fulfillmentUrl: `${urls.web}/marketplace/fulfillment`,
      productId: process.env.MARKETPLACE_PRODUCT_ID ?? 'prod-example0000000',
      productCode: process.env.MARKETPLACE_PRODUCT_CODE ?? 'exampleproductcode0000',
      region: LOCAL_REGION,
      sellerAccountId: LOCAL_ACCOUNT_ID,
      eventsEndpoint: bus.url,
      // AWS mails "You have a new Private Offer" to the root user of each buyer account: here into the SES inbox,
      // to the pattern's address unless one is set for the account (POST /_admin/set-account-email).
      offerMail: {
        sesEndpoint: ses.url,
        accountEmailPattern:
          process.env.MARKETPLACE_ACCOUNT_EMAIL_PATTERN ?? 'aws-root+{accountId}@example.com',
      },
      changeSetDelayMs: options.changeSetDelayMs ?? 1500,
      ...(sns && snsSubscribed
        ? {
            snsCallback: async (n) =>
              void (await invokeHandler(handlerOf('marketplace-sns'), sns, snsLambdaEvent(n))),
          }
        : {}),
    });
    closers.push(marketplace.close);
    say(`AWS Marketplace simulator on ${marketplace.url}`);

    // The web app reads the same environment as its Lambda does; imported only now that the environment is set.
    const { webDepsFromEnv } = await import('../../web/bootstrap.js');
    const { startWebServer } = await import('../../web/server.js');
    const { createLogger } = await import('../../tasks/handlers/logger.js');
    // The same token-redacting logger as the functions (and the web Lambda), at POWERTOOLS_LOG_LEVEL.
    const served = artifacts?.http;
    // With --artifacts the web function runs from its bundle too, behind a local HTTP API (payload format 2.0).
    const web = served
      ? await startHttpApi({
          port: ports.web,
          host: hostOf(config, 'web'),
          accountId: LOCAL_ACCOUNT_ID,
          ...served,
        })
      : await startWebServer({
          port: ports.web,
          host: hostOf(config, 'web'),
          deps: await webDepsFromEnv({ log: createLogger() }),
        });
    closers.push(web.close);
    say(`web app on ${web.url}`);

    return {
      urls,
      stateMachineArn,
      ...(lifecycleStateMachineArn ? { lifecycleStateMachineArn } : {}),
      runtime,
      ...(clock ? { clock } : {}),
      marketplace,
      bus,
      ...(vendor ? { vendor } : {}),
      ...(artifacts && assemblyDir
        ? { artifacts: { assemblyDir, coldStarts: () => (artifacts as ArtifactFunctions).coldStarts } }
        : {}),
      ...(authorizer ? { iam: { denials: authorizer.denials, evaluated: authorizer.evaluated } } : {}),
      dataDir: config.dataDir,
      startupSeconds: (Date.now() - started) / 1000,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
