/**
 * Per-client limits on the public forms (issue 10 items 5 and 7): the inquiry form, which mails an address nobody
 * verified, takes 5 inquiries per client address in 10 minutes and 3 per e-mail address in an hour; the buyer's
 * sign-in locks an account out after 5 failures in 15 minutes (and a client after 20), with a clear message, a 429
 * and Retry-After, and checks no password meanwhile. Refused requests start and send nothing.
 */
import { describe, expect, it } from 'vitest';
import { RATE_LIMITS } from '../../tasks/domain/rate-limits.js';
import * as uc from '../../tasks/use-cases/index.js';
import { Client, changes, harness, offered, sampleInquiry } from './support/harness.js';

let account = 100000000000;
/** An inquiry for another AWS account each time (the same account and e-mail twice would be held as a duplicate). */
const inquiryFrom = async (c: Client, email: string, company: string) => {
  await c.get('/inquiry');
  account += 1;
  return c.post('/inquiry', { ...sampleInquiry(), email, company, awsAccountId: String(account) });
};

describe('the inquiry form', () => {
  it('takes 5 inquiries from one address in 10 minutes; the 6th gets 429 in Japanese and starts nothing', async () => {
    // Prepare
    const { app, ports, flow } = await harness();
    const c = new Client(app, { address: '203.0.113.7' });
    const other = new Client(app, { address: '198.51.100.9' });
    // Act
    const statuses: number[] = [];
    for (let i = 0; i < RATE_LIMITS.inquiryPerAddress.limit; i++)
      statuses.push((await inquiryFrom(c, `buyer${i}@example.co.jp`, `Company ${i}`)).status);
    await flow.idle();
    const before = changes(ports);
    const mails = ports.mailer.outbox.length;
    const sixth = await inquiryFrom(c, 'buyer6@example.co.jp', 'Company 6');
    await flow.idle();
    const afterSixth = changes(ports);
    const mailsAfterSixth = ports.mailer.outbox.length;
    const elsewhere = await inquiryFrom(other, 'buyer7@example.co.jp', 'Company 7');
    // Assess
    expect(statuses).toEqual([303, 303, 303, 303, 303]);
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(sixth.text).toContain('短時間に多くのお問い合わせを受け付けたため');
    expect(sixth.text).toContain('value="Company 6"'); // what they typed is kept
    expect(afterSixth).toBe(before);
    expect(mailsAfterSixth).toBe(mails);
    expect(elsewhere.status).toBe(303);
  });

  it('mails one e-mail address at most 3 times an hour, whoever sends the form', async () => {
    // Prepare
    const { app } = await harness();
    const clients = ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4'].map(
      (address) => new Client(app, { address }),
    );
    // Act
    const statuses: number[] = [];
    for (const [i, c] of clients.entries())
      statuses.push((await inquiryFrom(c, 'victim@example.com', `Sender ${i}`)).status);
    // Assess
    expect(statuses).toEqual([303, 303, 303, 429]);
  });
});

describe("the buyer's sign-in (built-in)", () => {
  async function atLogin() {
    const h = await harness();
    const c = new Client(h.app, { address: '203.0.113.50' });
    const id = await offered(h.flow, { awsAccountId: '123456789012' });
    await c.request('/marketplace/fulfillment', {
      method: 'POST',
      body: new URLSearchParams({
        'x-amzn-marketplace-token': h.flow.subscribe(id, '123456789012'),
      }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://aws.amazon.com' },
    });
    await h.flow.idle();
    await c.follow();
    await uc.seedAccounts(h.ports, [
      {
        email: 'hanako@example.co.jp',
        password: 'right-password-1',
        accounts: [{ id: 'acct-lab', name: 'Lab' }],
      },
    ]);
    await c.get('/buyer/login');
    return { ...h, c };
  }

  it('locks the account out after 5 failures: even the right password gets 429 until the window ends', async () => {
    // Prepare
    const { c, ports } = await atLogin();
    const attempt = (password: string) => c.post('/buyer/login', { email: 'hanako@example.co.jp', password });
    // Act
    const failures: number[] = [];
    for (let i = 0; i < RATE_LIMITS.loginFailuresPerEmail.limit; i++)
      failures.push((await attempt(`guess-${i}`)).status);
    const before = changes(ports);
    const locked = await attempt('right-password-1');
    const same = changes(ports);
    ports.clock.advance(RATE_LIMITS.loginFailuresPerEmail.windowSeconds * 1000);
    const later = await attempt('right-password-1');
    // Assess
    expect(failures).toEqual([401, 401, 401, 401, 401]);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(locked.text).toContain('ログインの失敗が続いたため');
    expect(same).toBe(before);
    expect(later.status).toBe(303);
  });
});

describe('a deployment changes a limit (env RATE_LIMITS)', () => {
  const base = {
    TABLE_NAME: 't',
    IDEMPOTENCY_TABLE_NAME: 'i',
    STATE_MACHINE_ARN: 's',
    EMAIL_FROM: 'e@x',
    ARCHIVE_BUCKET: 'a',
  };

  it('reads the overrides and names the variable when they are wrong', async () => {
    // Prepare
    const { readSettings } = await import('../../tasks/adapters/aws/env.js');
    const { rateLimit } = await import('../../tasks/domain/rate-limits.js');
    // Act
    const settings = readSettings({ ...base, RATE_LIMITS: '{"inquiryPerAddress":{"limit":20}}' });
    const limit = rateLimit('inquiryPerAddress', settings.config.rateLimits);
    // Assess
    expect(limit).toEqual({ scope: 'inquiry-address', limit: 20, windowSeconds: 600 });
    expect(() => readSettings({ ...base, RATE_LIMITS: 'lots' })).toThrow(/RATE_LIMITS must be JSON/);
    expect(() => readSettings({ ...base, RATE_LIMITS: '{"inquiryPerAdress":{"limit":20}}' })).toThrow(
      /RATE_LIMITS/,
    );
    expect(() => readSettings({ ...base, RATE_LIMITS: '{"inquiryPerAddress":{"limit":0}}' })).toThrow(
      /RATE_LIMITS/,
    );
  });
});
