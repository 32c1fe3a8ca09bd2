/**
 * Property-based tests (fast-check) on every form and endpoint: whatever is sent, no 5xx, no task token in any
 * response, and a refused request (anything but a redirect after success) changes nothing.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_MARK } from '../../local/in-memory/fake-workflow.js';
import * as uc from '../../tasks/use-cases/index.js';
import {
  Client,
  changes,
  contractTerms,
  type Harness,
  harness,
  offered,
  SALES_ACTOR,
  sampleInquiry,
  seedOnboarding,
  validTerms,
} from './support/harness.js';

const RUNS = 60;

/** Strings that stress forms: empty, blanks, unicode, markup, huge-ish, look-alike values. */
const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-1',
    '1e9',
    '12345678901',
    '1234567890123',
    'null',
    'undefined',
    '<script>alert(1)</script>',
    '"><img src=x>',
    '../../etc/passwd',
    '%00',
    'offer-',
    'onb-',
    '2025-02-30',
    '9999-12-31',
    'NaN',
    '{"a":1}',
    'manual',
    'automatic',
    'retry',
    'close',
    'extend',
    'recreate',
    'reopen',
  ),
  fc.string({ minLength: 300, maxLength: 5000 }),
);

/** A valid form with up to three fields replaced by nasty values (and maybe stray fields), so runs explore both sides. */
function nearValid(valid: Record<string, string>) {
  return fc
    .tuple(
      fc.subarray(Object.keys(valid), { maxLength: Math.min(3, Object.keys(valid).length) }),
      fc.array(nasty, { minLength: 3, maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 12 }), nasty, { maxKeys: 2 }),
    )
    .map(([keys, values, extra]) => {
      const form: Record<string, string> = { ...extra, ...valid };
      keys.forEach((k, i) => {
        form[k] = values[i] ?? '';
      });
      return form;
    });
}

function check(h: Harness, r: { status: number; text: string; headers: Headers }) {
  expect(r.status).toBeLessThan(500);
  expect(r.text).not.toContain(TOKEN_MARK);
  expect(JSON.stringify([...r.headers])).not.toContain(TOKEN_MARK);
  expect(h.flow.tokens().filter((t) => r.text.includes(t))).toEqual([]);
}

/** A refused post (anything but the 303 of success) changed nothing. */
function refusedChangedNothing(status: number, before: string, after: string) {
  expect(status === 303 || after === before, `status ${status}, changes ${before} → ${after}`).toBe(true);
}

