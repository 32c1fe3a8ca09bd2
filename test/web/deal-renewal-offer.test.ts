/**
 * The deal view's Renewal step offers "draft a renewal offer" (issue 11 item 2, Ending): the agreed-terms fields of
 * the Consultation (the sale's terms as defaults, no manual choice: the offer is always created through the Catalog
 * API), errors as sentences in the reader's language, and the offer (or its failure) shown when the step opens again.
 */
import { describe, expect, it } from 'vitest';
import { openHumanTask } from '../../tasks/use-cases/open-human-task.js';
import { Client, harness, seedOnboarding } from './support/harness.js';

const AGREEMENT = 'agmt-renewoffer00000000000001';
const TOKEN = 'token-never-shown-renewal-offer';

async function withRenewal(context: Record<string, unknown> = {}) {
  const h = await harness();
  const id = await seedOnboarding(h.flow, { company: 'Renew Offer KK' });
  h.ports.callbacks.waiting(TOKEN);
  await openHumanTask(h.ports, {
    onboardingId: id,
    stage: 'Renewal',
    taskToken: TOKEN,
    dueAt: '2026-12-31T00:00:00.000Z',
    context: { agreementId: AGREEMENT, endTime: '2026-12-31T00:00:00.000Z', ...context },
  });
  const c = new Client(h.app);
  await c.signIn('sales');
  return { ...h, id, c, deal: `/console/deal/${id}`, post: `/console/onboardings/${id}/stages/Renewal` };
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const form = (overrides: Record<string, string> = {}) => ({
  action: 'draft-offer',
  plan: 'Enterprise',
  offerName: 'Enterprise renewal 2027',
  currency: 'USD',
  durationMonths: '12',
  offerExpiresAt: inDays(20),
  'dimensions.0.key': 'Users',
  'dimensions.0.price': '1200.00',
  ...overrides,
});

describe('deal view: Renewal → draft a renewal offer', () => {
  it('shows the terms form without the manual choice, and sends the terms signed by the sales member', async () => {
    // Prepare
    const { c, ports, deal, post } = await withRenewal();
    const page = await c.get(deal);
    // Act
    const sent = await c.post(post, form());
    // Assess
    const draft = /<form[^>]*data-renewal-offer>[\s\S]*?<\/form>/.exec(page.text)?.[0] ?? '';
    expect(draft).toContain('Create the renewal offer');
    expect(draft).toContain('name="offerExpiresAt"');
    expect(draft).toContain('name="dimensions.0.key"');
    expect(draft).not.toContain('name="offerCreation"');
    expect(sent.status).toBe(303);
    expect(ports.callbacks.successes()).toEqual([
      expect.objectContaining({
        token: TOKEN,
        output: expect.objectContaining({
          action: 'draft-offer',
          terms: expect.objectContaining({
            offerName: 'Enterprise renewal 2027',
            offerCreation: 'automatic',
            dimensions: [{ key: 'Users', price: '1200.00' }],
            actor: expect.objectContaining({ kind: 'staff', role: 'sales' }),
          }),
        }),
      }),
    ]);
    expect(page.text).not.toContain(TOKEN);
  });

  it('says what is wrong as sentences, in Japanese for a Japanese reader; nothing is sent', async () => {
    // Prepare
    const { c, ports, deal, post } = await withRenewal();
    await c.get(`${deal}?lang=ja`);
    // Act
    const blank = await c.post(post, form({ offerName: '' }));
    const past = await c.post(post, form({ offerExpiresAt: '2001-01-01' }));
    // Assess
    expect(blank.status).toBeGreaterThanOrEqual(400);
    expect(blank.text).toContain('<li>オファー名を入力してください。</li>');
    expect(past.status).toBeGreaterThanOrEqual(400);
    expect(past.text).toMatch(/<li>[^<]*有効期限[^<]*。<\/li>/);
    expect(ports.callbacks.successes()).toEqual([]);
  });

  for (const [lang, words] of [
    [
      'ja',
      {
        title: '<h1>契約の経過: Renew Offer KK</h1>',
        offerName: 'オファー名を入力してください。',
        expiry: '有効期限',
      },
    ],
    ['en', { title: '<h1>Deal: Renew Offer KK</h1>', offerName: 'Offer name', expiry: 'Offer expiry' }],
  ] as const) {
    it(`shows them on the deal view's form, each next to its field, with the values kept (${lang})`, async () => {
      // Prepare
      const { c, deal, post } = await withRenewal();
      await c.get(`${deal}?lang=${lang}`);
      // Act
      const blank = await c.post(post, form({ offerName: '', 'dimensions.0.key': 'Seats' }));
      const past = await c.post(post, form({ offerExpiresAt: '2001-01-01' }));
      // Assess: the deal view (not the onboarding's page), the draft form holding the sentences and the values
      const draftOf = (text: string) => /<form[^>]*data-renewal-offer>[\s\S]*?<\/form>/.exec(text)?.[0] ?? '';
      expect(blank.status).toBe(400);
      expect(blank.text).toContain(words.title);
      expect(draftOf(blank.text)).toMatch(
        new RegExp(
          `id="f-draft-offerName"[^>]*aria-invalid="true"[\\s\\S]*?<p class="err" id="f-draft-offerName-err">[^<]*${words.offerName}`,
        ),
      );
      expect(draftOf(blank.text)).toContain('value="Seats"');
      expect(draftOf(blank.text)).toContain('value="1200.00"');
      expect(past.status).toBe(400);
      expect(past.text).toContain(words.title);
      expect(draftOf(past.text)).toMatch(
        new RegExp(`<p class="err" id="f-draft-offerExpiresAt-err">[^<]*${words.expiry}`),
      );
      expect(draftOf(past.text)).toContain('value="Enterprise renewal 2027"');
      expect(draftOf(past.text)).toContain('value="2001-01-01"');
    });
  }

  it('shows the renewal offer sent, or why it failed, when Renewal opens again', async () => {
    // Prepare
    const sent = await withRenewal({
      renewalOffer: {
        outcome: 'sent',
        offerId: 'offer-abcdefghij12',
        offerExpiresAt: '2026-12-20T23:59:59Z',
      },
    });
    const failed = await withRenewal({
      renewalOffer: { outcome: 'failed', failure: { code: 'INCOMPATIBLE_AGREEMENT', message: 'not ACTIVE' } },
    });
    const sentence = await withRenewal({
      renewalOffer: {
        outcome: 'failed',
        failure: { code: 'INVALID_AVAILABILITY_END_DATE', message: 'Provide a future AvailabilityEndDate.' },
      },
    });
    // Act
    const sentPage = await sent.c.get(sent.deal);
    const failedPage = await failed.c.get(`${failed.deal}?lang=ja`);
    const sentenceJa = await sentence.c.get(`${sentence.deal}?lang=ja`);
    const sentenceEn = await sentence.c.get(`${sentence.deal}?lang=en`);
    // Assess
    expect(sentPage.text).toContain(
      'Renewal offer offer-abcdefghij12 was sent to the buyer (expires 2026-12-20',
    );
    expect(failedPage.text).toContain(
      '更新オファーを作成できませんでした（INCOMPATIBLE_AGREEMENT）: not ACTIVE',
    );
    // AWS's own full stop is not doubled by the sentence around it
    expect(sentenceJa.text).toContain('Provide a future AvailabilityEndDate。条件を直して');
    expect(sentenceEn.text).toContain('Provide a future AvailabilityEndDate. Correct the terms');
  });
});
