import net from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  freePortsConfig,
  hostOf,
  resolveConfig,
  SERVICE_NAMES,
} from '../../../local/stack/config.js';
import { assertPortsFree } from '../../../local/stack/ports.js';

describe('resolveConfig', () => {
  it('uses the defaults with no flags and no environment', () => {
    const config = resolveConfig([], {}, '/repo');
    expect(config).toMatchObject({
      host: '127.0.0.1',
      dataDir: '/repo/.data',
      ports: { web: 3000, states: 8083, dynamodb: 8000 },
    });
  });

  it('lets flags win over the environment', () => {
    // Act
    const config = resolveConfig(
      ['--states-port', '9000', '--data=/tmp/x'],
      { MO_PORT_STATES: '9100', MO_PORT_WEB: '4000' },
      '/repo',
    );

    // Assess
    expect(config).toMatchObject({ ports: { states: 9000, web: 4000 }, dataDir: '/tmp/x' });
  });

  it.each([
    [['--states-port', 'abc'], /port of states \("abc"\) must be a number/],
    [['--web-port', '70000'], /port of web \("70000"\) must be between 0 and 65535/],
    [['--nope', '1'], /unknown option --nope/],
    [['--data'], /--data needs a value/],
    [['stray'], /unexpected argument "stray"/],
    [['--vendor', 'scim'], /--vendor must be sample or built-in \(got "scim"\)/],
    [['--vendor-url', 'http://saas.example.com'], /--vendor-url must be an https URL, or http on loopback/],
    [['--vendor-url', 'not a url'], /--vendor-url must be an https URL/],
    [
      ['--vendor', 'sample', '--vendor-url', 'https://saas.example.com'],
      /--vendor-url replaces the sample SaaS/,
    ],
    [
      ['--web-port', '8083'],
      /states and web are both set to port 8083|web and states are both set to port 8083/,
    ],
  ])('rejects %j with a message naming it', (argv, message) => {
    expect(() => resolveConfig(argv, {}, '/repo')).toThrow(message);
  });

  it('runs the sample SaaS by default; the built-in directory or your own API on request', () => {
    // Act
    const byDefault = resolveConfig([], {}, '/repo');
    const builtIn = resolveConfig([], { MO_VENDOR: 'built-in' }, '/repo');
    const yours = resolveConfig(['--vendor-url', 'http://127.0.0.1:5000/provisioning'], {}, '/repo');
    // Assess
    expect(byDefault).toMatchObject({ vendor: 'sample' });
    expect(builtIn).toMatchObject({ vendor: 'built-in' });
    expect(yours).toMatchObject({ vendor: 'built-in', vendorUrl: 'http://127.0.0.1:5000/provisioning' });
  });

  it('runs the functions from their bundles with --artifacts or MO_ARTIFACTS=1 only', () => {
    // Act
    const sources = resolveConfig([], {}, '/repo');
    const flag = resolveConfig(['--artifacts'], {}, '/repo');
    const env = resolveConfig([], { MO_ARTIFACTS: '1' }, '/repo');

    // Assess
    expect(sources !== 'help' && sources.artifacts).toBeFalsy();
    expect(flag !== 'help' && flag.artifacts).toBe(true);
    expect(env !== 'help' && env.artifacts).toBe(true);
  });

  it('--host binds only what people open; the AWS API stand-ins stay on loopback', () => {
    // Act
    const config = resolveConfig(['--host', '0.0.0.0'], {}, '/repo');
    if (config === 'help') throw new Error('unexpected');
    const hosts = Object.fromEntries(SERVICE_NAMES.map((s) => [s, hostOf(config, s)]));
    // Assess
    expect(hosts).toEqual({
      web: '0.0.0.0',
      marketplace: '0.0.0.0',
      ses: '0.0.0.0',
      saas: '0.0.0.0',
      states: '127.0.0.1',
      dynamodb: '127.0.0.1',
      events: '127.0.0.1',
      s3: '127.0.0.1',
      secrets: '127.0.0.1',
    });
  });

  it('answers help', () => {
    expect(resolveConfig(['--help'], {})).toBe('help');
  });
});

describe('assertPortsFree', () => {
  it('names the taken port and the flag that moves it', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const config = resolveConfig([], {}, '/repo');
      if (config === 'help') throw new Error('unexpected');
      const free = freePortsConfig('/repo');
      const error = await assertPortsFree({ ...free, ports: { ...free.ports, states: port } }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain(`port ${port} (Step Functions API) is already taken`);
      expect((error as Error).message).toContain('--states-port');
    } finally {
      blocker.close();
    }
  });
});
