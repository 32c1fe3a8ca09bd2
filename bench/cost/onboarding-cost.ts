/**
 * The AWS cost of one onboarding, per branch (7-1 new account, 7-2 existing account), counted on the local stack
 * (in this process, so the meter sees the functions' requests): each branch runs `runs` times one after the other
 * through the real surfaces (inquiry form, console, marketplace simulator, buyer pages), and per onboarding this counts
 * - state transitions and the Lambda tasks with their durations, from the execution's history;
 * - the web function's invocations and durations, the requests of every function to DynamoDB (capacity units from
 *   item sizes), SES, S3, Step Functions and Marketplace (meter.ts);
 * - EventBridge events (the local bus: custom events are billed, AWS service events are not) and the invocations the
 *   template's rules make of them (marketplace-events, archive-history; their durations are not measured).
 * Prices: prices.ts.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { MARKETPLACE_EVENT_PATTERN, TERMINAL_STATUSES } from '../../infra/events.js';
import { DEFAULT_MEMORY_MB } from '../../infra/functions.js';
import { Procedure } from '../../local/demo/procedure.js';
import { existingAccountScenario, newAccountScenario, newBuyer } from '../../local/demo/scenarios.js';
import {
  allowManyInquiriesFromOneAddress,
  existingUsers,
  seedExistingUsers,
} from '../../local/demo/users.js';
import { startStack } from '../../local/stack/boot.js';
import { freePortsConfig } from '../../local/stack/config.js';
import { DEMO_STAFF } from '../../local/stack/seed.js';
import { FUNCTIONS } from '../../workflows/contracts/functions.js';
import { asDriver, Meter, type MeterReading } from './meter.js';
import { PRICES } from './prices.js';

export type Branch = 'new' | 'existing';

export interface OnboardingUsage {
  readonly branch: Branch;
  readonly status: string;
  readonly transitions: number;
  /** Lambda invocations by function: count and billed ms. */
  readonly lambda: Record<string, { invocations: number; ms: number }>;
  /** Invocations by EventBridge rules (counted, duration not measured). */
  readonly ruleInvocations: Record<string, number>;
  readonly gbSeconds: number;
  readonly readUnits: number;
  readonly writeUnits: number;
  readonly indexWriteUnits: number;
  readonly sesMessages: number;
  readonly customEvents: number;
  readonly awsEvents: number;
  readonly s3Tier1: number;
  readonly s3Tier2: number;
  readonly requests: Record<string, number>;
}

export interface CostLine {
  readonly item: string;
  readonly quantity: number;
  readonly usd: number;
}

const memoryMb = (name: string) => FUNCTIONS.find((f) => f.name === name)?.memoryMb ?? DEFAULT_MEMORY_MB;
const catalogName = (functionName: string) =>
  FUNCTIONS.map((f) => f.name)
    .sort((a, b) => b.length - a.length)
    .find((n) => functionName.endsWith(n)) ?? functionName;

/** Lambda tasks of the history: each invocation from TaskStarted to its TaskSubmitted/Succeeded/Failed/TimedOut. */
export function lambdaTasks(events: readonly HistoryEvent[]): { name: string; ms: number }[] {
  const open: { name: string; started?: number }[] = [];
  const done: { name: string; ms: number }[] = [];
  for (const e of events) {
    const at = e.timestamp ? new Date(e.timestamp).getTime() : 0;
    if (e.type === 'TaskScheduled' && e.taskScheduledEventDetails?.resourceType === 'lambda') {
      const params = JSON.parse(e.taskScheduledEventDetails.parameters ?? '{}') as { FunctionName?: string };
      open.push({ name: catalogName(String(params.FunctionName ?? '')) });
    } else if (e.type === 'LambdaFunctionScheduled') {
      open.push({ name: catalogName(String(e.lambdaFunctionScheduledEventDetails?.resource ?? '')) });
    } else if (e.type === 'TaskStarted' || e.type === 'LambdaFunctionStarted') {
      const first = open.find((o) => o.started === undefined);
      if (first) first.started = at;
    } else if (
      /^(Task(Submitted|Succeeded|Failed|TimedOut)|LambdaFunction(Succeeded|Failed|TimedOut))$/.test(
        e.type ?? '',
      )
    ) {
      const i = open.findIndex((o) => o.started !== undefined);
      const o = open[i];
      if (!o || o.started === undefined) continue;
      open.splice(i, 1);
      done.push({ name: o.name, ms: Math.max(1, at - o.started) });
    }
  }
  return done;
}

