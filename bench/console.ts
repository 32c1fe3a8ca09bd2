/**
 * `npm run bench:console [-- --onboardings 100000]`: the console's list with N onboardings (default 10,000) on the
 * real local stack (DynamoDB on dynalite), page time p50/p95/max over HTTP as a signed-in staff member sees it, for
 * the first page, a stage filter, a search by company, by contact, by a company prefix matching many, by AWS account
 * id (typed plain and with hyphens), the work lists (waiting for me, overdue, by due date, the table's 30 s refresh)
 * and a later page by cursor. Targets: p95 < 100 ms at 10,000 and < 150 ms at 100,000 onboardings.
 * Seeding writes the items the repository's create writes, with BatchWriteItem (24 a request, 8 in flight), then
 * rebuilds the per-stage counters; its time is printed. Completed onboardings (one in ~20) each have a Renewal and an
 * AdvisoryReview waiting at once (one work-list entry per step).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Browser } from '../local/demo/browser.js';
import { startStack } from '../local/stack/boot.js';
import { freePortsConfig } from '../local/stack/config.js';
import { DEMO_STAFF } from '../local/stack/seed.js';
import { onboardingSeedItems } from '../tasks/adapters/aws/dynamo-onboarding-repository.js';
import { awsPorts } from '../tasks/adapters/aws/index.js';
import { awaitDealStep, newOnboarding } from '../tasks/domain/onboarding.js';
import { ENV } from '../tasks/table.js';
import {
  assigneeOf,
  HUMAN_STAGES,
  type HumanStage,
  STAGES,
  type Stage,
} from '../workflows/contracts/index.js';
import { formatNumber, percentile, table } from './engine/stats.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
const { values } = parseArgs({ options: { onboardings: { type: 'string', default: '10000' } } });
const N = Number(values.onboardings);
if (!Number.isInteger(N) || N < 100)
  throw new Error(`--onboardings must be a whole number ≥ 100, got ${values.onboardings}`);
const RUNS = 200;
const STARTED = Date.now();
const isHumanStage = (s: Stage): s is HumanStage => (HUMAN_STAGES as readonly Stage[]).includes(s);
/** Onboardings per BatchWriteItem request: two items each, 25 items at most per request. */
const PER_REQUEST = 12;
const IN_FLIGHT = 8;

function onboardingNo(i: number, spread: readonly Stage[]) {
  const o = newOnboarding({
    id: `onb-bench${String(i).padStart(8, '0')}`,
    inquiry: {
      company: `Company ${i}`,
      contactName: `Contact ${i}`,
      email: `buyer${i}@example.com`,
      awsAccountId: String(100_000_000_000 + i),
      plan: 'Business',
      locale: 'ja',
    },
    at: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
  });
  const stage = spread[i % spread.length] as Stage;
  // a human stage waits for its assignee: due dates spread over ±30 days around the bench's start, so about half are
  // overdue (the console's work lists: waiting for me, overdue, by due date)
  const waiting = isHumanStage(stage)
    ? {
        waiting: {
          stage,
          assignee: assigneeOf(stage),
          since: o.createdAt,
          dueAt: new Date(STARTED + ((i * 7919) % 61) * 86_400_000 - 30 * 86_400_000).toISOString(),
        },
      }
    : {};
  // a completed onboarding (one in ~20) has two deal steps waiting at once: a Renewal (sales) and an AdvisoryReview
  // (support), each its own work-list entry
  if (stage === 'Completed') {
    const due = (days: number) =>
      new Date(STARTED + (((i * 7919) % 61) + days) * 86_400_000 - 30 * 86_400_000);
    const done = { ...o, stage, status: 'completed' as const };
    const renewal = awaitDealStep(done, 'Renewal', due(5).toISOString(), o.createdAt, `renewal-${i}`);
    return awaitDealStep(renewal, 'AdvisoryReview', due(0).toISOString(), o.createdAt, `advisory-${i}`);
  }
  return { ...o, stage, ...waiting };
}

