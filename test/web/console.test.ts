import { describe, expect, it } from 'vitest';
import { numberedLabel, STAGES, stageEntry } from '../../workflows/contracts/index.js';
import { Client, changes, harness, offered, seedOnboarding, validTerms } from './support/harness.js';

describe('console: lists', () => {
  it('sends visitors without a session to the sign-in page', async () => {
    const { app } = await harness();
    const r = await new Client(app).get('/console?stage=Consultation');
    expect(r.status).toBe(303);
    expect(r.location).toBe('/auth/login?next=%2Fconsole%3Fstage%3DConsultation');
  });

  it('lists onboardings by stage with counts, searches company, e-mail and AWS account id, and pages by cursor', async () => {
    // Prepare
    const { app, flow } = await harness({ config: { pageSize: 5 } });
    for (let i = 0; i < 12; i++) {
      await seedOnboarding(flow, {
        company: `Company ${String.fromCharCode(65 + i)}`,
        email: `buyer${i}@example.com`,
        awsAccountId: String(100000000000 + i),
      });
    }
    const late = await seedOnboarding(flow, { company: 'Late Corp' });
    await flow.timeOut(late, 'Consultation');
    const c = new Client(app);
    await c.signIn('sales');

    // Act
    const all = await c.get('/console');
    const next = /href="(\/console\?cursor=[^"]+)" rel="next"/.exec(all.text)?.[1] ?? '';
    const page2 = await c.get(next.replace(/&amp;/g, '&'));
    const byStage = await c.get('/console?stage=StageTimedOut');
    const byCompany = await c.get('/console?q=company%20c');
    const byEmail = await c.get('/console?q=buyer7%40example.com');
    const byAccount = await c.get('/console?q=100000000011');
    const none = await c.get('/console?q=nobody-at-all');
    const stale = await c.get('/console?cursor=garbage');

    // Assess
    expect(all.status).toBe(200);
    expect(all.text).toMatch(/All <span class="count">13<\/span>/);
    expect(all.text).toMatch(/2 Consultation: agree the terms <span class="count">12<\/span>/);
    expect(all.text).toMatch(/A stage timed out <span class="count">1<\/span>/);
    const rowIds = (text: string) =>
      [
        ...text.matchAll(
          /<tr><td data-label="Reference"><div><a href="\/console\/onboardings\/(onb-[a-z0-9]+)"/g,
        ),
      ].map((m) => m[1]);
    const firstIds = rowIds(all.text);
    expect(firstIds).toHaveLength(5);
    expect(next).toMatch(/^\/console\?cursor=/);
    expect(page2.text).toContain('« First page');
    const secondIds = rowIds(page2.text);
    expect(secondIds).toHaveLength(5);
    expect(secondIds.filter((id) => firstIds.includes(id))).toEqual([]);
    expect(byStage.text).toContain('Late Corp');
    expect(byStage.text).not.toContain('Company C');
    expect(byCompany.text).toContain('Company C');
    expect(byEmail.text).toContain('Company H');
    expect(byAccount.text).toContain('Company L');
    expect(byAccount.text.match(/<tr><td data-label="Reference">/g)).toHaveLength(1);
    expect(none.text).toContain('No onboardings match');
    expect(stale.text).toContain('That page link is no longer valid');
  });
});

