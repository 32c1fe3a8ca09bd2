/**
 * The layer rules of .dependency-cruiser.cjs (run on the whole tree by `npm run depcruise`, part of `npm test`),
 * exercised on a small tree written here: each import that breaks a boundary is reported under its rule, the
 * imports the layering allows are not. So a new boundary-breaking import fails `npm test`.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { cruise, type IConfiguration, type ICruiseResult } from 'dependency-cruiser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const config = createRequire(import.meta.url)(join(ROOT, '.dependency-cruiser.cjs')) as IConfiguration;

/** Module path → what it imports (relative specifiers, or an npm package the repository has installed). */
const ALLOWED: Record<string, string[]> = {
  'tasks/domain/rules.ts': ['../../workflows/contracts/stages.js'],
  'tasks/ports/port.ts': ['../domain/rules.js'],
  'tasks/use-cases/start.ts': [
    '../domain/rules.js',
    '../ports/port.js',
    '../../workflows/contracts/stages.js',
  ],
  'tasks/adapters/aws/client.ts': ['@aws-sdk/client-sfn', '../../ports/port.js', '../../domain/rules.js'],
  'tasks/handlers/start.ts': ['../use-cases/start.js', '../adapters/aws/client.js'],
  'workflows/contracts/stages.ts': ['zod'],
  'workflows/onboarding-workflow.ts': ['aws-cdk-lib', './contracts/stages.js'],
  'web/app.ts': ['../tasks/use-cases/start.js', '../workflows/contracts/stages.js'],
  'web/bootstrap.ts': ['../tasks/adapters/aws/client.js', './app.js'],
  'cli/run.ts': ['../tasks/use-cases/start.js', '../tasks/adapters/aws/client.js'],
  'infra/stack.ts': [
    'aws-cdk-lib',
    '../workflows/onboarding-workflow.js',
    '../workflows/contracts/stages.js',
  ],
  'packages/sfn-local/src/index.ts': ['./api/context.js', '@aws-sdk/client-sfn'],
  // a cycle closed by a type-only import (paging.ts imports context.ts back, below): erased at run time, allowed
  'packages/sfn-local/src/api/context.ts': ['type:./paging.js'],
  'local/stack/boot.ts': ['../../packages/sfn-local/src/index.js', '../../web/bootstrap.js'],
  'local/in-memory/run.ts': ['../../packages/sfn-local/src/index.js', '../../tasks/use-cases/start.js'],
  'bench/web.ts': ['../local/in-memory/run.js', '../web/app.js'],
  'test/web.test.ts': ['../local/in-memory/run.js', '../web/app.js', '../tasks/domain/rules.js'],
};

