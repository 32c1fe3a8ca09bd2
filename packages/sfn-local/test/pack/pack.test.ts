/**
 * The package as a user gets it: `npm pack` (which builds dist/ with tsc), `npm install <tgz>` into an empty folder
 * (dependencies from the npm registry, or npm's cache), then `npx sfn-local --port 0` answers ListStateMachines over
 * loopback. Install scripts are skipped to keep this bounded: better-sqlite3's would download or compile its native
 * addon (minutes without access to its prebuilt binaries), which only `--data` needs; in memory needs none.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it } from 'vitest';

const PACKAGE = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);
const INSTALL_TIMEOUT_MS = 120_000;

function serve(folder: string): Promise<{ child: ChildProcess; url: string }> {
  // its own process group: npx runs sfn-local as a child of its own, and both must stop with the test
  const child = spawn('npx', ['--no-install', 'sfn-local', '--port', '0'], {
    cwd: folder,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sfn-local did not start:\n${output}`)), 30_000);
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ child, url });
      }
    });
    child.once('exit', (code) => reject(new Error(`sfn-local exited (${code}):\n${output}`)));
  });
}

describe('npm pack of sfn-local', () => {
  const folder = mkdtempSync(join(tmpdir(), 'sfn-local-pack-'));
  let server: ChildProcess | undefined;
  afterAll(() => {
    // the whole group (npx and the sfn-local it started), not only npx: a killed npx leaves its child running
    if (server?.pid) {
      try {
        process.kill(-server.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(folder, { recursive: true, force: true });
  });

  it(
    'installs into an empty folder and `npx sfn-local --port` serves the Step Functions API',
    async () => {
      // Prepare
      await run('npm', ['pack', '--pack-destination', folder], { cwd: PACKAGE });
      const tarball = readdirSync(folder).find((name) => name.endsWith('.tgz'));
      expect(tarball).toBeDefined();
      writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: 'try-sfn-local', private: true }));
      await run(
        'npm',
        [
          'install',
          `./${tarball}`,
          '--prefer-offline',
          '--ignore-scripts',
          '--no-audit',
          '--no-fund',
          '--no-package-lock',
        ],
        { cwd: folder, timeout: INSTALL_TIMEOUT_MS },
      );

      // Act
      const started = await serve(folder);
      server = started.child;
      const client = new SFNClient({
        endpoint: started.url,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
      const listed = await client.send(new ListStateMachinesCommand({}));

      // Assess
      expect(listed.stateMachines).toEqual([]);
      expect(
        readdirSync(join(folder, 'node_modules', '@marketplace-onboarding', 'sfn-local', 'dist')),
      ).toContain('bin.js');
    },
    INSTALL_TIMEOUT_MS + 60_000,
  );
});
