import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HandlersFileError, loadHandlersFile } from '../../src/dispatch/index.js';

let dir: string;
const fixture = join(import.meta.dirname, 'fixtures', 'functions.ts');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'handlers-file-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function handlersFile(name: string, content: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('loadHandlersFile', () => {
  it('loads the named exports, with paths relative to the file and #handler as the default', async () => {
    const rel = relative(dir, fixture);
    const file = await handlersFile('ok.json', {
      greet: `${rel}#greet`,
      'arn:aws:lambda:us-east-1:123456789012:function:other': rel,
    });
    const handlers = await loadHandlersFile(file);
    expect(Object.keys(handlers)).toEqual(['greet', 'arn:aws:lambda:us-east-1:123456789012:function:other']);
    const context = {} as never;
    expect(await handlers.greet?.({ who: 'Ada' }, context, () => undefined)).toEqual({
      greeting: 'hello Ada',
    });
    expect(
      await handlers['arn:aws:lambda:us-east-1:123456789012:function:other']?.({}, context, () => undefined),
    ).toBe('default export name');
  });

  it('explains a missing file, bad JSON, a bad entry, a missing module, a missing export and a non-function', async () => {
    const rel = relative(dir, fixture);
    const cases: [string, unknown, RegExp][] = [
      ['missing.json', undefined, /missing\.json: not found/],
      ['bad.json', '{ nope', /bad\.json is not valid JSON/],
      ['entry.json', { f: 42 }, /entry\.json at "f": /],
      [
        'nomodule.json',
        { f: './no-such-module.mjs#x' },
        /cannot load module .*no-such-module\.mjs for function "f"/,
      ],
      [
        'noexport.json',
        { f: `${rel}#missing` },
        /has no export "missing" for function "f" \(exports: .*greet.*\)/,
      ],
      ['notfn.json', { f: `${rel}#notAFunction` }, /export "notAFunction" .* is a number, not a function/],
    ];
    for (const [name, content, message] of cases) {
      const path = content === undefined ? join(dir, name) : await handlersFile(name, content);
      const error = await loadHandlersFile(path).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, name).toBeInstanceOf(HandlersFileError);
      expect((error as Error).message, name).toMatch(message);
    }
  });
});
