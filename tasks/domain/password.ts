/**
 * The one password-hashing module: the vendor's SaaS users (7-2 login, the account directory) and the staff users
 * file (console and CLI sign-in) both hash here. scrypt from node:crypto (pure Node, no SDK), stored in the PHC
 * string format, which carries its parameters:
 *
 *   $scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<key>        (salt and key: base64 without padding)
 *
 * so the cost can be raised later (SCRYPT_PARAMS) without breaking stored hashes: verifyPassword reads the
 * parameters from the hash, and needsRehash tells a sign-in to store a new hash made with the current ones (every
 * sign-in that verifies a password does: the buyer's built-in directory, the staff users file, the sample SaaS).
 *
 * The cost is OWASP's for scrypt: N = 2^17, r = 8, p = 1 (128 MiB, about 0.6 s on one core here; the web function has
 * the memory for it). `PASSWORD_SCRYPT_LN` lowers N for the test suites only, which sign in hundreds of times; a
 * value outside 10..20 is ignored.
 * Two older formats still verify (hashes already in .data/): `scrypt$N$r$p$<salt>$<key>` with a 32-byte key over the
 * NFKC-normalized password (the account directory's), and the same with a 64-byte key over the raw password (the
 * staff users file's); both count as needing a rehash.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** The parameters new hashes are made with (N = 2^ln), unless PASSWORD_SCRYPT_LN says otherwise (tests). */
export const SCRYPT_PARAMS = { ln: 17, r: 8, p: 1 } as const;

/** The parameters in force: SCRYPT_PARAMS, with the test suites' lower N when PASSWORD_SCRYPT_LN asks for one. */
export function scryptParams(): Params {
  const ln = Number(globalThis.process?.env.PASSWORD_SCRYPT_LN);
  return Number.isInteger(ln) && ln >= 10 && ln <= 20 ? { ...SCRYPT_PARAMS, ln } : SCRYPT_PARAMS;
}
export const MIN_PASSWORD_LENGTH = 8;

const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** Bounds on parameters read from a stored hash, so a tampered one cannot make a sign-in take minutes or GBs. */
const MAX = { ln: 20, r: 32, p: 16 } as const;

interface Params {
  readonly ln: number;
  readonly r: number;
  readonly p: number;
}
interface Parsed extends Params {
  readonly salt: Buffer;
  readonly key: Buffer;
  /** Normalize the password to NFKC before deriving (every format but the staff file's old one). */
  readonly nfkc: boolean;
  readonly legacy: boolean;
}

function derive(password: string, salt: Buffer, { ln, r, p }: Params, keyBytes: number): Promise<Buffer> {
  const N = 2 ** ln;
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyBytes, { N, r, p, maxmem: 256 * N * r }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{16,})\$([A-Za-z0-9+/]{16,})$/;
const LEGACY = /^scrypt\$(\d{1,7})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9+/_=-]{16,})\$([A-Za-z0-9+/_=-]{40,})$/;

function inBounds({ ln, r, p }: Params): boolean {
  return ln >= 1 && ln <= MAX.ln && r >= 1 && r <= MAX.r && p >= 1 && p <= MAX.p;
}

function parse(stored: string): Parsed | undefined {
  const phc = PHC.exec(stored);
  if (phc) {
    const [, ln, r, p, salt, key] = phc;
    const params = { ln: Number(ln), r: Number(r), p: Number(p) };
    if (!inBounds(params)) return undefined;
    const parsed = {
      ...params,
      salt: Buffer.from(salt as string, 'base64'),
      key: Buffer.from(key as string, 'base64'),
    };
    return { ...parsed, nfkc: true, legacy: false };
  }
  const old = LEGACY.exec(stored);
  if (!old) return undefined;
  const [, n, r, p, salt, key] = old;
  const ln = Math.log2(Number(n));
  const params = { ln, r: Number(r), p: Number(p) };
  if (!Number.isInteger(ln) || !inBounds(params)) return undefined;
  // Node's base64 decoder reads both alphabets: the account directory wrote base64, the staff file base64url
  const bytes = Buffer.from(key as string, 'base64');
  if (bytes.length !== 32 && bytes.length !== 64) return undefined;
  return {
    ...params,
    salt: Buffer.from(salt as string, 'base64'),
    key: bytes,
    nfkc: bytes.length === 32,
    legacy: true,
  };
}

/** base64 without padding, as the PHC string format writes it. */
const b64 = (bytes: Buffer): string => bytes.toString('base64').replace(/=+$/, '');

/** A new hash of `password` with scryptParams() and a random salt. */
export async function hashPassword(password: string): Promise<string> {
  if (password.length < MIN_PASSWORD_LENGTH)
    throw new RangeError(`a password needs at least ${MIN_PASSWORD_LENGTH} characters`);
  const salt = randomBytes(SALT_BYTES);
  const params = scryptParams();
  const key = await derive(password.normalize('NFKC'), salt, params, KEY_BYTES);
  const { ln, r, p } = params;
  return `$scrypt$ln=${ln},r=${r},p=${p}$${b64(salt)}$${b64(key)}`;
}

/** True for a hash this module can verify (any of its formats); for schemas of stored users. */
export function isPasswordHash(stored: string): boolean {
  return parse(stored) !== undefined;
}

/** Constant-time check with the parameters stored in the hash. A malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const hash = parse(stored);
  if (!hash) return false;
  const key = await derive(
    hash.nfkc ? password.normalize('NFKC') : password,
    hash.salt,
    hash,
    hash.key.length,
  );
  return timingSafeEqual(key, hash.key);
}

/** True when a (verified) hash should be replaced by hashPassword's: an older format or other parameters. */
export function needsRehash(stored: string): boolean {
  const hash = parse(stored);
  if (!hash || hash.legacy) return true;
  const now = scryptParams();
  return hash.ln !== now.ln || hash.r !== now.r || hash.p !== now.p;
}

/** A real hash of a random password: verifying against it costs the same as a real user (no user enumeration). */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(24).toString('base64'));
  return dummy;
}
