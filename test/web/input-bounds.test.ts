/**
 * Bounds on what comes from outside (issue 10): an e-mail longer than mail systems allow is refused on the field
 * before anything is looked up or started (it used to be accepted by the inquiry form and to give 500 on the buyer's
 * forms); a name with CR/LF never adds a header to a mail; the EULA link is https only.
 */
import { describe, expect, it } from 'vitest';
import { AccountSelectionChoice, AgreedTerms, Inquiry } from '../../workflows/contracts/index.js';
import { arrivedBuyer, Client, changes, contractTerms, harness, sampleInquiry } from './support/harness.js';

const LONG_EMAIL = `${'a'.repeat(2_088)}@example.co.jp`; // 2,103 characters

async function atRegisterPage() {
  const { app, flow, ports } = await harness();
  const { c } = await arrivedBuyer({ app, flow });
  return { c, flow, ports };
}

describe('input bounds', () => {
  it('the inquiry form refuses a 2,103-character e-mail on its field and starts nothing', async () => {
    // Prepare
    const { app, ports } = await harness();
    const c = new Client(app);
    await c.get('/inquiry');
    const before = changes(ports);
    // Act
    const r = await c.post('/inquiry', { ...sampleInquiry(), email: LONG_EMAIL });
    // Assess
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/name="email"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*name="email"/);
    expect(r.text).toContain('メールアドレスは254文字以内で入力してください。'); // the reader's language
    expect(ports.callbacks.executions.size).toBe(0);
    expect(changes(ports)).toBe(before);
  });

  it("the buyer's registration and login refuse it with 400, not 500, and change nothing", async () => {
    // Prepare
    const { c, ports } = await atRegisterPage();
    const before = changes(ports);
    // Act
    const register = await c.post('/buyer/register', { accountName: 'Example New', email: LONG_EMAIL });
    await c.get('/buyer/login');
    const login = await c.post('/buyer/login', { email: LONG_EMAIL, password: 'whatever-1' });
    // Assess
    expect(register.status).toBe(400);
    expect(register.text).toMatch(
      /name="email"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*name="email"/,
    );
    expect(login.status).toBe(400);
    expect(changes(ports)).toBe(before);
  });

  it("the buyer's login refuses a password over 1,024 characters on its field, before any lookup", async () => {
    // Prepare
    const { c, ports } = await atRegisterPage();
    await c.get('/buyer/login');
    const before = changes(ports);
    // Act
    const login = await c.post('/buyer/login', { email: 'taro@example.co.jp', password: 'p'.repeat(1_025) });
    // Assess
    expect(login.status).toBe(400);
    expect(login.text).toContain('パスワードは1024文字以内で入力してください。');
    expect(changes(ports)).toBe(before);
  });

  it('a company name with CR/LF is folded into one line: the mails it reaches get one subject line', async () => {
    // Prepare
    const { app, ports, flow } = await harness();
    const c = new Client(app);
    await c.get('/inquiry');
    // Act
    const r = await c.post('/inquiry', { ...sampleInquiry(), company: 'Evil KK\r\nBcc: victim@example.com' });
    await flow.idle();
    // Assess
    expect(r.status).toBe(303);
    const subjects = ports.mailer.outbox.map((m) => m.subject);
    expect(subjects.length).toBeGreaterThan(0);
    for (const s of subjects) expect(s).not.toMatch(/[\r\n]/);
    expect(subjects.some((s) => s.includes('Evil KK Bcc: victim@example.com'))).toBe(true);
  });
});

describe('contract bounds', () => {
  it.each([
    ['javascript:alert(1)', false],
    ['http://vendor.example.com/eula', false],
    ['https://vendor.example.com/eula', true],
  ])('eulaUrl %s accepted: %s', (eulaUrl, ok) => {
    // Act
    const parsed = AgreedTerms.safeParse({
      ...contractTerms(),
      actor: { kind: 'staff', id: 'sam', role: 'sales' },
      eulaUrl,
    });
    // Assess
    expect(parsed.success).toBe(ok);
    if (!ok)
      expect(parsed.error?.issues[0]).toMatchObject({
        path: ['eulaUrl'],
        message: 'eulaUrl must be an https URL',
      });
  });

  it('names the e-mail field when it is too long, before checking its format', () => {
    // Act
    const parsed = Inquiry.safeParse({ ...sampleInquiry(), email: LONG_EMAIL });
    // Assess
    expect(parsed.error?.issues.map((i) => i.message)).toEqual(['email must be at most 254 characters']);
  });

  it('takes at most 200 price dimensions (AWS Marketplace: contract dimensions per offer)', () => {
    // Prepare
    const dims = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `dim_${i}`, price: '10.00' }));
    const terms = (n: number) => ({
      ...contractTerms(),
      actor: { kind: 'staff', id: 'sam', role: 'sales' },
      dimensions: dims(n),
    });
    // Act
    const most = AgreedTerms.safeParse(terms(200));
    const over = AgreedTerms.safeParse(terms(201));
    // Assess
    expect(most.success).toBe(true);
    expect(over.error?.issues[0]).toMatchObject({
      path: ['dimensions'],
      message: 'dimensions takes at most 200 entries',
    });
  });

  it('bounds the chosen account id at 255 characters', () => {
    // Prepare
    const actor = { kind: 'buyer', id: '123456789012' };
    // Act
    const long = AccountSelectionChoice.safeParse({ actor, accountId: 'a'.repeat(256) });
    // Assess
    expect(long.error?.issues.map((i) => i.message)).toContain('accountId must be at most 255 characters');
  });
});
