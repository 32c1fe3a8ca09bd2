import { describe, expect, it } from 'vitest';
import {
  acknowledgementEmail,
  completionEmail,
  offerNoticeEmail,
  staffTaskEmail,
  supportAlertEmail,
} from '../../../tasks/domain/emails/index.js';
import { stageEntry } from '../../../workflows/contracts/index.js';

const base = { company: 'Example KK', contactName: 'Yamada Taro', onboardingId: 'onb-abcdefghij' };

describe('e-mail templates', () => {
  it('acknowledges in the buyer language', () => {
    const ja = acknowledgementEmail({ ...base, locale: 'ja', plan: 'Enterprise' });
    const en = acknowledgementEmail({ ...base, locale: 'en', plan: 'Enterprise' });
    expect(ja.subject).toContain('お問い合わせ受付');
    expect(ja.text).toContain('Yamada Taro 様');
    expect(en.subject).toContain('We received your inquiry');
    expect(en.text).toContain('Dear Yamada Taro');
    expect(en.text).not.toMatch(/[ぁ-んァ-ン]/);
  });

  it('puts the offer link and the expiry in the offer notice', () => {
    const url = 'https://aws.amazon.com/marketplace/pp/procurement?productId=prod-x&offerId=offer-abc';
    const ja = offerNoticeEmail({
      ...base,
      locale: 'ja',
      offerUrl: url,
      offerName: 'Enterprise annual',
      expiresAt: '2025-06-30T06:00:00Z',
    });
    const en = offerNoticeEmail({
      ...base,
      locale: 'en',
      offerUrl: url,
      offerName: 'Enterprise annual',
      expiresAt: '2025-06-30T06:00:00Z',
    });
    expect(ja.text).toContain(url);
    expect(ja.text).toContain('2025年6月30日');
    expect(ja.text).toContain('アカウントを設定');
    expect(en.text).toContain(url);
    expect(en.text).toContain('June 30, 2025');
  });

  it('confirms completion with the account and plan', () => {
    const en = completionEmail({ ...base, locale: 'en', accountName: 'Example Prod', plan: 'Enterprise' });
    expect(en.text).toContain('The Enterprise plan is now active on the account "Example Prod"');
  });

  it('sends staff to the console page, bilingual', () => {
    const mail = staffTaskEmail({
      stage: 'Consultation',
      onboardingId: base.onboardingId,
      company: base.company,
      consoleUrl: 'http://127.0.0.1:8080/console/onboardings/onb-abcdefghij',
      dueAt: '2025-04-08T00:00:00Z',
    });
    expect(mail.subject).toContain('契約内容の相談');
    expect(mail.text).toContain('Console: http://127.0.0.1:8080/console/onboardings/onb-abcdefghij');
    expect(mail.text).toContain('Consultation: agree the terms');
    const alert = supportAlertEmail({
      kind: 'subscription-failed',
      onboardingId: base.onboardingId,
      company: base.company,
      detail: 'subscribe-fail',
    });
    expect(alert.subject).toContain('Subscription failed or cancelled');
    expect(alert.text).toContain('subscribe-fail');
  });
});

describe('stage names in staff e-mails', () => {
  it('are the labels of the stage registry, in Japanese and English', () => {
    // Prepare
    const { label } = stageEntry('OfferExpired');
    const alertStage = stageEntry('SubscriptionFailed').label;

    // Act
    const task = staffTaskEmail({
      stage: 'OfferExpired',
      onboardingId: 'onb-abcdefghij',
      company: 'Example KK',
      consoleUrl: 'http://127.0.0.1:8080/console/onboardings/onb-abcdefghij',
      dueAt: '2025-04-08T00:00:00Z',
    });
    const alert = supportAlertEmail({
      kind: 'subscription-failed',
      onboardingId: 'onb-abcdefghij',
      detail: 'x',
    });

    // Assess
    expect(task.subject).toContain(`${label.ja} / ${label.en}`);
    expect(alert.subject).toContain(`${alertStage.ja} / ${alertStage.en}`);
  });
});
