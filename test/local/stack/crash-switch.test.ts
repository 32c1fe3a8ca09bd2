/** The crash tests' switch (local/stack/crash-switch.ts): a crash on cue, at the n-th outgoing request. */
import { once } from 'node:events';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { armCrashSwitch, crashAfterRequests } from '../../../local/stack/crash-switch.js';

/** One GET with node:http, the module the AWS SDK's Node handler sends its requests with. */
const get = (port: number) =>
  new Promise<void>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/' }, (res) => {
      res.resume();
      res.on('end', resolve);
    })
      .on('error', reject)
      .end();
  });

describe('the crash switch', () => {
  it('fires as the n-th outgoing HTTP request starts, and only then', async () => {
    // Prepare
    const server = createServer((_req, res) => res.end('ok'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const fired: number[] = [];
    let started = 0;
    armCrashSwitch(3, () => fired.push(started));

    // Act
    for (let i = 0; i < 5; i++) {
      started += 1;
      await get(port);
    }
    server.close();

    // Assess
    expect(fired).toEqual([3]);
  });

  it('reads MO_CRASH_AFTER_REQUESTS, refusing anything but a positive whole number', () => {
    expect(crashAfterRequests({})).toBeUndefined();
    expect(crashAfterRequests({ MO_CRASH_AFTER_REQUESTS: '40' })).toBe(40);
    expect(() => crashAfterRequests({ MO_CRASH_AFTER_REQUESTS: '0' })).toThrow(/positive whole number/);
    expect(() => crashAfterRequests({ MO_CRASH_AFTER_REQUESTS: 'x' })).toThrow(/MO_CRASH_AFTER_REQUESTS/);
  });
});
