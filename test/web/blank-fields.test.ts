/**
 * Every form a buyer fills in says a blank field is required (its label, the reader's language), never the rule a
 * blank value fails first (an e-mail's or an account id's format).
 */
import { describe, expect, it } from 'vitest';
import { arrivedBuyer, Client, harness, sampleInquiry } from './support/harness.js';

describe("blank fields on the buyer's forms", () => {
  it('inquiry: a blank e-mail and a blank AWS account id are required, in Japanese and English', async () => {
    // Prepare
    const { app } = await harness();
    const c = new Client(app);
    await c.get('/inquiry?lang=ja');

    // Act
    const ja = await c.post('/inquiry', sampleInquiry({ email: '  ', awsAccountId: '', locale: 'ja' }));
    await c.get('/inquiry?lang=en');
    const en = await c.post('/inquiry', sampleInquiry({ email: '', awsAccountId: ' ', locale: 'en' }));

    // Assess
    expect(ja.status).toBe(400);
    expect(ja.text).toContain('id="f-email-err">メールアドレスを入力してください。');
    expect(ja.text).toContain('id="f-awsAccountId-err">AWS アカウント IDを入力してください。');
    expect(ja.text).not.toMatch(/形式が正しくありません|12桁の数字で/);
    expect(en.text).toContain('id="f-email-err">E-mail address is required.');
    expect(en.text).toContain('id="f-awsAccountId-err">AWS account ID is required.');
  });

  it('registration and sign-in after the marketplace: a blank e-mail or password is required', async () => {
    // Prepare
    const h = await harness();
    const { c } = await arrivedBuyer(h);

    // Act
    const register = await c.post('/buyer/register', { accountName: 'Example', email: ' ' });
    await c.get('/buyer/login');
    const login = await c.post('/buyer/login', { email: '', password: '' });

    // Assess
    expect(register.status).toBe(400);
    expect(register.text).toContain('メールアドレスを入力してください。');
    expect(register.text).not.toContain('形式が正しくありません');
    expect(login.status).toBe(400);
    expect(login.text).toContain('メールアドレスを入力してください。');
    expect(login.text).toContain('パスワードを入力してください。');
  });
});
