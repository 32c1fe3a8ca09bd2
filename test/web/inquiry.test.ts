import { describe, expect, it } from 'vitest';
import { STYLE } from '../../web/static/index.js';
import { Client, changes, harness, sampleInquiry } from './support/harness.js';

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

  it('keeps Japanese words of a heading whole (no "プライベー／トオファー" on a phone)', async () => {
    // Act
    const page = await (await harness()).app.request('/inquiry');

    // Assess
    expect(await page.text()).toContain(`<link rel="stylesheet" href="${STYLE.path}">`);
    expect(STYLE.body).toMatch(/(^|[}\s])h1\{[^}]*word-break:keep-all;overflow-wrap:anywhere/);
  });

  it('starts an onboarding through the use case and shows the confirmation with its reference', async () => {
    const { app, ports, flow } = await harness();
    const c = new Client(app);
    await c.get('/inquiry?lang=en');
    const r = await c.post('/inquiry', { ...sampleInquiry(), locale: 'en' });
    expect(r.status).toBe(303);
    const page = await c.follow();
    expect(page.status).toBe(200);
    const [execution] = [...ports.callbacks.executions.values()];
    expect(execution?.name).toMatch(/^onb-/);
    expect(page.text).toContain(execution?.name as string);
    expect(page.text).toContain('we received your inquiry');
    expect(execution?.input).toMatchObject({
      inquiry: { company: 'Example KK', awsAccountId: '123456789012', plan: 'Business', locale: 'en' },
      actor: { kind: 'buyer', id: 'taro@example.co.jp', email: 'taro@example.co.jp' },
    });
    await flow.idle();
    expect((await ports.onboardings.get(execution?.name as string))?.stage).toBe('Consultation');
  });

  it('a double click starts one onboarding: both submissions get the same confirmation', async () => {
    const { app, ports } = await harness();
    const c = new Client(app);
    const form = await c.get('/inquiry?lang=en');
    const ref = /name="ref" value="([^"]+)"/.exec(form.text)?.[1] as string;
    const fields = { ...sampleInquiry(), locale: 'en', ref, _csrf: c.csrf() as string };

    const [a, b] = await Promise.all([c.post('/inquiry', fields), c.post('/inquiry', fields)]);
    const again = await c.post('/inquiry', fields);

    expect([a.status, b.status, again.status]).toEqual([303, 303, 303]);
    expect(ports.callbacks.executions.size).toBe(1);
    const [execution] = [...ports.callbacks.executions.values()];
    expect(ref.startsWith(`${execution?.name}.`)).toBe(true);
    for (const r of [a, b, again]) expect(r.location).toContain(`ref=${execution?.name}&`);
  });

  it('a ref that is not signed by the server names nothing: a new onboarding starts', async () => {
    const { app, ports } = await harness();
    const c = new Client(app);
    await c.get('/inquiry?lang=en');

    const r = await c.post('/inquiry', { ...sampleInquiry(), locale: 'en', ref: 'onb-chosenbyme01.forged' });

    expect(r.status).toBe(303);
    expect([...ports.callbacks.executions.keys()]).toHaveLength(1);
    expect(ports.callbacks.executions.has('onb-chosenbyme01')).toBe(false);
  });

  it('shows each message next to its field and changes nothing on invalid input', async () => {
    const { app, ports } = await harness();
    const c = new Client(app);
    await c.get('/inquiry?lang=en');
    const before = changes(ports);
    const r = await c.post('/inquiry', {
      ...sampleInquiry({ company: '  ', email: 'not-an-email', awsAccountId: '12345' }),
      locale: 'en',
    });
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/id="f-company"[^>]*aria-invalid="true"/);
    expect(r.text).toContain('<p class="err" id="f-company-err">Company is required.</p>');
    expect(r.text).toContain(
      '<p class="err" id="f-email-err">E-mail address must look like name@example.com.</p>',
    );
    expect(r.text).toContain('AWS account ID must be 12 digits, e.g. 1234-5678-9012.');
    expect(r.text).not.toMatch(/company is required|exactly 12 digits/); // no developer words
    expect(r.text).toContain('value="not-an-email"'); // the form keeps what was typed
    expect(changes(ports)).toBe(before);
    expect(ports.callbacks.executions.size).toBe(0);
  });

  it('says what is wrong in Japanese on the Japanese form', async () => {
    const { app } = await harness();
    const c = new Client(app);
    await c.get('/inquiry');
    const r = await c.post('/inquiry', { ...sampleInquiry({ awsAccountId: 'abc' }), locale: 'ja' });
    expect(r.status).toBe(400);
    expect(r.text).toContain('AWS アカウント IDは12桁の数字で入力してください（例: 1234-5678-9012）。');
    expect(r.text).not.toContain('must be exactly 12 digits'); // nothing in English appended
  });

  it('refuses a plan that is not offered', async () => {
    const { app, ports } = await harness();
    const c = new Client(app);
    await c.get('/inquiry');
    const r = await c.post('/inquiry', { ...sampleInquiry({ plan: 'Platinum' }), locale: 'en' });
    expect(r.status).toBe(400);
    expect(r.text).toContain('Plan must be one of the options offered.');
    expect(ports.callbacks.executions.size).toBe(0);
  });
});

