/**
 * Revocable staff sessions (issue 10 item 7): a staff cookie is a session only while the server keeps it open.
 * Signing out closes it at once (a copy of the cookie kept elsewhere no longer opens the console), and an admin's
 * `revoke-sessions` signs a person out everywhere (after they left, or after their role changed).
 */
import { describe, expect, it } from 'vitest';
import { EXIT, runCli } from '../../cli/run.js';
import { Client, harness, PASSWORD, sharedUsersFile } from './support/harness.js';

describe('staff sessions', () => {
  it('signing out closes the session: the same cookie, replayed, is sent to sign in', async () => {
    // Prepare
    const { app } = await harness();
    const c = new Client(app);
    await c.signIn('sales');
    const copied = c.cookieHeader();
    await c.get('/console');
    // Act
    await c.post('/auth/logout', {});
    const replayed = await app.request('/console', { headers: { cookie: copied }, redirect: 'manual' });
    // Assess
    expect(replayed.status).toBe(303);
    expect(replayed.headers.get('location')).toMatch(/^\/auth\/login/);
  });

  it("an admin's revoke-sessions signs the person out of every browser; a new sign-in works", async () => {
    // Prepare
    const { app, ports } = await harness();
    const first = new Client(app);
    await first.signIn('sales');
    const second = new Client(app);
    await second.signIn('sales');
    const before = await first.get('/console');
    ports.clock.advance(1000);
    // Act
    const out: string[] = [];
    const code = await runCli(['revoke-sessions', 'sam'], {
      ports,
      env: {
        STAFF_USERS_FILE: await sharedUsersFile(),
        ONBOARDING_USER: 'ada',
        ONBOARDING_PASSWORD: PASSWORD,
      },
      out: (t) => out.push(t),
      err: () => undefined,
    });
    const a = await first.get('/console');
    const b = await second.get('/console');
    ports.clock.advance(1000);
    const again = new Client(app);
    await again.signIn('sales');
    const fresh = await again.get('/console');
    // Assess
    expect(before.status).toBe(200);
    expect(code).toBe(EXIT.ok);
    expect(out.join('')).toContain('sam: every session opened until');
    expect([a.status, b.status]).toEqual([303, 303]);
    expect(fresh.status).toBe(200);
  });

  it('only an admin revokes sessions', async () => {
    // Prepare
    const { ports } = await harness();
    // Act
    const code = await runCli(['revoke-sessions', 'ada'], {
      ports,
      env: {
        STAFF_USERS_FILE: await sharedUsersFile(),
        ONBOARDING_USER: 'sue',
        ONBOARDING_PASSWORD: PASSWORD,
      },
      out: () => undefined,
      err: () => undefined,
    });
    // Assess
    expect(code).toBe(EXIT.forbidden);
  });
});