describe('properties: public forms', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });

  it('inquiry: never 5xx; refused input changes nothing; accepted input always satisfies the contract', async () => {
    const c = new Client(h.app);
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(nearValid({ ...sampleInquiry(), locale: 'en' }), async (form) => {
        await c.get('/inquiry');
        const before = changes(h.ports);
        const count = h.ports.callbacks.executions.size;
        const r = await c.post('/inquiry', form);
        check(h, r);
        statuses.add(r.status);
        const accepted = r.status === 303;
        // 409: the same account and e-mail as a live onboarding, held until the buyer confirms (changes nothing)
        expect([303, 400, 409]).toContain(r.status);
        expect(h.ports.callbacks.executions.size - count).toBe(accepted ? 1 : 0);
        expect(!accepted || /^\d{12}$/.test(form.awsAccountId?.trim() ?? ''), form.awsAccountId).toBe(true);
        refusedChangedNothing(r.status, before, changes(h.ports));
      }),
      { numRuns: RUNS },
    );
    expect([...statuses].filter((s) => s !== 409).sort()).toEqual([303, 400]); // both outcomes were explored
  });

  it('inquiry: an AWS account id that is not 12 digits is always refused', async () => {
    const c = new Client(h.app);
    await fc.assert(
      fc.asyncProperty(
        nasty.filter((s) => !/^\s*\d{12}\s*$/.test(s)),
        async (awsAccountId) => {
          await c.get('/inquiry');
          const before = changes(h.ports);
          const r = await c.post('/inquiry', { ...sampleInquiry({ awsAccountId }), locale: 'en' });
          expect(r.status).toBe(400);
          expect(changes(h.ports)).toBe(before);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('fulfillment POST: any token, body or content type → a page, never 5xx, never a session for a bad token', async () => {
    await h.flow.idle();
    const id = await offered(h.flow, { awsAccountId: '999999999999' });
    await fc.assert(
      fc.asyncProperty(
        nasty,
        fc.constantFrom(
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/json',
          'text/plain',
          '',
        ),
        fc.boolean(),
        async (token, type, raw) => {
          const before = changes(h.ports);
          const body = raw ? token : new URLSearchParams({ 'x-amzn-marketplace-token': token }).toString();
          const r = await h.app.request('/marketplace/fulfillment', {
            method: 'POST',
            body,
            headers: type ? { 'content-type': type } : {},
          });
          const text = await r.text();
          check(h, { status: r.status, text, headers: r.headers });
          expect(r.status).not.toBe(303);
          expect(r.headers.getSetCookie().some((l) => l.startsWith('buyer='))).toBe(false);
          expect(changes(h.ports)).toBe(before);
        },
      ),
      { numRuns: RUNS },
    );
    expect((await h.ports.onboardings.get(id))?.stage).toBe('AwaitAcceptance');
  });

  it('staff sign-in: any credentials → never 5xx, never a session unless right', async () => {
    const c = new Client(h.app);
    await fc.assert(
      fc.asyncProperty(nearValid({ username: 'sam', password: 'x', next: '/console' }), async (form) => {
        await c.get('/auth/login');
        const r = await c.post('/auth/login', form);
        check(h, r);
        expect(r.status === 303).toBe(c.cookies.has('staff'));
        c.cookies.delete('staff');
      }),
      { numRuns: 25 },
    );
  });
});

describe('properties: buyer forms', () => {
  it('register, login and account selection: never 5xx; refused input changes nothing', async () => {
    const h = await harness();
    await uc.seedAccounts(h.ports, [
      { email: 'user@example.com', password: 'user-password', accounts: [{ id: 'acct-1', name: 'One' }] },
    ]);
    const fresh = async () => {
      const id = await offered(h.flow);
      const c = new Client(h.app);
      await c.request('/marketplace/fulfillment', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          'x-amzn-marketplace-token': h.flow.subscribe(id, '123456789012'),
        }).toString(),
      });
      await h.flow.idle();
      return c;
    };
    const endpoints: [string, Record<string, string>][] = [
      ['/buyer/register', { accountName: 'Team', email: 'team@example.com' }],
      ['/buyer/login', { email: 'user@example.com', password: 'user-password' }],
      ['/buyer/accounts', { accountId: 'acct-1' }],
    ];
    for (const [path, valid] of endpoints) {
      await fc.assert(
        fc.asyncProperty(nearValid(valid), async (form) => {
          const c = await fresh();
          if (path === '/buyer/accounts') {
            await c.get('/buyer/login');
            await c.post('/buyer/login', { email: 'user@example.com', password: 'user-password' });
            await h.flow.idle();
          }
          await c.get(path === '/buyer/accounts' ? '/buyer/accounts' : path);
          const before = changes(h.ports);
          const r = await c.post(path, form);
          check(h, r);
          refusedChangedNothing(r.status, before, changes(h.ports));
          await h.flow.idle();
        }),
        { numRuns: 30 },
      );
    }
  });
});