function diff(after: MeterReading, before: MeterReading): MeterReading {
  const requests: Record<string, number> = {};
  for (const [k, v] of Object.entries(after.requests)) {
    const d = v - (before.requests[k] ?? 0);
    if (d) requests[k] = d;
  }
  return {
    requests,
    readUnits: after.readUnits - before.readUnits,
    writeUnits: after.writeUnits - before.writeUnits,
    indexWriteUnits: after.indexWriteUnits - before.indexWriteUnits,
    sesRecipients: after.sesRecipients - before.sesRecipients,
    webInvocations: after.webInvocations - before.webInvocations,
    webMs: after.webMs - before.webMs,
  };
}

export async function measureOnboardings(runs = 1): Promise<OnboardingUsage[]> {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  allowManyInquiriesFromOneAddress();
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mo-bench-cost-'));
  // before the stack: every SDK client it builds then sends through the meter's http.request
  const meter = new Meter();
  const stack = await startStack({
    config: freePortsConfig(dataDir),
    changeSetDelayMs: 200,
  }).catch((error: unknown) => {
    meter.stop();
    throw error;
  });
  const portOf = (url: string) => Number(new URL(url).port);
  const services = new Map<number, string>([
    [portOf(stack.urls.dynamodb), 'dynamodb'],
    [portOf(stack.urls.ses), 'ses'],
    [portOf(stack.urls.s3), 's3'],
    [portOf(stack.urls.states), 'states'],
    [portOf(stack.urls.events), 'events'],
    [portOf(stack.urls.marketplace), 'marketplace'],
  ]);
  meter.watch(services, portOf(stack.urls.web));
  try {
    const users = existingUsers('cost', runs);
    await seedExistingUsers(users, stack.urls.saas);
    const procedure = new Procedure(
      {
        web: stack.urls.web,
        states: stack.urls.states,
        ses: stack.urls.ses,
        marketplace: stack.urls.marketplace,
      },
      stack.stateMachineArn,
      Object.fromEntries(DEMO_STAFF.map((u) => [u.id, u.password])),
      120_000,
    );
    const out: OnboardingUsage[] = [];
    for (let i = 0; i < runs; i++) {
      for (const branch of ['new', 'existing'] as const) {
        await stack.bus.idle();
        const before = meter.read();
        const eventsBefore = stack.bus.events.length;
        const user = users[i] as (typeof users)[number];
        const result = await asDriver(() =>
          branch === 'new'
            ? newAccountScenario(procedure, newBuyer(`Cost7-1-${i}`))
            : existingAccountScenario(procedure, user, newBuyer(`Cost7-2-${i}`)),
        );
        // the end of the execution triggers archive-history (an EventBridge rule): let it finish
        await stack.bus.idle();
        await new Promise((resolve) => setTimeout(resolve, 500));
        await stack.bus.idle();
        const history = await asDriver(() => procedure.history(result.onboardingId));
        const used = diff(meter.read(), before);
        const events = stack.bus.events.slice(eventsBefore);
        out.push(usage(branch, result.status, history, used, events));
      }
    }
    procedure.sfn.destroy();
    return out;
  } finally {
    meter.stop();
    await stack.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function usage(
  branch: Branch,
  status: string,
  history: readonly HistoryEvent[],
  used: MeterReading,
  events: readonly { source: string; 'detail-type': string; detail: Record<string, unknown> }[],
): OnboardingUsage {
  const lambda: Record<string, { invocations: number; ms: number }> = {};
  for (const t of lambdaTasks(history)) {
    const l = lambda[t.name] ?? { invocations: 0, ms: 0 };
    lambda[t.name] = { invocations: l.invocations + 1, ms: l.ms + t.ms };
  }
  if (used.webInvocations) lambda.web = { invocations: used.webInvocations, ms: used.webMs };
  const marketplace = events.filter(
    (e) =>
      (MARKETPLACE_EVENT_PATTERN.source as readonly string[]).includes(e.source) &&
      (MARKETPLACE_EVENT_PATTERN.detailType as readonly string[]).includes(e['detail-type']),
  ).length;
  const ended = events.filter(
    (e) =>
      e.source === 'aws.states' &&
      (TERMINAL_STATUSES as readonly string[]).includes(String(e.detail.status ?? '')),
  ).length;
  const gbSeconds = Object.entries(lambda).reduce(
    (sum, [name, l]) => sum + (l.ms / 1000) * (memoryMb(name) / 1024),
    0,
  );
  const count = (prefix: string, methods: readonly string[]) =>
    Object.entries(used.requests)
      .filter(([k]) => k.startsWith(prefix) && methods.some((m) => k.startsWith(`${prefix}${m} `)))
      .reduce((sum, [, n]) => sum + n, 0);
  return {
    branch,
    status,
    transitions: history.filter((e) => e.type?.endsWith('StateEntered')).length,
    lambda,
    ruleInvocations: { 'marketplace-events': marketplace, 'archive-history': ended },
    gbSeconds,
    readUnits: used.readUnits,
    writeUnits: used.writeUnits,
    indexWriteUnits: used.indexWriteUnits,
    sesMessages: used.sesRecipients,
    customEvents: events.filter((e) => !e.source.startsWith('aws.')).length,
    awsEvents: events.filter((e) => e.source.startsWith('aws.')).length,
    s3Tier1: count('s3 ', ['PUT', 'POST', 'COPY']),
    s3Tier2: count('s3 ', ['GET', 'HEAD']),
    requests: used.requests,
  };
}

/** The cost of one onboarding at the list prices of prices.ts. */
export function costOf(u: OnboardingUsage): CostLine[] {
  const invocations =
    Object.values(u.lambda).reduce((s, l) => s + l.invocations, 0) +
    Object.values(u.ruleInvocations).reduce((s, n) => s + n, 0);
  return [
    {
      item: 'Step Functions state transitions',
      quantity: u.transitions,
      usd: u.transitions * PRICES.stateTransition.usd,
    },
    { item: 'Lambda requests', quantity: invocations, usd: invocations * PRICES.lambdaRequest.usd },
    {
      item: 'Lambda duration (GB-s, Arm)',
      quantity: u.gbSeconds,
      usd: u.gbSeconds * PRICES.lambdaArmGbSecond.usd,
    },
    {
      item: 'DynamoDB read request units',
      quantity: u.readUnits,
      usd: u.readUnits * PRICES.dynamoReadRequestUnit.usd,
    },
    {
      item: 'DynamoDB write request units',
      quantity: u.writeUnits,
      usd: u.writeUnits * PRICES.dynamoWriteRequestUnit.usd,
    },
    { item: 'SES messages', quantity: u.sesMessages, usd: u.sesMessages * PRICES.sesMessage.usd },
    {
      item: 'EventBridge custom events',
      quantity: u.customEvents,
      usd: u.customEvents * PRICES.eventBridgeCustomEvent.usd,
    },
    { item: 'S3 PUT/POST requests', quantity: u.s3Tier1, usd: u.s3Tier1 * PRICES.s3Tier1Request.usd },
    { item: 'S3 GET requests', quantity: u.s3Tier2, usd: u.s3Tier2 * PRICES.s3Tier2Request.usd },
  ];
}
