import { randomBytes, scryptSync } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  hashPassword,
  isPasswordHash,
  needsRehash,
  SCRYPT_PARAMS,
  scryptParams,
  verifyPassword,
} from '../../../tasks/domain/password.js';

/** A hash as the SaaS account directory wrote it before: base64, 32-byte key over the NFKC-normalized password. */
function accountDirectoryHash(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password.normalize('NFKC'), salt, 32, { N: 16384, r: 8, p: 1 });
  return ['scrypt', 16384, 8, 1, salt.toString('base64'), key.toString('base64')].join('$');
}

/** A hash as the staff users file (web/auth/passwords.ts) wrote it before: base64url, 64-byte key, raw password. */
function staffFileHash(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 64, { N: 16384, r: 8, p: 1 });
  return `scrypt$16384$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

describe('scrypt password hashes', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("hashes at OWASP's cost in the product (N = 2^17), and a hash made at the tests' lower cost asks for a rehash", async () => {
    // Prepare
    const atTestCost = await hashPassword('product cost password');
    vi.stubEnv('PASSWORD_SCRYPT_LN', '');
    // Act
    const atProductCost = await hashPassword('product cost password');
    // Assess
    expect(SCRYPT_PARAMS).toEqual({ ln: 17, r: 8, p: 1 });
    expect(atProductCost.startsWith('$scrypt$ln=17,r=8,p=1$')).toBe(true);
    expect(await verifyPassword('product cost password', atProductCost)).toBe(true);
    expect([needsRehash(atTestCost), needsRehash(atProductCost)]).toEqual([true, false]);
  });

  it('ignores a PASSWORD_SCRYPT_LN outside 10..20', () => {
    // Prepare
    const values = ['9', '21', 'fast', '14'];
    // Act
    const lns = values.map((v) => {
      vi.stubEnv('PASSWORD_SCRYPT_LN', v);
      return scryptParams().ln;
    });
    // Assess
    expect(lns).toEqual([17, 17, 17, 14]);
  });

  it('writes the PHC format with its parameters and verifies only the right password', async () => {
    // Prepare
    const password = 'correct horse battery';
    // Act
    const hash = await hashPassword(password);
    // Assess
    const { ln, r, p } = scryptParams();
    expect(hash).toMatch(
      new RegExp(`^\\$scrypt\\$ln=${ln},r=${r},p=${p}\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}$`),
    );
    expect(hash).not.toContain('correct horse');
    expect(await verifyPassword(password, hash)).toBe(true);
    expect(await verifyPassword(`${password}!`, hash)).toBe(false);
    expect(needsRehash(hash)).toBe(false);
  });

  it('salts every hash', async () => {
    // Act
    const [a, b] = [await hashPassword('same password'), await hashPassword('same password')];
    // Assess
    expect(a).not.toBe(b);
  });

  it('verifies hashes stored in both older formats, and asks for a rehash of them', async () => {
    // Prepare
    const password = 'ｏｌｄ-password-１'; // full-width: NFKC changes it
    const stored = [accountDirectoryHash(password), staffFileHash(password)];
    // Act
    const right = await Promise.all(stored.map((s) => verifyPassword(password, s)));
    const wrong = await Promise.all(stored.map((s) => verifyPassword('old-password-2', s)));
    // Assess
    expect(stored.map(isPasswordHash)).toEqual([true, true]);
    expect(right).toEqual([true, true]);
    expect(wrong).toEqual([false, false]);
    expect(stored.map(needsRehash)).toEqual([true, true]);
  });

  it('asks for a rehash when the stored parameters are not the current ones', async () => {
    // Prepare
    const current = await hashPassword('some password');
    const weaker = current.replace(`ln=${scryptParams().ln},`, `ln=${scryptParams().ln - 1},`);
    // Act
    const answers = [needsRehash(current), needsRehash(weaker)];
    // Assess
    expect(answers).toEqual([false, true]);
    expect(await verifyPassword('some password', weaker)).toBe(false); // same key, other N: no match
  });

  it('never matches a malformed or out-of-bounds hash and refuses short passwords', async () => {
    // Prepare
    const salt = 'c2FsdHNhbHRzYWx0c2FsdA';
    const key = 'aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g';
    const malformed = [
      'plain-text',
      'scrypt$0$8$1$c2FsdA==$aGFzaA==',
      `$scrypt$ln=30,r=8,p=1$${salt}$${key}`, // N = 2^30: refused, not computed
      `$scrypt$ln=14,r=99,p=1$${salt}$${key}`,
    ];
    // Act
    const verified = await Promise.all(malformed.map((m) => verifyPassword('whatever1', m)));
    // Assess
    expect(verified).toEqual([false, false, false, false]);
    expect(malformed.map(isPasswordHash)).toEqual([false, false, false, false]);
    await expect(hashPassword('short')).rejects.toThrow('at least 8 characters');
  });
});
