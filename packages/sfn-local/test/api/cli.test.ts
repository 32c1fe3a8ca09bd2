/** The sfn-local command: flags, help, start, clean stop on SIGTERM, and clear failures. */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { parseCli, UsageError } from '../../src/cli.js';
import { spawnSfnLocal } from '../../src/process.js';

const REPO = join(import.meta.dirname, '..', '..', '..', '..');

function runCli(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(REPO, 'packages/sfn-local/src/cli.ts'), ...args],
      {
        cwd: REPO,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('parseCli', () => {
  it('reads every flag, with defaults', () => {
    expect(parseCli([])).toEqual({
      port: 8083,
      host: '127.0.0.1',
      durability: 'normal',
      recovery: 'fail',
      endpoints: {},
      verbose: false,
    });
    expect(
      parseCli([
        '--port',
        '0',
        '--host',
        '::1',
        '--data',
        'some/dir',
        '--durability',
        'full',
        '--recovery',
        'redispatch',
        '--handlers',
        'h.json',
        '--endpoint',
        'dynamodb=http://127.0.0.1:8000',
        '--endpoint',
        'sesv2=http://127.0.0.1:8005/',
        '--region',
        'eu-west-1',
        '--account-id',
        '111111111111',
        '--verbose',
      ]),
    ).toEqual({
      port: 0,
      host: '::1',
      dataDir: join(process.cwd(), 'some/dir'),
      durability: 'full',
      recovery: 'redispatch',
      handlersFile: join(process.cwd(), 'h.json'),
      endpoints: { dynamodb: 'http://127.0.0.1:8000', sesv2: 'http://127.0.0.1:8005/' },
      region: 'eu-west-1',
      accountId: '111111111111',
      verbose: true,
    });
    expect(parseCli(['--help'])).toBe('help');
  });

  it('rejects bad flags with a message that names them', () => {
    const cases: [string[], RegExp][] = [
      [['--nope'], /Unknown option '--nope'/],
      [['--port', 'abc'], /--port must be an integer from 0 to 65535, got 'abc'/],
      [['--port', '70000'], /--port must be an integer/],
      [['--endpoint', 'dynamodb'], /--endpoint must look like <service>=<http\(s\) URL>/],
      [['--endpoint', 'dynamodb=ftp://x'], /--endpoint must look like/],
      [['--account-id', '12'], /--account-id must be 12 digits/],
      [['--data', 'd', '--durability', 'fsync'], /--durability must be normal or full, got 'fsync'/],
      [['--durability', 'full'], /--durability full needs --data <dir>/],
      [['--recovery', 'retry'], /--recovery must be fail or redispatch, got 'retry'/],
      [['extra'], /Unexpected argument 'extra'/],
    ];
    for (const [argv, message] of cases) {
      expect(() => parseCli(argv), argv.join(' ')).toThrow(UsageError);
      expect(() => parseCli(argv), argv.join(' ')).toThrow(message);
    }
  });
});

describe('sfn-local process', () => {
  it('prints help and exits 0; exits 2 on a bad flag', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.output).toContain('Usage: npm run sfn-local -- [options]');
    const bad = await runCli(['--port', 'x']);
    expect(bad.code).toBe(2);
    expect(bad.output).toContain("sfn-local: --port must be an integer from 0 to 65535, got 'x'");
  });

  it('exits 1 with a clear message when the port is taken or the handlers file is missing', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const taken = await runCli(['--port', String(port)]);
      expect(taken.code).toBe(1);
      expect(taken.output).toContain(`sfn-local: Port ${port} on 127.0.0.1 is already in use`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    const missing = await runCli(['--port', '0', '--handlers', '/nonexistent/handlers.json']);
    expect(missing.code).toBe(1);
    expect(missing.output).toContain('Handlers file /nonexistent/handlers.json: not found');
  });

  it('serves the API in memory, prints the AWS CLI line, and stops cleanly on SIGTERM', async () => {
    const proc = await spawnSfnLocal();
    expect(proc.output()).toContain('(in memory)');
    expect(proc.output()).toContain(`aws stepfunctions list-state-machines --endpoint-url ${proc.url}`);
    const client = new SFNClient({
      endpoint: proc.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    expect((await client.send(new ListStateMachinesCommand({}))).stateMachines).toEqual([]);
    client.destroy();
    const exit = await proc.kill('SIGTERM');
    expect(exit.code).toBe(0);
    expect(proc.output()).toContain('sfn-local: SIGTERM received, stopping');
    expect(proc.output()).toContain('sfn-local: stopped');
  });
});
