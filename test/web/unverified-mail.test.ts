/**
 * Mails to an address nobody has verified (issue 10): the inquiry form sends its acknowledgement to whatever address
 * it is given, so that mail carries nothing typed into the form but the names and the plan, bounded and never a link,
 * and never the message. Staff mails (to verified staff addresses) still show everything.
 */
import { describe, expect, it } from 'vitest';
import {
  acknowledgementEmail,
  UNVERIFIED_NAME_MAX,
  unverifiedName,
} from '../../tasks/domain/emails/index.js';
import { Client, harness, sampleInquiry } from './support/harness.js';

describe('the acknowledgement sent to the inquiry form’s address', () => {
  it('carries the bounded names only: no message, no link, no address, no second line', async () => {
    // Prepare
    const { app, ports, flow } = await harness();
    const c = new Client(app);
    await c.get('/inquiry');
    const spam = 'WIN A PRIZE at https://evil.example/claim?x=1 or write to prize@evil.example';
    // Act
    const r = await c.post('/inquiry', {
      ...sampleInquiry(),
      email: 'victim@example.com',
      company: `${spam} ${'x'.repeat(60)}`,
      contactName: 'Claim now\r\nat www.evil.example',
      message: 'Dear victim, send your bank details to https://evil.example/bank',
    });
    await flow.idle();
    // Assess
    expect(r.status).toBe(303);
    const toVictim = ports.mailer.outbox.filter((m) => JSON.stringify(m.to).includes('victim@example.com'));
    expect(toVictim).toHaveLength(1);
    const mail = toVictim[0];
    const all = `${mail?.subject}\n${mail?.text}\n${mail?.html}`;
    expect(all).not.toContain('bank details');
    expect(all).not.toMatch(/:\/\/|evil\.example|@evil|www\./);
    expect(mail?.html).toContain('<html lang="ja">');
    expect(mail?.html).not.toContain('<a ');
    expect(mail?.text).toContain('Claim now at www\u2024evil\u2024example 様');
    const firstLine = mail?.text.split('\n')[0] ?? '';
    expect([...firstLine]).toHaveLength(UNVERIFIED_NAME_MAX);
    expect(firstLine.endsWith('…')).toBe(true);
  });
});

describe('unverifiedName', () => {
  it.each([
    ['Example KK', 'Example KK'],
    ['株式会社サンプル', '株式会社サンプル'],
    ['Example Co., Ltd.', 'Example Co., Ltd.'],
    ['Booking.com Japan', 'Booking\u2024com Japan'],
    ['see https://evil.example/x', 'see evil\u2024example/x'],
    ['javascript:alert(1)', 'javascript:alert(1)'],
    ['a@b.example', 'a\uff20b\u2024example'],
    ['Line one\r\nBcc: x', 'Line one Bcc: x'],
  ])('%j is shown as %j', (given, shown) => {
    // Prepare / Act
    const out = unverifiedName(given);
    // Assess
    expect(out).toBe(shown);
  });

  it('cuts a long name at the bound with an ellipsis, by characters not bytes', () => {
    // Prepare
    const long = 'あ'.repeat(UNVERIFIED_NAME_MAX + 5);
    // Act
    const out = unverifiedName(long);
    // Assess
    expect([...out]).toHaveLength(UNVERIFIED_NAME_MAX);
    expect(out.endsWith('…')).toBe(true);
  });

  it('is what the acknowledgement uses for the plan too', () => {
    // Prepare / Act
    const mail = acknowledgementEmail({
      locale: 'en',
      company: 'Example KK',
      contactName: 'Taro',
      onboardingId: 'onb-abcdefghij',
      plan: 'Business https://evil.example',
    });
    // Assess
    expect(mail.text).toContain('"Business evil\u2024example" plan');
  });
});