describe('console: an onboarding', () => {
  it('shows the stepper rows of the stage registry: the main path in order, with step numbers and labels', async () => {
    // Prepare
    const { app, flow } = await harness();
    const id = await seedOnboarding(flow);
    const c = new Client(app);
    await c.signIn('sales');
    const expected = STAGES.filter(
      (s) => stageEntry(s).path === 'main' && stageEntry(s).kind !== 'choice',
    ).map((s) => numberedLabel(s, 'en'));

    // Act
    const page = await c.get(`/console/onboardings/${id}`);

    // Assess
    const stepper = /<ol class="stepper"[^>]*>([\s\S]*?)<\/ol>/.exec(page.text)?.[1] ?? '';
    const rows = [...stepper.matchAll(/<span class="dot"[^>]*><\/span><span>([^<]*)<\/span>/g)].map(
      (m) => m[1],
    );
    expect(rows).toEqual(expected);
  });

  it('sales completes the consultation; the stepper shows who did it and when', async () => {
    const { app, flow, ports } = await harness();
    const id = await seedOnboarding(flow);
    const c = new Client(app);
    await c.signIn('sales');
    const page = await c.get(`/console/onboardings/${id}`);
    expect(page.text).toContain('<h3>Agreed terms (step 2, Consultation: agree the terms)</h3>');
    expect(page.text).toMatch(/<li class="current" aria-current="step">.*2 Consultation/);
    const r = await c.post(`/console/onboardings/${id}/stages/Consultation`, validTerms());
    expect(r.status).toBe(303);
    await flow.idle();
    const after = await c.follow();
    expect(after.text).toContain('The agreed terms were recorded');
    expect(after.text).toMatch(
      /2 Consultation[^<]*<\/span><span class="meta">completed [^<]* — Sam Sales \(sales\)/,
    );
    expect(after.text).toMatch(/<li class="current" aria-current="step">.*4–5 Buyer subscribes/);
    const o = await ports.onboardings.get(id);
    expect(o?.stage).toBe('AwaitAcceptance');
    expect(o?.terms).toMatchObject({
      plan: 'Business',
      durationMonths: 12,
      dimensions: [{ key: 'users', price: '1200.00' }],
      offerExpiresAt: '2025-06-30T23:59:59Z',
      actor: { kind: 'staff', id: 'sam', role: 'sales', name: 'Sam Sales' },
    });
    expect(o?.offer?.offerId).toMatch(/^offer-/);
  });

  it('refuses an offer expiry in the past on its field, for new terms and for an extension, changing nothing', async () => {
    // Prepare: the harness clock stands at 2025-03-01
    const { app, flow, ports } = await harness();
    const id = await seedOnboarding(flow);
    const expired = await offered(flow);
    await flow.timeOut(expired, 'AwaitAcceptance');
    const c = new Client(app);
    await c.signIn('sales');
    await c.get(`/console/onboardings/${id}`);
    const before = changes(ports);
    // Act
    const terms = await c.post(
      `/console/onboardings/${id}/stages/Consultation`,
      validTerms({ offerExpiresAt: '2025-02-28' }),
    );
    await c.get(`/console/onboardings/${expired}`);
    const extension = await c.post(`/console/onboardings/${expired}/stages/OfferExpired`, {
      action: 'extend',
      offerExpiresAt: '2025-01-31',
    });
    // Assess
    expect(terms.status).toBe(400);
    expect(terms.text).toContain('Offer expiry must be in the future.');
    expect(extension.status).toBe(400);
    expect(extension.text).toContain('Offer expiry must be in the future.');
    expect(changes(ports)).toBe(before);
  });

  it('validates the agreed terms with field messages and changes nothing', async () => {
    const { app, flow, ports } = await harness();
    const id = await seedOnboarding(flow);
    const c = new Client(app);
    await c.signIn('sales');
    await c.get(`/console/onboardings/${id}`);
    const before = changes(ports);
    const r = await c.post(
      `/console/onboardings/${id}/stages/Consultation`,
      validTerms({
        'dimensions.0.key': '',
        'dimensions.0.price': '',
        'dimensions.2.key': 'seats',
        'dimensions.2.price': 'ten',
        durationMonths: '99',
        offerCreation: 'manual',
      }),
    );
    expect(r.status).toBe(400);
    expect(r.text).toContain('id="f-terms-dimensions-2-price-err">Price must be an amount like 1200.00');
    expect(r.text).toContain('Contract duration (months) must be at most 60.');
    expect(r.text).toContain('Offer ID of the offer made by hand is required.');
    // the list above the form: the sentences alone, no field key before them
    expect(r.text).toContain('<li>Contract duration (months) must be at most 60.');
    expect(r.text).not.toMatch(/<li>[a-zA-Z.0-9]+: /);
    expect(r.text).toContain('value="seats"');
    expect(changes(ports)).toBe(before);
    expect((await ports.onboardings.get(id))?.stage).toBe('Consultation');
  });

  it('a form that goes through loads no detail (timeline) before redirecting; an unknown id is 404', async () => {
    const { app, flow, ports } = await harness();
    const id = await seedOnboarding(flow);
    const c = new Client(app);
    await c.signIn('sales');
    await c.get(`/console/onboardings/${id}`);
    const reads: string[] = [];
    const timeline = ports.onboardings.timeline.bind(ports.onboardings);
    ports.onboardings.timeline = (onboardingId: string) => {
      reads.push(onboardingId);
      return timeline(onboardingId);
    };

    const r = await c.post(`/console/onboardings/${id}/stages/Consultation`, validTerms());
    await c.get('/console');
    const missing = await c.post('/console/onboardings/onb-doesnotexist1/stages/Consultation', validTerms());
    const missingClose = await c.post('/console/onboardings/onb-doesnotexist1/close', { reason: 'x' });

    expect(r.status).toBe(303);
    expect(reads).toEqual([]);
    expect(missing.status).toBe(404);
    expect(missingClose.status).toBe(404);
  });

  it('says clearly when someone else already completed the stage', async () => {
    const { app, flow, ports } = await harness();
    const id = await seedOnboarding(flow);
    const ada = new Client(app);
    await ada.signIn('admin');
    const sam = new Client(app);
    await sam.signIn('sales');
    await ada.get(`/console/onboardings/${id}`);
    await sam.get(`/console/onboardings/${id}`);
    expect((await ada.post(`/console/onboardings/${id}/stages/Consultation`, validTerms())).status).toBe(303);
    const late = await sam.post(
      `/console/onboardings/${id}/stages/Consultation`,
      validTerms({ plan: 'Enterprise' }),
    );
    expect(late.status).toBe(409);
    expect(late.text).toContain('Already completed by Ada Admin (admin)');
    await flow.idle();
    expect((await ports.onboardings.get(id))?.terms?.plan).toBe('Business');
  });

  it('says clearly when the stage timed out before the form was sent', async () => {
    const { app, flow } = await harness();
    const id = await seedOnboarding(flow);
    const c = new Client(app);
    await c.signIn('sales');
    await c.get(`/console/onboardings/${id}`);
    await flow.timeOut(id, 'Consultation');
    const r = await c.post(`/console/onboardings/${id}/stages/Consultation`, validTerms());
    expect(r.status).toBe(409);
    expect(r.text).toContain('The stage timed out');
    // the escalation is support's: sales sees it and why it cannot act there
    expect(r.text).toContain('StageTimedOut waits for support');
    expect(r.text).toContain('Your role (sales) does not act at this stage.');
    expect(r.text).not.toContain('Re-open the stage that timed out');
    // in Japanese the role reads in Japanese too
    const ja = await c.get(`/console/onboardings/${id}?lang=ja`);
    expect(ja.text).toContain('あなたのロール（営業）はこの段階の担当ではありません。');
    expect(r.text).toContain('&quot;timedOutStage&quot;: &quot;Consultation&quot;');
  });

  it('offer failed: shows the failure and takes an offer id created by hand', async () => {
    const { app, flow, ports } = await harness();
    const c = new Client(app);
    await c.signIn('sales');
    const id = await seedOnboarding(flow);
    flow.failNextOffer('Dimension key Users is not defined in the product');
    await c.get(`/console/onboardings/${id}`);
    await c.post(`/console/onboardings/${id}/stages/Consultation`, validTerms());
    await flow.idle();
    const p1 = await c.get(`/console/onboardings/${id}`);
    expect(p1.text).toContain('Retry with amended terms');
    expect(p1.text).toContain('Use an offer created by hand');
    expect(p1.text).toContain('Dimension key Users is not defined in the product');
    // one way to close (the stage's own decision), not two; the stepper shows the offer step failed
    expect(p1.text.match(/<button type="submit" class="danger"/g)).toHaveLength(1);
    expect(p1.text).not.toContain('Close this onboarding</h3>');
    expect(p1.text).toMatch(/<li class="failed"><span class="dot"[^>]*><\/span><span>3 Create the offer</);
    expect(p1.text).toMatch(
      /<li class="current side" aria-current="step"><span class="dot"[^>]*><\/span><span>Offer creation failed</,
    );
    const bad = await c.post(`/console/onboardings/${id}/stages/OfferFailed`, {
      action: 'manual',
      offerId: 'nope',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('id="f-manual-offerId-err">Offer ID must look like offer-');
    await c.post(`/console/onboardings/${id}/stages/OfferFailed`, {
      action: 'manual',
      offerId: 'offer-abcdefghij99',
    });
    expect(c.last?.status).toBe(303);
    await flow.idle();
    expect((await ports.onboardings.get(id))?.offer?.offerId).toBe('offer-abcdefghij99');
  });

  it('offer expired: extend (validated date) or re-create; timed out: re-open', async () => {
    const { app, flow, ports } = await harness();
    const c = new Client(app);
    await c.signIn('sales');
    const expired = await offered(flow);
    await flow.timeOut(expired, 'AwaitAcceptance');
    const p2 = await c.get(`/console/onboardings/${expired}`);
    expect(p2.text).toContain('Extend the offer');
    expect(p2.text).toContain('Re-create the offer');
    const badDate = await c.post(`/console/onboardings/${expired}/stages/OfferExpired`, {
      action: 'extend',
      offerExpiresAt: '2025-02-30',
    });
    expect(badDate.status).toBe(400);
    expect(badDate.text).toContain('Offer expiry must be a date and time.');
    await c.post(`/console/onboardings/${expired}/stages/OfferExpired`, {
      action: 'extend',
      offerExpiresAt: '2025-09-30',
    });
    expect(c.last?.status).toBe(303);
    await flow.idle();
    expect((await ports.onboardings.get(expired))?.stage).toBe('AwaitAcceptance');

    const late = await seedOnboarding(flow);
    await flow.timeOut(late, 'Consultation');
    // escalations are support's
    await c.get(`/console/onboardings/${late}`);
    const bySales = await c.post(`/console/onboardings/${late}/stages/StageTimedOut`, {
      action: 'reopen',
      note: 'x',
    });
    expect(bySales.status).toBe(403);
    await c.signIn('support');
    await c.get(`/console/onboardings/${late}`);
    await c.post(`/console/onboardings/${late}/stages/StageTimedOut`, {
      action: 'reopen',
      note: 'Buyer asked for a week',
    });
    expect(c.last?.status).toBe(303);
    await flow.idle();
    expect((await ports.onboardings.get(late))?.stage).toBe('Consultation');
  });

  it('closes an onboarding with a reason (required)', async () => {
    const { app, flow, ports } = await harness();
    const id = await seedOnboarding(flow);
    const c = new Client(app);
    await c.signIn('support');
    await c.get(`/console/onboardings/${id}`);
    const before = changes(ports);
    const empty = await c.post(`/console/onboardings/${id}/close`, { reason: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('id="f-close-onboarding-reason-err">Reason is required.');
    expect(changes(ports)).toBe(before);
    await c.post(`/console/onboardings/${id}/close`, { reason: 'Buyer chose another vendor' });
    // the confirmation shows once, on the page the action leads to; the address carries nothing of it
    expect(c.last?.location).toBe(`/console/onboardings/${id}`);
    await flow.idle();
    const page = await c.follow();
    expect(page.text).toContain('The onboarding is being closed.');
    const reloaded = await c.get(`/console/onboardings/${id}`);
    expect(reloaded.text).not.toContain('The onboarding is being closed.');
    expect(page.text).toContain('Buyer chose another vendor');
    expect(page.text).toContain('This onboarding has ended (closed).');
    expect((await ports.onboardings.get(id))?.stage).toBe('Closed');
  });

  it('shows buyer stages as waiting, with only the close form (support closes there, sales does not)', async () => {
    const { app, flow } = await harness();
    const id = await offered(flow);
    const sales = new Client(app);
    await sales.signIn('sales');
    expect((await sales.get(`/console/onboardings/${id}`)).text).not.toContain('Close this onboarding');
    const c = new Client(app);
    await c.signIn('support');
    const page = await c.get(`/console/onboardings/${id}`);
    expect(page.text).toContain('Waiting for the buyer to subscribe on AWS Marketplace (AwaitAcceptance)');
    expect(page.text).toContain('Close this onboarding');
    expect(page.text).not.toContain('Agreed terms (step 2');
    const r = await c.post(`/console/onboardings/${id}/stages/AwaitAcceptance`, { action: 'x' });
    expect(r.status).toBe(400);
    expect(r.text).toContain('AwaitAcceptance is not a stage staff complete from the console.');
  });

  it('answers 404 for an unknown onboarding', async () => {
    const { app } = await harness();
    const c = new Client(app);
    await c.signIn('sales');
    expect((await c.get('/console/onboardings/onb-nothing00000')).status).toBe(404);
    expect((await c.get('/console/onboardings/not-an-id')).status).toBe(404);
  });
});
