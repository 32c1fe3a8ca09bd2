/**
 * The public forms' per-client limits on the local stack (issue 10 figures): what one client gets for 31 inquiries
 * in a row, what one e-mail address gets from several clients, what one buyer gets for 31 failed sign-ins of one
 * e-mail and for 31 sign-ins of different e-mails. Prints each answer's status, the first refused request, the
 * Retry-After and the words shown, and how many onboardings/mails the refused requests caused (target 0).
 * Local stack in this process on free loopback ports, built-in sign-in (vendor built-in), the limits as deployed
 * (tasks/domain/rate-limits.ts; no RATE_LIMITS override). Bounded: about 130 requests. Figures printed, not asserted.
 *   npx tsx bench/rate-limits.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Browser } from '../local/demo/browser.js';
import { Procedure } from '../local/demo/procedure.js';
import { newBuyer, throughSetup } from '../local/demo/scenarios.js';
import { startStack } from '../local/stack/boot.js';
import { freePortsConfig } from '../local/stack/config.js';
import { DEMO_BUYER_USER, DEMO_STAFF } from '../local/stack/seed.js';
import { RATE_LIMITS } from '../tasks/domain/rate-limits.js';

const REQUESTS = 31;

interface Answer {
  status: number;
  retryAfter: string | null;
  words: string;
}

/** Posts the form of `formUrl` as one browser; the status (after a 303, its page's), Retry-After and the alert. */
async function postForm(browser: Browser, formUrl: string, fields: Record<string, string>): Promise<Answer> {
  // a 303 is followed to its page: accepted requests show as 200
  const page = await browser.postFormAt(formUrl, fields);
  const alert = page.document.querySelector('[role=alert]')?.text.trim() ?? '';
  return {
    status: page.status,
    retryAfter: page.headers?.get('retry-after') ?? null,
    words: alert.replace(/\s+/g, ' '),
  };
}

function summary(label: string, answers: Answer[]): void {
  const counts = new Map<number, number>();
  for (const a of answers) counts.set(a.status, (counts.get(a.status) ?? 0) + 1);
  const firstRefused = answers.findIndex((a) => a.status === 429);
  const last = answers.at(-1);
  console.log(`  ${label}`);
  console.log(`    answers: ${[...counts].map(([s, c]) => `${s} × ${c}`).join(', ')}`);
  console.log(`    first refused: ${firstRefused < 0 ? 'none' : `request ${firstRefused + 1}`}`);
  if (last) {
    console.log(
      `    request ${answers.length}: ${last.status}, Retry-After ${last.retryAfter ?? '-'} s, "${last.words.slice(0, 120)}"`,
    );
  }
}

async function mailCount(sesUrl: string): Promise<number> {
  const store = (await (await fetch(`${sesUrl}/store`)).json()) as { emails: unknown[] };
  return store.emails.length;
}

async function main(): Promise<void> {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  if (process.env.RATE_LIMITS)
    console.log(`note: RATE_LIMITS=${process.env.RATE_LIMITS} is set and ignored here`);
  delete process.env.RATE_LIMITS;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mo-bench-rate-'));
  const stack = await startStack({
    config: freePortsConfig(dataDir, { vendor: 'built-in' }),
    changeSetDelayMs: 200,
  });
  try {
    const web = stack.urls.web;
    const procedure = new Procedure(
      stack.urls,
      stack.stateMachineArn,
      Object.fromEntries(DEMO_STAFF.map((u) => [u.id, u.password])),
      120_000,
    );
    console.log('Per-client limits on the local stack (limits as deployed):');
    for (const [name, l] of Object.entries(RATE_LIMITS))
      console.log(`  ${name}: ${l.limit} per ${l.windowSeconds / 60} min`);

    // 1. one client, 31 inquiries naming different addresses
    const one = new Browser({ acceptLanguage: 'ja' });
    const mails0 = await mailCount(stack.urls.ses);
    const inquiries: Answer[] = [];
    const t0 = performance.now();
    for (let i = 0; i < REQUESTS; i++) {
      inquiries.push(
        await postForm(one, `${web}/inquiry?lang=ja`, {
          company: `Rate ${i} KK`,
          contactName: 'Rate Test',
          email: `rate-${i}@example.co.jp`,
          awsAccountId: '123456789012',
          plan: 'Business',
          message: '',
          locale: 'ja',
        }),
      );
    }
    const inquiryMs = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 3_000)); // the accepted ones' mails
    const mails1 = await mailCount(stack.urls.ses);
    const accepted = inquiries.filter((a) => a.status === 200).length;
    summary(
      `one client (${one.address}), ${REQUESTS} inquiries in ${(inquiryMs / 1000).toFixed(1)} s`,
      inquiries,
    );
    console.log(
      `    onboardings started: ${accepted}; mails sent: ${mails1 - mails0} (2 per accepted inquiry)`,
    );

    // 2. one e-mail address, named by 5 different clients
    const toOne: Answer[] = [];
    for (let i = 0; i < 5; i++) {
      toOne.push(
        await postForm(new Browser({ acceptLanguage: 'en' }), `${web}/inquiry?lang=en`, {
          company: `Sender ${i}`,
          contactName: 'Rate Test',
          email: 'victim@example.com',
          // another account each time (as an abuser would): the same account and e-mail twice is held as a duplicate
          awsAccountId: String(123456789012 + i),
          plan: 'Business',
          message: '',
          locale: 'en',
        }),
      );
    }
    summary('one e-mail address from 5 clients', toOne);

    // 3. one buyer session, 31 failed sign-ins of one e-mail, then the right password
    const a = await throughSetup(procedure, newBuyer('RateLogin'));
    const oneEmail: Answer[] = [];
    for (let i = 0; i < REQUESTS; i++)
      oneEmail.push(
        await postForm(a.browser, `${web}/buyer/login`, {
          email: DEMO_BUYER_USER.email,
          password: `guess-${i}`,
        }),
      );
    const right = await postForm(a.browser, `${web}/buyer/login`, {
      email: DEMO_BUYER_USER.email,
      password: DEMO_BUYER_USER.password,
    });
    summary(`buyer sign-in, one e-mail, ${REQUESTS} wrong passwords (client ${a.browser.address})`, oneEmail);
    console.log(`    then the right password: ${right.status}, Retry-After ${right.retryAfter ?? '-'} s`);

    // 4. another buyer session, 31 failed sign-ins of different e-mails from one client
    const b = await throughSetup(procedure, newBuyer('RateSpray'));
    const spray: Answer[] = [];
    for (let i = 0; i < REQUESTS; i++)
      spray.push(
        await postForm(b.browser, `${web}/buyer/login`, {
          email: `nobody-${i}@example.com`,
          password: 'guess',
        }),
      );
    summary(`buyer sign-in, ${REQUESTS} different e-mails from one client (${b.browser.address})`, spray);
    procedure.sfn.destroy();
  } finally {
    await stack.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
