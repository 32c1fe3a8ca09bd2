import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadCases } from '../../src/conformance/cases.js';
import { type compareCase, runCase } from '../../src/conformance/runner.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
/** CI has the shared folder beside the clone. */
const corpus = resolve(repo, '../shared/conformance');

/** A fixed sample of the public cases, one or two per feature area. */
const SAMPLE = [
  'cases/base/test_base.py__TestSnfBase__test_state_pass_result_jsonpaths__3d4eecd0.json',
  'cases/base/test_base.py__TestSnfBase__test_query_context_object_values__054e03d4.json',
  'cases/base/test_wait.py__TestSfnWait__test_base_wait_seconds_path_1.5__672ab5d1.json',
  'cases/scenarios/test_base_scenarios.py__TestBaseScenarios__test_map_state_nested__12786ce5.json',
  'cases/scenarios/test_base_scenarios.py__TestBaseScenarios__test_parallel_state_order__814884a9.json',
  'cases/scenarios/test_base_scenarios.py__TestBaseScenarios__test_retry_interval_features__797d4be5.json',
  'cases/callback/test_callback.py__TestCallback__test_multiple_executions_and_heartbeat_notifications_execution_history_0__74e6504c.json',
  'cases/callback/test_callback.py__TestCallback__test_start_execution_sync__473fdc3d.json',
  'cases/evaluate_jsonata/test_base_evaluate_expressions.py__TestBaseEvaluateJsonata__test_base_map_ITEMS__1a65b4f5.json',
  'cases/intrinsic_functions/test_generic.py__TestGeneric__test_nested_calls_2_exec_hist_resp_0__8872d505.json',
  'cases/assign/test_assign_reference_variables.py__TestAssignReferenceVariables__test_assign_in_choice_state_INCORRECT__2ac476ee.json',
  'cases/error_handling/test_task_lambda.py__TestTaskLambda__test_no_such_function_catch__1f63f53c.json',
];

describe('conformance runner on public cases', () => {
  const all = loadCases(corpus);
  const byPath = new Map(all.map((c) => [c.relPath, c]));

  for (const file of SAMPLE) {
    it(`passes ${file.split('__').slice(1, 3).join(' ')}`, async () => {
      const c = byPath.get(file);
      expect(c?.data, `${file} is in ${corpus}`).toBeDefined();
      const result = await runCase(c?.data as NonNullable<typeof c>['data'] & object, { strict: true });
      expect(result.difference).toBeUndefined();
      expect(result.passed).toBe(true);
    });
  }

  it('reports the first difference when the runtime does not match the recording', async () => {
    const c = byPath.get(SAMPLE[0] as string)?.data;
    expect(c).toBeDefined();
    const tampered = structuredClone(c as object) as Parameters<typeof compareCase>[0];
    tampered.expected.events = tampered.expected.events.slice(0, -1);
    const result = await runCase(tampered);
    expect(result.passed).toBe(false);
    expect(result.difference).toMatch(/^events: expected \d+, got \d+/);
  });

  it('the CLI walks a folder without a manifest, prints one line per failure and the totals, writes --out', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'conformance-cli-'));
    const out = join(folder, 'out');
    try {
      mkdirSync(join(folder, 'some', 'area'), { recursive: true });
      const files = SAMPLE.slice(0, 3);
      for (const f of files)
        copyFileSync(join(corpus, f), join(folder, 'some', 'area', f.split('/').at(-1) as string));
      const run = promisify(execFile);
      const res = await run(
        'npx',
        ['tsx', join(repo, 'packages/sfn-local/src/conformance/cli.ts'), folder, '--out', out],
        {
          cwd: repo,
        },
      );
      expect(res.stdout.trim().split('\n').at(-1)).toBe('3 passed, 0 failed');
      const written = readdirSync(out).sort();
      expect(written).toEqual(files.map((f) => f.split('/').at(-1)).sort());
      const produced = JSON.parse(readFileSync(join(out, written[0] as string), 'utf8'));
      expect(Object.keys(produced).sort()).toEqual(['cause', 'error', 'events', 'output', 'status']);
      expect(produced.events[0]).toMatchObject({ id: 1, previousEventId: 0, type: 'ExecutionStarted' });
      expect(typeof produced.events[0].executionStartedEventDetails.input).toBe('string');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
