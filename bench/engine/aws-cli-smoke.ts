/**
 * Smoke check of sfn-local with the AWS CLI (`npx tsx bench/engine/aws-cli-smoke.ts`): starts sfn-local on a free
 * port (in memory) and runs `aws stepfunctions ... --endpoint-url` commands, checking what the CLI parsed.
 * Needs the `aws` command; exits 1 with a message when it is missing or a check fails.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { spawnSfnLocal } from '@marketplace-onboarding/sfn-local/process';

const run = promisify(execFile);
const env = {
  ...process.env,
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_DEFAULT_REGION: 'us-east-1',
};

async function aws(
  url: string,
  args: string[],
): Promise<{ ok: boolean; json: Record<string, unknown>; stderr: string }> {
  try {
    const { stdout } = await run(
      'aws',
      ['stepfunctions', ...args, '--endpoint-url', url, '--output', 'json'],
      { env },
    );
    return { ok: true, json: stdout.trim() ? JSON.parse(stdout) : {}, stderr: '' };
  } catch (error) {
    return { ok: false, json: {}, stderr: String((error as { stderr?: string }).stderr ?? error) };
  }
}

try {
  const { stdout } = await run('aws', ['--version'], { env });
  console.log(`using ${stdout.trim()}`);
} catch {
  console.error('aws-cli-smoke: the `aws` command is not available here');
  process.exit(1);
}

const proc = await spawnSfnLocal();
const failures: string[] = [];
const check = (what: string, condition: boolean, detail?: unknown) => {
  console.log(`${condition ? 'ok  ' : 'FAIL'} ${what}`);
  if (!condition) failures.push(`${what}: ${JSON.stringify(detail)}`);
};
try {
  const definition = JSON.stringify({
    StartAt: 'Wait',
    States: {
      Wait: { Type: 'Wait', Seconds: 1, Next: 'Done' },
      Done: { Type: 'Pass', Result: { done: true }, End: true },
    },
  });
  const created = await aws(proc.url, [
    'create-state-machine',
    '--name',
    'cli-smoke',
    '--role-arn',
    'arn:aws:iam::123456789012:role/local',
    '--definition',
    definition,
  ]);
  const machine = created.json.stateMachineArn as string;
  check('create-state-machine', created.ok && typeof machine === 'string', created);
  const listed = await aws(proc.url, ['list-state-machines']);
  check('list-state-machines', listed.ok && JSON.stringify(listed.json).includes('cli-smoke'), listed);
  const started = await aws(proc.url, [
    'start-execution',
    '--state-machine-arn',
    machine,
    '--name',
    'one',
    '--input',
    '{"a":1}',
  ]);
  const execution = started.json.executionArn as string;
  check('start-execution', started.ok && typeof started.json.startDate === 'number', started);
  const again = await aws(proc.url, [
    'start-execution',
    '--state-machine-arn',
    machine,
    '--name',
    'one',
    '--input',
    '{"a":2}',
  ]);
  check(
    'start-execution, same name: ExecutionAlreadyExists',
    !again.ok && again.stderr.includes('(ExecutionAlreadyExists)'),
    again,
  );
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const described = await aws(proc.url, ['describe-execution', '--execution-arn', execution]);
  check('describe-execution: SUCCEEDED', described.json.status === 'SUCCEEDED', described);
  const executions = await aws(proc.url, [
    'list-executions',
    '--state-machine-arn',
    machine,
    '--status-filter',
    'SUCCEEDED',
  ]);
  check(
    'list-executions --status-filter',
    (executions.json.executions as unknown[] | undefined)?.length === 1,
    executions,
  );
  const history = await aws(proc.url, [
    'get-execution-history',
    '--execution-arn',
    execution,
    '--reverse-order',
  ]);
  const events = (history.json.events ?? []) as { type: string }[];
  check('get-execution-history --reverse-order', events[0]?.type === 'ExecutionSucceeded', history);
  const badToken = await aws(proc.url, ['send-task-success', '--task-token', 'nope', '--task-output', '{}']);
  check(
    'send-task-success, bad token: InvalidToken',
    !badToken.ok && badToken.stderr.includes('(InvalidToken)'),
    badToken,
  );
  const tagged = await aws(proc.url, [
    'tag-resource',
    '--resource-arn',
    machine,
    '--tags',
    'key=team,value=sales',
  ]);
  const tags = await aws(proc.url, ['list-tags-for-resource', '--resource-arn', machine]);
  check(
    'tag-resource / list-tags-for-resource',
    tagged.ok && JSON.stringify(tags.json).includes('sales'),
    tags,
  );
  const missing = await aws(proc.url, [
    'describe-state-machine',
    '--state-machine-arn',
    'arn:aws:states:us-east-1:123456789012:stateMachine:none',
  ]);
  check(
    'describe-state-machine, unknown: StateMachineDoesNotExist',
    missing.stderr.includes('(StateMachineDoesNotExist)'),
    missing,
  );
} finally {
  await proc.kill('SIGTERM');
}
if (failures.length > 0) {
  console.error(`\n${failures.length} check(s) failed:\n${failures.join('\n')}`);
  process.exit(1);
}
console.log('\nAWS CLI smoke check passed');
