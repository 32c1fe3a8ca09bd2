/**
 * Figures for the web app (issue 5), printed:
 * 1. The console's list with 10,000 onboardings: page time p50/p95/max, in-process (app.request) and over loopback
 *    HTTP (startWebServer + fetch), for the first page, a stage filter, a search, and a later page by cursor.
 * 2. The weight of each page: HTML + CSS + JS bytes (target < 100 KB).
 * Runs on tasks' in-memory ports (the DynamoDB-backed figures need the local stack). Usage: npx tsx bench/web.ts
 */
import { performance } from 'node:perf_hooks';
import { FakeWorkflow } from '../local/in-memory/fake-workflow.js';
import { newOnboarding } from '../tasks/domain/onboarding.js';
import type { PasswordAuth } from '../tasks/ports/staff-auth.js';
import * as uc from '../tasks/use-cases/index.js';
import { createApp } from '../web/app.js';
import { parseWebConfig } from '../web/config.js';
import { signToken } from '../web/security/signed.js';
import { startWebServer } from '../web/server.js';
import { SCRIPT, STYLE } from '../web/static/index.js';
import { STAGES, type Stage } from '../workflows/contracts/index.js';

const N = 10_000;
const RUNS = 200;
const SECRET = 'bench-secret-0123456789-abcdefghijklmnop';

const flow = new FakeWorkflow();
const { ports } = flow;
const staffAuth: PasswordAuth = { kind: 'password', verifyPassword: async () => undefined };
const config = parseWebConfig({ sessionSecret: SECRET });
const app = createApp({ ports, staffAuth, config }, { error: (m, e) => console.error(m, e) });

// --- data: a few real onboardings through the workflow, then 10,000 records spread over the stages ---------------
const inquiry = (i: number) => ({
  company: `Company ${i}`,
  contactName: `Contact ${i}`,
  email: `buyer${i}@example.com`,
  awsAccountId: String(100_000_000_000 + i),
  plan: 'Business',
  message: 'Benchmark inquiry',
  locale: 'ja' as const,
});
const real = await uc.startOnboarding(ports, {
  inquiry: inquiry(N + 1),
  actor: { kind: 'system', id: 'bench' },
});
if (!real.ok) throw new Error('could not start');
await flow.idle();
const spread: Stage[] = STAGES.filter((s) => !['NewOrExisting'].includes(s));
const t0 = performance.now();
for (let i = 0; i < N - 1; i++) {
  const at = new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString();
  const o = newOnboarding({ id: `onb-bench${String(i).padStart(8, '0')}`, inquiry: inquiry(i), at });
  await ports.onboardings.create({ ...o, stage: spread[i % spread.length] as Stage });
}
const seedMs = performance.now() - t0;

// a staff session cookie (signed like the app's), no scrypt in the loop
const now = Math.floor(ports.clock.now().getTime() / 1000);
const staffCookie = `staff=${signToken(SECRET, 'staff-session', { sid: 'bench', sub: 'bench', name: 'Bench', role: 'support', exp: now + 3600 })}`;

const first = await app.request('/console', { headers: { cookie: staffCookie } });
if (first.status !== 200) throw new Error(`console answered ${first.status}`);
let cursor = /href="\/console\?cursor=([^"]+)" rel="next"/.exec(await first.text())?.[1];
for (let i = 0; i < 9 && cursor; i++) {
  const page = await (
    await app.request(`/console?cursor=${cursor}`, { headers: { cookie: staffCookie } })
  ).text();
  cursor = /href="\/console\?cursor=([^"]+)" rel="next"/.exec(page)?.[1];
}
const CASES: [string, string][] = [
  ['all, first page', '/console'],
  ['stage filter', '/console?stage=Consultation'],
  ['search (company)', '/console?q=company%204242'],
  ['search (AWS account id)', '/console?q=100000007777'],
  ['page 11 by cursor', `/console?cursor=${cursor}`],
];

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number;
};
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