/** BatchWriteItem in requests of 25, IN_FLIGHT at a time; unprocessed items are sent again. */
async function seed(db: DynamoDBDocumentClient, tableName: string, spread: readonly Stage[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (;;) {
      const from = next;
      next += PER_REQUEST;
      if (from >= N) return;
      const items = Array.from({ length: Math.min(PER_REQUEST, N - from) }, (_, k) =>
        onboardingSeedItems(onboardingNo(from + k, spread)),
      ).flat();
      // deal steps add items: 25 a request at most
      for (let at = 0; at < items.length; at += 25) {
        let requests: { PutRequest: { Item: Record<string, unknown> } }[] = items
          .slice(at, at + 25)
          .map((Item) => ({ PutRequest: { Item } }));
        while (requests.length) {
          const r = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
          requests = (r.UnprocessedItems?.[tableName] ?? []) as typeof requests;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mo-bench-console-'));
const stack = await startStack({ config: freePortsConfig(dataDir) });
try {
  const repository = awsPorts().onboardings;
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const spread: Stage[] = STAGES.filter((s) => s !== 'NewOrExisting');
  const seeded = performance.now();
  await seed(db, String(process.env[ENV.tableName]), spread);
  const written = performance.now();
  await repository.recountStages();
  console.log(
    `seeded ${formatNumber(N, 0)} onboardings (${formatNumber(N * 2, 0)} items, and deal steps) into DynamoDB (dynalite) with BatchWriteItem in ${formatNumber((written - seeded) / 1000, 1)} s; per-stage counters rebuilt in ${formatNumber((performance.now() - written) / 1000, 1)} s`,
  );

  const browser = new Browser({ acceptLanguage: 'en' });
  const staff = DEMO_STAFF.find((u) => u.role === 'support');
  if (!staff) throw new Error('no support user');
  const login = await browser.get(`${stack.urls.web}/auth/login`);
  await browser.submit(login, { action: '/auth/login' }, { username: staff.id, password: staff.password });
  const firstPage = await browser.get(`${stack.urls.web}/console`);
  const next = firstPage.document
    .querySelectorAll('a')
    .find((a) => (a.getAttribute('href') ?? '').includes('cursor='));
  let later = next ? new URL(next.getAttribute('href') ?? '', stack.urls.web).toString() : undefined;
  for (let i = 0; i < 9 && later; i++) {
    const page = await browser.get(later);
    const link = page.document
      .querySelectorAll('a')
      .find((a) => (a.getAttribute('href') ?? '').includes('cursor='));
    later = link ? new URL(link.getAttribute('href') ?? '', stack.urls.web).toString() : undefined;
  }
  const probe = Math.floor(N * 0.9876);
  const cases: [string, string][] = [
    ['all, first page', '/console'],
    ['stage filter', '/console?stage=AwaitAcceptance'],
    ['search (company)', `/console?q=Company%20${probe}`],
    ['search (contact)', `/console?q=Contact%20${probe}`],
    ['search (company prefix, many)', '/console?q=Company%201'],
    ['search (prefix + stage)', '/console?q=Company%201&stage=AwaitAcceptance'],
    ['search (AWS account id)', `/console?q=${100_000_000_000 + probe}`],
    [
      'search (AWS account id as 1234-5678-9012)',
      `/console?q=${String(100_000_000_000 + probe).replace(/(\d{4})(\d{4})(\d{4})/, '$1-$2-$3')}`,
    ],
    ['waiting for me (support)', '/console?mine=1'],
    ['overdue', '/console?overdue=1'],
    ['overdue, waiting for me', '/console?overdue=1&mine=1'],
    ['all by due date', '/console?sort=due'],
    ['list refresh (table only)', '/console/list?mine=1'],
    ...(later ? ([['page 11 by cursor', later.replace(stack.urls.web, '')]] as [string, string][]) : []),
  ];
  const rows = [['case', 'p50 ms', 'p95 ms', 'max ms']];
  for (const [label, url] of cases) {
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const t0 = performance.now();
      const page = await browser.get(`${stack.urls.web}${url}`);
      times.push(performance.now() - t0);
      if (run === 0 && !page.html.includes('onb-')) throw new Error(`${label}: no onboardings on ${url}`);
    }
    rows.push([
      label,
      formatNumber(percentile(times, 50), 1),
      formatNumber(percentile(times, 95), 1),
      formatNumber(Math.max(...times), 1),
    ]);
  }
  console.log(
    `\nConsole list with ${formatNumber(N, 0)} onboardings, over HTTP on the local stack (${RUNS} requests each; target p95 < ${N > 10_000 ? 150 : 100} ms)\n`,
  );
  console.log(table(rows));
} finally {
  await stack.close();
  await rm(dataDir, { recursive: true, force: true });
}