describe('properties: console forms', () => {
  let h: Harness;
  let staff: Client;
  let auditor: Client;
  beforeAll(async () => {
    h = await harness();
    staff = new Client(h.app);
    await staff.signIn('support');
    auditor = new Client(h.app);
    await auditor.signIn('auditor');
  });

  const failed = async () => {
    const id = await seedOnboarding(h.flow);
    h.flow.failNextOffer();
    await uc.completeHumanStage(h.ports, {
      onboardingId: id,
      stage: 'Consultation',
      payload: contractTerms(),
      actor: SALES_ACTOR,
    });
    await h.flow.idle();
    return id;
  };
  const expired = async () => {
    const id = await offered(h.flow);
    await h.flow.timeOut(id, 'AwaitAcceptance');
    return id;
  };
  const timedOut = async () => {
    const id = await seedOnboarding(h.flow);
    await h.flow.timeOut(id, 'Consultation');
    return id;
  };
  const stages: [string, () => Promise<string>, Record<string, string>][] = [
    ['Consultation', () => seedOnboarding(h.flow), validTerms()],
    ['OfferFailed', failed, { action: 'manual', offerId: 'offer-abcdefghij12' }],
    ['OfferFailed', failed, { ...validTerms(), action: 'retry' }],
    ['OfferExpired', expired, { action: 'extend', offerExpiresAt: '2025-09-30' }],
    ['StageTimedOut', timedOut, { action: 'reopen', note: '' }],
    ['StageTimedOut', timedOut, { action: 'close', reason: 'done' }],
  ];

  for (const [stage, prepare, valid] of stages) {
    it(`${stage} (${valid.action}): never 5xx, refused input changes nothing, auditors always get 403`, async () => {
      const statuses = new Set<number>();
      await fc.assert(
        fc.asyncProperty(nearValid(valid), async (form) => {
          const id = await prepare();
          await staff.get(`/console/onboardings/${id}`);
          check(h, staff.last as never);
          const before = changes(h.ports);
          await auditor.get(`/console/onboardings/${id}`);
          const denied = await auditor.post(`/console/onboardings/${id}/stages/${stage}`, form);
          expect(denied.status).toBe(403);
          expect(changes(h.ports)).toBe(before);
          const r = await staff.post(`/console/onboardings/${id}/stages/${stage}`, form);
          check(h, r);
          statuses.add(r.status);
          refusedChangedNothing(r.status, before, changes(h.ports));
          await h.flow.idle();
        }),
        { numRuns: 40 },
      );
      expect(statuses.has(400)).toBe(true);
    });
  }

  it('close: never 5xx; a blank reason never closes', async () => {
    await fc.assert(
      fc.asyncProperty(nasty, async (reason) => {
        const id = await seedOnboarding(h.flow);
        await staff.get(`/console/onboardings/${id}`);
        const before = changes(h.ports);
        const r = await staff.post(`/console/onboardings/${id}/close`, { reason });
        check(h, r);
        const invalid = reason.trim() === '' || reason.trim().length > 2000;
        expect(!invalid || r.status === 400, `${JSON.stringify(reason)} → ${r.status}`).toBe(true);
        refusedChangedNothing(r.status, before, changes(h.ports));
        await h.flow.idle();
      }),
      { numRuns: RUNS },
    );
  });

  it('GET endpoints with any query or path segment: never 5xx, never a token', async () => {
    const id = await seedOnboarding(h.flow);
    await fc.assert(
      fc.asyncProperty(nasty, nasty, nasty, async (a, b, cc) => {
        const q = (o: Record<string, string>) => new URLSearchParams(o).toString();
        for (const path of [
          `/console?${q({ stage: a, q: b, cursor: cc })}`,
          `/console/onboardings/${encodeURIComponent(a)}`,
          `/audit/onboardings/${encodeURIComponent(b)}`,
          `/audit/onboardings/${encodeURIComponent(a)}/history.csv`,
          `/audit/export?${q({ from: a, to: b, format: cc })}`,
          `/audit/open?${q({ id: a })}`,
          `/inquiry/thanks?${q({ ref: a, lang: b })}`,
          `/${encodeURIComponent(a)}`,
          `/audit/onboardings/${id}`,
        ]) {
          check(h, await auditor.get(path));
        }
      }),
      { numRuns: 30 },
    );
  });

  it('any method on any route: never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
        fc.constantFrom(
          '/',
          '/inquiry',
          '/inquiry/thanks',
          '/buyer/register',
          '/buyer/login',
          '/buyer/accounts',
          '/buyer/complete',
          '/console',
          '/audit',
          '/audit/export',
          '/auth/login',
          '/auth/logout',
          '/auth/callback',
          '/marketplace/fulfillment',
          '/healthz',
        ),
        nasty,
        async (method, path, body) => {
          const r = await h.app.request(path, {
            method,
            ...(method === 'GET' || method === 'HEAD' ? {} : { body }),
          });
          expect(r.status).toBeLessThan(500);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