async function measure(get: (path: string) => Promise<Response>) {
  const rows: string[][] = [];
  for (const [name, path] of CASES) {
    for (let i = 0; i < 10; i++) await (await get(path)).text(); // warm up
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      const res = await get(path);
      await res.text();
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
      times.push(performance.now() - start);
    }
    rows.push([name, fmt(pct(times, 50)), fmt(pct(times, 95)), fmt(Math.max(...times))]);
  }
  return rows;
}

function print(title: string, head: string[], rows: string[][]) {
  const all = [head, ...rows];
  const w = head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  console.log(`\n${title}`);
  for (const r of all) console.log(`  ${r.map((c, i) => c.padEnd(w[i] ?? 0)).join('  ')}`);
}

console.log(`web bench: ${N} onboardings in memory (seeded in ${fmt(seedMs)}), ${RUNS} requests per case`);
print(
  'Console list, in-process (app.request)',
  ['case', 'p50', 'p95', 'max'],
  await measure(async (p) => app.request(p, { headers: { cookie: staffCookie } })),
);
const server = await startWebServer({ port: 0, deps: { ports, staffAuth, config } });
print(
  `Console list, over HTTP (${server.url}, Node server + fetch)`,
  ['case', 'p50', 'p95', 'max'],
  await measure((p) => fetch(`${server.url}${p}`, { headers: { cookie: staffCookie } })),
);
await server.close();

// --- page weights --------------------------------------------------------------------------------------------------
const id = real.onboardingId;
const assets = STYLE.body.length + SCRIPT.body.length;
const buyerCookie = (uid?: string) =>
  `buyer=${signToken(SECRET, 'buyer-session', { sid: 'b', onb: id, acct: String(100_000_000_000 + N + 1), ...(uid ? { uid } : {}), exp: now + 3600 })}`;
await uc.seedAccounts(ports, [
  {
    email: 'w@example.com',
    password: 'weight-pass-1',
    accounts: [
      { id: 'acct-w1', name: 'W1' },
      { id: 'acct-w2', name: 'W2' },
    ],
  },
]);
const user = await ports.accounts.findUserByEmail('w@example.com');
const PAGES: [string, string, string?][] = [
  ['inquiry form', '/inquiry'],
  ['inquiry thanks', `/inquiry/thanks?ref=${id}`],
  ['buyer: 新規登録', '/buyer/register', buyerCookie()],
  ['buyer: login', '/buyer/login', buyerCookie()],
  ['buyer: account selection', '/buyer/accounts', buyerCookie(user?.id)],
  ['buyer: complete', '/buyer/complete', buyerCookie()],
  ['buyer: session expired', '/buyer/register'],
  ['staff sign-in', '/auth/login'],
  ['console list (50 rows)', '/console', staffCookie],
  ['console onboarding', `/console/onboardings/${id}`, staffCookie],
  ['audit home', '/audit', staffCookie],
  ['audit timeline', `/audit/onboardings/${id}`, staffCookie],
];
const weights: string[][] = [];
let heaviest = 0;
for (const [name, path, cookie] of PAGES) {
  const res = await app.request(path, cookie ? { headers: { cookie } } : {});
  const html = Buffer.byteLength(await res.text());
  const total = html + assets;
  heaviest = Math.max(heaviest, total);
  weights.push([
    name,
    String(res.status),
    `${(html / 1024).toFixed(1)} KB`,
    `${(total / 1024).toFixed(1)} KB`,
  ]);
}
print(
  `Page weight (CSS ${(STYLE.body.length / 1024).toFixed(1)} KB + JS ${(SCRIPT.body.length / 1024).toFixed(1)} KB on every page, uncompressed)`,
  ['page', 'status', 'HTML', 'HTML+CSS+JS'],
  weights,
);
console.log(`\nheaviest page: ${(heaviest / 1024).toFixed(1)} KB (target < 100 KB)`);
