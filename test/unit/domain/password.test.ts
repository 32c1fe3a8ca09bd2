import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../../tasks/domain/password.js';

describe('scrypt password hashes', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(hash).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery!', hash)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same password')).not.toBe(await hashPassword('same password'));
  });

  it('never matches a malformed hash and refuses short passwords', async () => {
    expect(await verifyPassword('whatever1', 'plain-text')).toBe(false);
    expect(await verifyPassword('whatever1', 'scrypt$0$8$1$c2FsdA==$aGFzaA==')).toBe(false);
    await expect(hashPassword('short')).rejects.toThrow('at least 8 characters');
  });
});