describe('the same buyer sending again', () => {
  it('is asked before a second onboarding starts; confirmed, it starts and support sees it marked', async () => {
    // Prepare: one inquiry went through (its onboarding is live)
    const { app, ports, flow } = await harness();
    const c = new Client(app);
    await c.get('/inquiry');
    await c.post('/inquiry', sampleInquiry());
    await flow.idle();
    const before = ports.callbacks.executions.size;
    // Act: back, and sent again (a new form, so a new reference), then confirmed
    await c.get('/inquiry');
    const held = await c.post('/inquiry', sampleInquiry({ company: 'Example KK 2' }));
    const confirmed = await c.post(
      '/inquiry',
      sampleInquiry({ company: 'Example KK 2', confirmDuplicate: 'yes' }),
    );
    await flow.idle();
    // Assess
    expect(held.status).toBe(409);
    expect(held.text).toContain('このメールアドレスと AWS アカウント ID のお問い合わせは受付済み');
    expect(held.text).toContain('name="confirmDuplicate"');
    // asked as a question (its own look, role status), not as an error (no red alert above the form)
    expect(held.text).toMatch(/<div class="notice question" role="status"[^>]*data-duplicate-question>/);
    expect(held.text).not.toContain('role="alert"');
    expect(held.text).not.toContain('notice bad');
    expect(held.text).toContain('value="Example KK 2"');
    expect(held.text).not.toMatch(/onb-[a-z0-9]{10,}<\/strong>/);
    expect(confirmed.status).toBe(303);
    expect(ports.callbacks.executions.size).toBe(before + 1);
    const newest = [...ports.callbacks.executions.keys()].at(-1) ?? '';
    const id = newest.split(':').at(-1) ?? '';
    const timeline = await ports.onboardings.timeline(id);
    expect(timeline.map((e) => e.action)).toContain('possible-duplicate');
  });

  it('a different e-mail for the same account is another buyer: no question', async () => {
    // Prepare
    const { app, flow } = await harness();
    const c = new Client(app);
    await c.get('/inquiry');
    await c.post('/inquiry', sampleInquiry());
    await flow.idle();
    await c.get('/inquiry');
    // Act
    const other = await c.post('/inquiry', sampleInquiry({ email: 'hanako@example.co.jp' }));
    // Assess
    expect(other.status).toBe(303);
  });
});

describe("the buyer's time zone", () => {
  it('is asked of the browser by the form and kept with the inquiry; a value that is no zone is dropped', async () => {
    // Prepare
    const { app, ports, flow } = await harness();
    const c = new Client(app);
    const form = await c.get('/inquiry?lang=en');

    // Act
    const berlin = await c.post('/inquiry', { ...sampleInquiry(), locale: 'en', timeZone: 'Europe/Berlin' });
    await c.get('/inquiry?lang=en');
    const bogus = await c.post('/inquiry', {
      ...sampleInquiry({ email: 'other@example.co.jp' }),
      locale: 'en',
      timeZone: 'Mars/Olympus_Mons',
    });
    await flow.idle();

    // Assess
    expect(form.text).toMatch(/<input type="hidden" name="timeZone" value="" data-time-zone>/);
    expect([berlin.status, bogus.status]).toEqual([303, 303]);
    const inquiries = [...ports.callbacks.executions.values()].map(
      (e) => (e.input as { inquiry: { email: string; timeZone?: string } }).inquiry,
    );
    expect(inquiries.find((i) => i.email === 'taro@example.co.jp')?.timeZone).toBe('Europe/Berlin');
    const other = inquiries.find((i) => i.email === 'other@example.co.jp');
    expect(other?.email).toBe('other@example.co.jp'); // accepted all the same
    expect(other?.timeZone).toBeUndefined();
  });
});

describe('the AWS account id as people type it', () => {
  it.each([
    ['1234-5678-9012', 303],
    ['１２３４５６７８９０１２', 303],
    ['1234 5678 9012', 303],
    ['1234-5678-901', 400],
    ['abcd-efgh-ijkl', 400],
  ])('%s → %i, stored as 12 digits', async (typed, status) => {
    // Prepare
    const { app, ports } = await harness();
    const c = new Client(app);
    await c.get('/inquiry');
    // Act
    const r = await c.post('/inquiry', { ...sampleInquiry(), awsAccountId: typed });
    // Assess
    expect(r.status).toBe(status);
    const [execution] = [...ports.callbacks.executions.values()];
    if (status === 303) expect(execution?.input).toMatchObject({ inquiry: { awsAccountId: '123456789012' } });
    else expect(execution).toBeUndefined();
  });
});
