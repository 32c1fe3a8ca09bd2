/**
 * The Lambda bundles are minified without keepNames (infra/bundling.ts): an error class that does not name itself
 * would reach the logs (and Step Functions, for errors not mapped to a workflow error) as `e`. Every error class of
 * the code that runs in Lambda therefore sets `name` to its own class name.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

describe('error classes in the bundled code', () => {
  it('each names itself', () => {
    // Prepare
    const files = ['tasks', 'web', 'workflows'].flatMap((d) => sources(join(ROOT, d)));
    // Act
    const unnamed: string[] = [];
    let classes = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^export class (\w+) extends (\w*Error) \{$/gm)) {
        classes += 1;
        const body = text.slice(m.index, m.index + 400);
        if (!body.includes(`name = '${m[1]}'`)) unnamed.push(`${file.slice(ROOT.length + 1)}: ${m[1]}`);
      }
    }
    // Assess
    expect(classes).toBeGreaterThan(10);
    expect(unnamed).toEqual([]);
  });
});