/** Each breaks a boundary; the rules expected to report it (some imports break two). */
const FORBIDDEN: Record<string, { imports: string[]; rules: string[] }> = {
  'tasks/domain/uses-sdk.ts': {
    imports: ['@aws-sdk/client-sfn'],
    rules: ['domain-is-pure', 'sdk-only-in-adapters'],
  },
  'tasks/domain/uses-adapter.ts': { imports: ['../adapters/aws/client.js'], rules: ['domain-is-pure'] },
  'tasks/ports/uses-adapter.ts': {
    imports: ['../adapters/aws/client.js'],
    rules: ['ports-import-no-adapters'],
  },
  'tasks/use-cases/uses-adapter.ts': {
    imports: ['../adapters/aws/client.js'],
    rules: ['use-cases-import-no-adapters'],
  },
  'tasks/adapters/aws/uses-use-case.ts': {
    imports: ['../../use-cases/start.js'],
    rules: ['adapters-below-use-cases'],
  },
  'tasks/handlers/web.ts': { imports: ['../../web/app.js'], rules: ['tasks-import-nothing-above'] },
  'workflows/contracts/uses-tasks.ts': {
    imports: ['../../tasks/domain/rules.js'],
    rules: ['contracts-are-plain', 'workflows-import-no-app'],
  },
  'workflows/uses-handlers.ts': {
    imports: ['../tasks/handlers/start.js'],
    rules: ['workflows-import-no-app'],
  },
  'cli/uses-web.ts': { imports: ['../web/app.js'], rules: ['web-and-cli-apart'] },
  'web/uses-cli.ts': { imports: ['../cli/run.js'], rules: ['web-and-cli-apart'] },
  'web/uses-sdk.ts': { imports: ['@aws-sdk/client-sfn'], rules: ['sdk-only-in-adapters'] },
  'web/uses-emulator.ts': {
    imports: ['../packages/sfn-local/src/index.js'],
    rules: ['app-imports-no-emulator'],
  },
  'infra/uses-old-emulator.ts': {
    imports: ['../local/states/runtime.js'],
    rules: ['app-imports-no-emulator'],
  },
  'packages/sfn-local/src/uses-app.ts': {
    imports: ['../../../tasks/domain/rules.js'],
    rules: ['emulators-import-no-app'],
  },
  'packages/sfn-local/src/uses-stack.ts': {
    imports: ['../../../local/stack/boot.js'],
    rules: ['emulators-import-no-app'],
  },
  'bench/uses-test.ts': { imports: ['../test/web.test.js'], rules: ['bench-and-test-apart'] },
  'test/uses-bench.ts': { imports: ['../bench/web.js'], rules: ['bench-and-test-apart'] },
  // a new cycle, and one through the exempt modules of sfn-local: both reported
  'tasks/domain/cycle-a.ts': { imports: ['./cycle-b.js'], rules: ['no-circular'] },
  'tasks/domain/cycle-b.ts': { imports: ['./cycle-a.js'], rules: [] }, // a cycle is reported once, at its first module
  // paging.ts closes the type-only cycle with context.ts, and a run-time one through routes.ts: that one is reported
  'packages/sfn-local/src/api/paging.ts': {
    imports: ['./context.js', './routes.js'],
    rules: ['no-circular'],
  },
  'packages/sfn-local/src/api/routes.ts': { imports: ['./paging.js'], rules: [] },
  'web/uses-local.ts': { imports: ['../local/in-memory/run.js'], rules: ['app-imports-no-emulator'] },
};

function write(dir: string, path: string, imports: readonly string[]): void {
  const file = join(dir, path);
  mkdirSync(dirname(file), { recursive: true });
  const lines = imports.map((spec, i) =>
    spec.startsWith('type:')
      ? `import type * as m${i} from '${spec.slice('type:'.length)}';\nexport type U${i} = typeof m${i};`
      : `import * as m${i} from '${spec}';\nexport const u${i} = m${i};`,
  );
  writeFileSync(file, `${lines.join('\n')}\nexport const here = ${JSON.stringify(path)};\n`);
}

let dir: string;
let result: ICruiseResult;

beforeAll(async () => {
  // Prepare: the tree, with the repository's node_modules for the npm imports
  dir = mkdtempSync(join(tmpdir(), 'depcruise-rules-'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const [path, imports] of Object.entries(ALLOWED)) write(dir, path, imports);
  for (const [path, { imports }] of Object.entries(FORBIDDEN)) write(dir, path, imports);
  write(dir, 'local/states/runtime.ts', []);
  // Act
  const { options } = config;
  const out = await cruise(
    ['tasks', 'workflows', 'web', 'cli', 'infra', 'local', 'packages', 'bench', 'test'],
    {
      validate: true,
      ruleSet: { forbidden: config.forbidden ?? [] },
      baseDir: dir,
      ...(options?.doNotFollow ? { doNotFollow: options.doNotFollow } : {}),
      tsPreCompilationDeps: true,
      ...(options?.enhancedResolveOptions ? { enhancedResolveOptions: options.enhancedResolveOptions } : {}),
    },
  );
  result = out.output as ICruiseResult;
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the dependency rules (.dependency-cruiser.cjs)', () => {
  it('reports every boundary-breaking import under its rule, and nothing the layering allows', () => {
    // Assess
    const reported = result.summary.violations.map((v) => `${v.rule.name}: ${v.from}`);
    const expected = Object.entries(FORBIDDEN).flatMap(([path, { rules }]) =>
      rules.map((r) => `${r}: ${path}`),
    );
    expect(new Set(reported)).toEqual(new Set(expected));
    expect(reported).toHaveLength(expected.length);
    expect(result.summary.violations.every((v) => v.rule.severity === 'error')).toBe(true);
  });

  it('counts them as errors, so depcruise exits non-zero and `npm test` stops', () => {
    // Assess
    const expected = Object.values(FORBIDDEN).flatMap(({ rules }) => rules);
    expect(result.summary.error).toBe(expected.length);
  });
});
