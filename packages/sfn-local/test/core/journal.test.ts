import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Journal, type JournalItem } from '../../src/store/journal.js';

const item = (arn: string, events?: string): JournalItem => ({
  arn,
  isNew: true,
  rec: { sm: 'sm', status: 'RUNNING', start: 1, def: 'h', data: '{}' },
  ...(events ? { ev: [1, 2, events] as [number, number, string] } : {}),
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sfn-journal-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('write-ahead journal', () => {
  it('gives back every complete commit after a restart, history batches included', async () => {
    // Prepare
    const path = join(dir, 'journal.log');
    const journal = new Journal(path, { sync: false });
    journal.append([item('a', '{"v":4,"e":"x\\"y"}'), item('b')]);
    journal.append([item('c', '{"v":4}')]);
    journal.close();

    // Act
    const reopened = new Journal(path, { sync: false });

    // Assess
    expect(reopened.recovered).toEqual([
      [item('a', '{"v":4,"e":"x\\"y"}'), item('b')],
      [item('c', '{"v":4}')],
    ]);
    reopened.close();
  });

  it('drops a commit cut short by a crash (its batch line incomplete) and stops at a damaged line', async () => {
    // Prepare
    const path = join(dir, 'journal.log');
    const journal = new Journal(path, { sync: false });
    journal.append([item('a', '{"v":4}')]);
    journal.close();
    const whole = await readFile(path, 'utf8');
    await writeFile(path, `${whole}${JSON.stringify([{ ...item('b'), ev: [1, 2] }])}\n{"v":4,"e":[`);
    const damaged = join(dir, 'damaged.log');
    await writeFile(damaged, `${whole}[{"arn":\n${whole}`);

    // Act
    const torn = new Journal(path, { sync: false });
    const stopped = new Journal(damaged, { sync: false });

    // Assess
    expect(torn.recovered).toEqual([[item('a', '{"v":4}')]]);
    expect(stopped.recovered).toEqual([[item('a', '{"v":4}')]]);
    torn.close();
    stopped.close();
  });

  it('is empty after reset', async () => {
    // Prepare
    const path = join(dir, 'journal.log');
    const journal = new Journal(path, { sync: true });
    journal.append([item('a', '{"v":4}')]);

    // Act
    journal.reset();
    journal.close();

    // Assess
    expect(await readFile(path, 'utf8')).toBe('');
    const reopened = new Journal(path, { sync: false });
    expect(reopened.recovered).toEqual([]);
    reopened.close();
  });
});
