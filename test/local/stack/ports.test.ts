import { describe, expect, it } from 'vitest';
import { freePortsConfig } from '../../../local/stack/config.js';
import { choosePorts, isAddressInUse, onChosenPorts, PORT_RANGES } from '../../../local/stack/ports.js';

const taken = () =>
  Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:20001'), {
    code: 'EADDRINUSE',
  });

describe('choosePorts', () => {
  it('gives each unnamed service its own port below the ephemeral range and keeps the named ones', async () => {
    // Prepare
    const config = freePortsConfig('/tmp/x');
    const named = { ...config, ports: { ...config.ports, web: 4321 } };

    // Act
    const ports = await choosePorts(named);

    // Assess
    const values = Object.values(ports);
    expect(ports.web).toBe(4321);
    expect(new Set(values).size).toBe(values.length);
    for (const port of values.filter((p) => p !== 4321)) {
      expect(port).toBeGreaterThanOrEqual(PORT_RANGES.started.from);
      expect(port).toBeLessThan(PORT_RANGES.started.to);
      expect(port).toBeLessThan(PORT_RANGES.kept.from); // never one a spawned stack keeps across its restart
    }
  });
});

describe('onChosenPorts', () => {
  it('starts again on other ports when a chosen port was taken between the choice and the bind', async () => {
    // Prepare
    const tried: Record<string, number>[] = [];
    const retried: unknown[] = [];

    // Act
    const result = await onChosenPorts(
      freePortsConfig('/tmp/x'),
      async (ports) => {
        tried.push(ports);
        if (tried.length === 1) throw new Error('web: port 20001 is already in use', { cause: taken() });
        return 'started';
      },
      { onRetry: (error) => retried.push(error) },
    );

    // Assess
    expect(result).toBe('started');
    expect(tried).toHaveLength(2);
    expect(tried[1]).not.toEqual(tried[0]);
    expect(retried).toHaveLength(1);
  });

  it('reports a clash on a port the caller named at once', async () => {
    // Prepare
    const config = freePortsConfig('/tmp/x');
    const named = {
      ...config,
      ports: Object.fromEntries(Object.keys(config.ports).map((s, i) => [s, 4000 + i])),
    };
    let calls = 0;

    // Act
    const error = await onChosenPorts(named as typeof config, async () => {
      calls++;
      throw taken();
    }).catch((e: unknown) => e);

    // Assess
    expect(isAddressInUse(error)).toBe(true);
    expect(calls).toBe(1);
  });

  it('gives up after the attempts it was allowed, and passes other errors through untouched', async () => {
    // Prepare
    let clashes = 0;
    let others = 0;
    const other = new Error('the template has no secret');

    // Act
    const clash = await onChosenPorts(
      freePortsConfig('/tmp/x'),
      async () => {
        clashes++;
        throw taken();
      },
      { attempts: 3 },
    ).catch((e: unknown) => e);
    const passed = await onChosenPorts(freePortsConfig('/tmp/x'), async () => {
      others++;
      throw other;
    }).catch((e: unknown) => e);

    // Assess
    expect(clashes).toBe(3);
    expect(isAddressInUse(clash)).toBe(true);
    expect(others).toBe(1);
    expect(passed).toBe(other);
  });
});
