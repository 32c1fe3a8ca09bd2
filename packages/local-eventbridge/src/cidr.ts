/** IP-address range matching for the `cidr` operator of event patterns (IPv4 and IPv6). */
import { isIP } from 'node:net';
import { InvalidEventPatternError } from './errors.js';

interface ParsedIp {
  readonly bits: 32 | 128;
  readonly value: bigint;
}

function parseIp(text: string): ParsedIp | undefined {
  const family = isIP(text);
  if (family === 4) {
    const value = text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
    return { bits: 32, value };
  }
  if (family === 6) {
    let head = text;
    const lastColon = text.lastIndexOf(':');
    const tail = text.slice(lastColon + 1);
    if (tail.includes('.')) {
      const v4 = parseIp(tail);
      if (!v4) return undefined;
      head = `${text.slice(0, lastColon + 1)}${(v4.value >> 16n).toString(16)}:${(v4.value & 0xffffn).toString(16)}`;
    }
    const [left = '', right] = head.split('::');
    const l = left ? left.split(':') : [];
    const r = right ? right.split(':') : [];
    const groups =
      right === undefined ? l : [...l, ...Array<string>(8 - l.length - r.length).fill('0'), ...r];
    if (groups.length !== 8) return undefined;
    const value = groups.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g, 16)), 0n);
    return { bits: 128, value };
  }
  return undefined;
}

/** Compiles `"10.0.0.0/24"` into a predicate over IP-address strings. */
export function cidrMatcher(cidr: string, path: string): (ip: string) => boolean {
  const [address = '', prefixText] = cidr.split('/');
  const base = parseIp(address);
  const prefix = prefixText === undefined ? base?.bits : Number(prefixText);
  if (!base || prefix === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > base.bits) {
    throw new InvalidEventPatternError(path, `"${cidr}" is not a CIDR block`);
  }
  const shift = BigInt(base.bits - prefix);
  const network = base.value >> shift;
  return (ip) => {
    const parsed = parseIp(ip);
    return parsed !== undefined && parsed.bits === base.bits && parsed.value >> shift === network;
  };
}
