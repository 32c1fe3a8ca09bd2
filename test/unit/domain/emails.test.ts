import { describe, expect, it } from 'vitest';
import {
  acknowledgementEmail,
  buyerMailContext,
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

describe('mails as HTML with a text part', () => {
  const url = 'https://aws.amazon.com/marketplace/pp/procurement?productId=prod-x&offerId=offer-abc';
  const offer = (locale: 'ja' | 'en', timeZone?: string) =>
    offerNoticeEmail({
      ...base,
      locale,
      offerUrl: url,
      offerName: 'Enterprise <annual>',
      // "2027-01-31" as entered: the end of that day in UTC
      expiresAt: '2027-01-31T23:59:59Z',
      ...(timeZone ? { timeZone } : {}),
    });

  it('links the offer page with a real <a> in the HTML part and gives the URL in the text part', () => {
    // Act
    const ja = offer('ja');
    const en = offer('en');

    // Assess
    const href = url.replace('&', '&amp;');
    expect(ja.html).toContain(
      `<a href="${href}" target="_blank" rel="noopener">AWS Marketplace で契約の詳細ページを開く</a>`,
    );
    expect(en.html).toContain(
      `<a href="${href}" target="_blank" rel="noopener">Open the contract details page on AWS Marketplace</a>`,
    );
    expect(ja.html).toMatch(/^<!doctype html>\n<html lang="ja">/);
    expect(en.html).toContain('<html lang="en">');
    expect(ja.text).toContain(`AWS Marketplace で契約の詳細ページを開く: ${url}`);
    expect(en.text).toContain(`Open the contract details page on AWS Marketplace: ${url}`);
    expect(ja.text).not.toContain('<');
  });

  it("states the expiry in UTC as entered and in the buyer's time zone, named", () => {
    // Act
    const ja = offer('ja');
    const en = offer('en');
    const enTokyo = offer('en', 'Asia/Tokyo');

    // Assess
    expect(ja.text).toContain('有効期限: 2027年1月31日 23:59 UTC（日本標準時では 2027年2月1日 8:59）');
    expect(ja.html).toContain('2027年1月31日 23:59 UTC（日本標準時では 2027年2月1日 8:59）');
    expect(en.text).toContain('The offer expires on January 31, 2027 at 11:59 PM UTC.');
    expect(enTokyo.text).toContain(
      'January 31, 2027 at 11:59 PM UTC (February 1, 2027 at 8:59 AM Japan Standard Time)',
    );
  });

  it('escapes what people typed in the HTML part', () => {
    // Act
    const mail = offerNoticeEmail({
      ...base,
      company: 'A&B <script>',
      locale: 'en',
      offerUrl: url,
      offerName: 'x',
      expiresAt: '2027-01-31T23:59:59Z',
    });

    // Assess
    expect(mail.html).toContain('A&amp;B &lt;script&gt;');
    expect(mail.html).not.toContain('<script>');
  });

  it('links the set-password page, the sign-in page and the console', () => {
    // Act
    const done = completionEmail({
      ...base,
      locale: 'ja',
      accountName: 'Example Prod',
      plan: 'Enterprise',
      setPassword: { url: 'https://app.example.com/set-password#k', expiresAt: '2027-01-31T00:00:00Z' },
    });
    const signIn = completionEmail({
      ...base,
      locale: 'en',
      accountName: 'Example Prod',
      plan: 'Enterprise',
      signInUrl: 'https://tenant.example.com/login',
    });
    const staff = staffTaskEmail({
      stage: 'Consultation',
      onboardingId: base.onboardingId,
      company: base.company,
      consoleUrl: 'http://127.0.0.1:8080/console/onboardings/onb-abcdefghij',
      dueAt: '2025-04-08T00:00:00Z',
    });

    // Assess
    expect(done.html).toContain(
      '<a href="https://app.example.com/set-password#k" target="_blank" rel="noopener">パスワードを設定する</a>',
    );
    expect(done.text).toContain('パスワードを設定する: https://app.example.com/set-password#k');
    expect(signIn.html).toContain(
      '<a href="https://tenant.example.com/login" target="_blank" rel="noopener">Sign in here</a>',
    );
    expect(staff.html).toContain(
      'Console: <a href="http://127.0.0.1:8080/console/onboardings/onb-abcdefghij" target="_blank" rel="noopener">http://127.0.0.1:8080/console/onboardings/onb-abcdefghij</a>',
    );
    expect(staff.text).toContain('期限: 2025年4月8日 0:00 UTC（日本標準時では 2025年4月8日 9:00）');
  });

  it('puts no link in the acknowledgement to an unverified address', () => {
    // Act
    const ack = acknowledgementEmail({ ...base, company: 'evil.example', locale: 'ja', plan: 'Pro' });

    // Assess
    expect(ack.html).not.toContain('<a ');
    expect(ack.html).toContain('受付番号: onb-abcdefghij');
  });
});

describe("dates in the buyer's time zone", () => {
  it('come from the time zone the inquiry gave', () => {
    // Prepare
    const context = buyerMailContext({
      id: 'onb-abcdefghij',
      locale: 'en',
      inquiry: {
        company: 'Example GmbH',
        contactName: 'Erika Mustermann',
        email: 'erika@example.de',
        awsAccountId: '123456789012',
        plan: 'Business',
        locale: 'en',
        timeZone: 'Europe/Berlin',
      },
    });

    // Act
    const mail = offerNoticeEmail({
      ...context,
      offerUrl: 'https://example.com/o',
      offerName: 'x',
      expiresAt: '2027-01-31T23:59:59Z',
    });

    // Assess
    expect(mail.text).toContain(
      'January 31, 2027 at 11:59 PM UTC (February 1, 2027 at 12:59 AM Central European Standard Time)',
    );
  });
});
