/** The staff sign-in in the staff's language, like the console behind it; a blank field is named as required. */
import { describe, expect, it } from 'vitest';
import { Client, harness, PASSWORD } from './support/harness.js';

describe('staff sign-in in Japanese and English', () => {
  it('reads in Japanese when asked (and remembers it), names each blank field, and says a wrong password in Japanese', async () => {
    // Prepare
    const { app } = await harness();
    const c = new Client(app);

    // Act
    const ja = await c.get('/auth/login?lang=ja');
    const blank = await c.post('/auth/login', { username: ' ', password: '' });
    const wrong = await c.post('/auth/login', { username: 'sam', password: 'wrong password' });
    const ok = await c.post('/auth/login', { username: 'sam', password: PASSWORD });
    const en = await new Client(app).get('/auth/login');

    // Assess
    expect(ja.text).toContain('<html lang="ja">');
    expect(ja.text).toContain('<h1>スタッフのサインイン</h1>');
    expect(ja.text).toContain('>サインイン</button>');
    expect(ja.text).toContain('href="/auth/login?lang=en" hreflang="en" lang="en">English</a>');
    expect(blank.status).toBe(400);
    expect(blank.text).toContain('id="f-username-err">ユーザー名を入力してください。');
    expect(blank.text).toContain('id="f-password-err">パスワードを入力してください。');
    expect(blank.text).not.toMatch(/is required|Enter your/);
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('ユーザー名またはパスワードが正しくありません。');
    expect(wrong.text).not.toContain('wrong password');
    expect(ok.status).toBe(303);
    expect(en.text).toContain('<h1>Staff sign-in</h1>');
    expect(en.text).toContain('href="/auth/login?lang=ja" hreflang="ja" lang="ja">日本語</a>');
  });

  it('says which field is blank in English too', async () => {
    // Prepare
    const { app } = await harness();
    const c = new Client(app);
    await c.get('/auth/login?lang=en');

    // Act
    const blank = await c.post('/auth/login', { username: 'sam', password: '' });

    // Assess
    expect(blank.status).toBe(400);
    expect(blank.text).toContain('id="f-password-err">Password is required.');
    expect(blank.text).not.toContain('f-username-err');
    expect(blank.text).toContain('value="sam"');
  });
});
