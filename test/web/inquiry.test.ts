import { describe, expect, it } from 'vitest';
import { Client, harness, sampleInquiry } from './support/harness.js';

describe('inquiry form (step 1)', () => {
  it('renders in Japanese by default and in English with ?lang=en, with every field', async () => {
    const { app } = await harness();
    const c = new Client(app);
    const ja = await c.get('/inquiry');
    expect(ja.status).toBe(200);
    expect(ja.text).toContain('<html lang="ja">');
    expect(ja.text).toContain('会社名');
    for (const name of ['company', 'contactName', 'email', 'awsAccountId', 'plan', 'message']) {
      expect(ja.text).toContain(`name="${name}"`);
    }
    const en = await c.get('/inquiry?lang=en');
    expect(en.text).toContain('<html lang="en">');
    expect(en.text).toContain('Contact name');
    // the choice is remembered
    expect((await c.get('/inquiry')).text).toContain('<html lang="en">');
  });

  it('starts an onboarding and shows the confirmation with its reference', async () => {
    const { app, world } = await harness();
    const c = new Client(app);
    await c.get('/inquiry?lang=en');
    const r = await c.post('/inquiry', { ...sampleInquiry(), locale: 'en' });
    expect(r.status).toBe(303);
    const page = await c.follow();
    expect(page.status).toBe(200);
    const [id] = [...world.records.keys()];
    expect(id).toMatch(/^onb-/);
    expect(page.text).toContain(id as string);
    expect(page.text).toContain('we received your inquiry');
    const o = await world.getOnboarding(id as string);
    expect(o).toMatchObject({
      company: 'Example KK',
      awsAccountId: '123456789012',
      plan: 'Business',
      locale: 'en',
    });
    const first = (await world.getExecutionHistory(id as string))[0];
    expect(first?.actor).toEqual({ kind: 'buyer', id: '123456789012', email: 'taro@example.co.jp' });
  });

  it('shows each message next to its field and changes nothing on invalid input', async () => {
    const { app, world } = await harness();
    const c = new Client(app);
    await c.get('/inquiry?lang=en');
    const r = await c.post('/inquiry', {
      ...sampleInquiry({ company: '  ', email: 'not-an-email', awsAccountId: '12345' }),
      locale: 'en',
    });
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/id="f-company"[^>]*aria-invalid="true"/);
    expect(r.text).toContain('<p class="err" id="f-company-err">company is required</p>');
    expect(r.text).toContain('<p class="err" id="f-email-err">email must be a valid e-mail address</p>');
    expect(r.text).toContain('awsAccountId must be exactly 12 digits');
    expect(r.text).toContain('value="not-an-email"'); // the form keeps what was typed
    expect(world.records.size).toBe(0);
    expect(world.changes).toBe(0);
  });

  it('adds a Japanese hint to the contract message on the Japanese form', async () => {
    const { app } = await harness();
    const c = new Client(app);
    await c.get('/inquiry');
    const r = await c.post('/inquiry', { ...sampleInquiry({ awsAccountId: 'abc' }), locale: 'ja' });
    expect(r.status).toBe(400);
    expect(r.text).toContain('AWS アカウント ID は12桁の数字です。');
  });

  it('refuses a plan that is not offered', async () => {
    const { app, world } = await harness();
    const c = new Client(app);
    await c.get('/inquiry');
    const r = await c.post('/inquiry', { ...sampleInquiry({ plan: 'Platinum' }), locale: 'en' });
    expect(r.status).toBe(400);
    expect(r.text).toContain('plan must be one of the listed plans');
    expect(world.records.size).toBe(0);
  });
});
