/**
 * The reference signature check a vendor copies from docs/vendor-saas.md: the very code block of the document, run
 * against what the webhook adapter signs. It accepts the adapter's signature (also among rotated ones, also over a
 * Buffer body) and refuses a tampered body, an old timestamp and a wrong secret.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../../tasks/adapters/provisioning/webhook.js';

type Verify = (
  secret: string,
  headers: Record<string, string>,
  rawBody: string | Buffer,
  nowMs?: number,
) => boolean;

const doc = readFileSync(new URL('../../../docs/vendor-saas.md', import.meta.url), 'utf8');
const block = /```js\n([\s\S]*?)```/.exec(doc)?.[1];
const dir = mkdtempSync(join(tmpdir(), 'vendor-saas-'));
let verify: Verify;

beforeAll(async () => {
  if (!block) throw new Error('docs/vendor-saas.md has no ```js block');
  const file = join(dir, 'verify.mjs');
  writeFileSync(file, block);
  ({ verifyOnboardingSignature: verify } = (await import(pathToFileURL(file).href)) as {
    verifyOnboardingSignature: Verify;
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SECRET = 'vendor-shared-secret';
const NOW_MS = 1_790_000_000_000;
const TS = String(NOW_MS / 1000);
const BODY = JSON.stringify({ onboardingId: 'ob-1', name: 'Acme 株式会社' });
const headers = (signature: string, timestamp = TS) => ({
  'x-onboarding-timestamp': timestamp,
  'x-onboarding-signature': signature,
});

describe('docs/vendor-saas.md reference signature check', () => {
  it('is at most about a dozen lines a vendor can copy', () => {
    // Assess
    expect(block?.trim().split('\n').length).toBeLessThanOrEqual(14);
  });

  it("accepts the webhook adapter's signature over a string or Buffer body, and one of several rotated values", () => {
    // Prepare
    const signature = signRequest(SECRET, TS, BODY);
    const rotated = `${signRequest('old-secret', TS, BODY)},${signature}`;
    // Act / Assess
    expect(verify(SECRET, headers(signature), BODY, NOW_MS)).toBe(true);
    expect(verify(SECRET, headers(signature), Buffer.from(BODY), NOW_MS)).toBe(true);
    expect(verify(SECRET, headers(rotated), BODY, NOW_MS)).toBe(true);
  });

  it('refuses a tampered body, a wrong secret, an old or future timestamp, and a malformed header', () => {
    // Prepare
    const signature = signRequest(SECRET, TS, BODY);
    const old = String(NOW_MS / 1000 - 301);
    // Act / Assess
    expect(verify(SECRET, headers(signature), BODY.replace('Acme', 'Acne'), NOW_MS)).toBe(false);
    expect(verify('another-secret', headers(signature), BODY, NOW_MS)).toBe(false);
    expect(verify(SECRET, headers(signRequest(SECRET, old, BODY), old), BODY, NOW_MS)).toBe(false);
    expect(verify(SECRET, headers(signature), BODY, NOW_MS + 301_000)).toBe(false);
    expect(verify(SECRET, headers(signature.slice(3)), BODY, NOW_MS)).toBe(false);
    expect(verify(SECRET, headers('v1=zz'), BODY, NOW_MS)).toBe(false);
  });
});
