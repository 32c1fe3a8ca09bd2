/**
 * `npm run bench:console`: the console's list with 10,000 onboardings on the real local stack (DynamoDB on
 * dynalite), page time p50/p95/max over HTTP as a signed-in staff member sees it, for the first page, a stage
 * filter, a search by company, by AWS account id, and a later page by cursor. Target: p95 < 100 ms.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Browser } from '../local/demo/browser.js';
import { startStack } from '../local/stack/boot.js';
import { DEMO_STAFF } from '../local/stack/seed.js';
import { awsPorts } from '../tasks/adapters/aws/index.js';
import { newOnboarding } from '../tasks/domain/onboarding.js';
import { STAGES, type Stage } from '../workflows/contracts/index.js';
import { formatNumber, percentile, table } from './engine/stats.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
const N = 10_000;
const RUNS = 200;

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mo-bench-console-'));
const ports = { web: 0, states: 0, dynamodb: 0, ses: 0, marketplace: 0, events: 0, s3: 0 };
const stack = await startStack({ config: { host: '127.0.0.1', dataDir, ports, verbose: false } });
try {
  const repository = awsPorts().onboardings;
  const spread: Stage[] = STAGES.filter((s) => s !== 'NewOrExisting');
  const seeded = performance.now();
  for (let batch = 0; batch < N; batch += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, N - batch) }, (_, k) => {
        const i = batch + k;
        const onboarding = newOnboarding({
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
        return repository.create({ ...onboarding, stage: spread[i % spread.length] as Stage });
      }),
    );
  }
  console.log(
    `seeded ${N} onboardings into DynamoDB (dynalite) in ${formatNumber((performance.now() - seeded) / 1000, 1)} s`,
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
  const cases: [string, string][] = [
    ['all, first page', '/console'],
    ['stage filter', '/console?stage=AwaitAcceptance'],
    ['search (company)', '/console?q=Company%209876'],
    ['search (AWS account id)', '/console?q=100000009876'],
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
    `\nConsole list with ${N} onboardings, over HTTP on the local stack (${RUNS} requests each; target p95 < 100 ms)\n`,
  );
  console.log(table(rows));
} finally {
  await stack.close();
  await rm(dataDir, { recursive: true, force: true });
}
