/**
 * Which client a request counts for in the per-client limits (issue 10): IPv4 as given, IPv6 by its /64 (one
 * subscriber's prefix: changing the last 64 bits per request must not escape the limit).
 */
import { describe, expect, it } from 'vitest';
import { clientKey } from '../../web/security/client.js';

describe('clientKey', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:db8:0:0:ffff::9', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
  ])('%s counts as %s', (address, key) => {
    // Act
    const out = clientKey(address);
    // Assess
    expect(out).toBe(key);
  });
});
