/**
 * Drives every one of the 37 Step Functions API actions against sfn-local, twice: through @aws-sdk/client-sfn, then
 * through the AWS CLI (`AWS_CLI`, default `/usr/bin/aws`, Debian's awscli) for the actions that CLI knows
 * (`aws stepfunctions help`). Each action gets the same input both ways (`--cli-input-json`); an action passes when
 * it answers what the scenario expects (a result, or the named AWS error).
 *
 *   npx tsx packages/sfn-local/scripts/all-actions.ts
 *
 * Prints one line per action and driver and a summary; exits 1 when an expectation fails.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as sfn from '@aws-sdk/client-sfn';
import { startStatesServer } from '../src/http/index.js';
import { createLocalStepFunctions } from '../src/runtime.js';
import { STATES_API_OPERATIONS } from '../src/service.js';

type Json = Record<string, unknown>;
type Outcome = { ok: true; out: Json } | { ok: false; error: string; message: string };
type Driver = (action: string, input: Json) => Promise<Outcome>;

interface Step {
  action: keyof typeof STATES_API_OPERATIONS;
  input: (c: Ctx) => Json;
  /** The AWS error the action is expected to answer (otherwise a result). */
  error?: string;
  /** What the AWS CLI answers instead, with the reason. */
  cli?: { error: string; why: string };
  after?: (out: Json, c: Ctx) => void;
}

interface Ctx {
  p: string;
  activityArn?: string;
  smArn?: string;
  aliasArn?: string;
  execArn?: string;
  failedArn?: string;
  runningArn?: string;
  expressArn?: string;
  mapSmArn?: string;
  mapExecArn?: string;
  mapRunArn?: string;
  token?: string;
}

const ROLE = 'arn:aws:iam::123456789012:role/sfn-local';
const activityDefinition = (activityArn: string) =>
  JSON.stringify({ StartAt: 'Work', States: { Work: { Type: 'Task', Resource: activityArn, End: true } } });
const mapDefinition = JSON.stringify({
  StartAt: 'Each',
  States: {
    Each: {
      Type: 'Map',
      MaxConcurrency: 1,
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'Hold',
        States: { Hold: { Type: 'Wait', Seconds: 3600, End: true } },
      },
      End: true,
    },
  },
});

const steps: Step[] = [
  {
    action: 'CreateActivity',
    input: (c) => ({ name: `${c.p}-worker` }),
    after: (o, c) => {
      c.activityArn = String(o.activityArn);
    },
  },
  { action: 'DescribeActivity', input: (c) => ({ activityArn: c.activityArn }) },
  { action: 'ListActivities', input: () => ({ maxResults: 10 }) },
  {
    action: 'CreateStateMachine',
    input: (c) => ({
      name: `${c.p}-sm`,
      definition: activityDefinition(String(c.activityArn)),
      roleArn: ROLE,
    }),
    after: (o, c) => {
      c.smArn = String(o.stateMachineArn);
    },
  },
  { action: 'DescribeStateMachine', input: (c) => ({ stateMachineArn: c.smArn }) },
  { action: 'ListStateMachines', input: () => ({}) },
  { action: 'UpdateStateMachine', input: (c) => ({ stateMachineArn: c.smArn, roleArn: `${ROLE}-2` }) },
  {
    action: 'PublishStateMachineVersion',
    input: (c) => ({ stateMachineArn: c.smArn, description: 'first' }),
  },
  { action: 'ListStateMachineVersions', input: (c) => ({ stateMachineArn: c.smArn }) },
  {
    action: 'CreateStateMachineAlias',
    input: (c) => ({
      name: 'live',
      routingConfiguration: [{ stateMachineVersionArn: `${c.smArn}:1`, weight: 100 }],
    }),
    after: (o, c) => {
      c.aliasArn = String(o.stateMachineAliasArn);
    },
  },
  {
    action: 'UpdateStateMachineAlias',
    input: (c) => ({ stateMachineAliasArn: c.aliasArn, description: 'prod' }),
  },
  { action: 'DescribeStateMachineAlias', input: (c) => ({ stateMachineAliasArn: c.aliasArn }) },
  { action: 'ListStateMachineAliases', input: (c) => ({ stateMachineArn: c.smArn }) },
  {
    action: 'ValidateStateMachineDefinition',
    input: (c) => ({ definition: activityDefinition(String(c.activityArn)) }),
  },
  {
    action: 'StartExecution',
    input: (c) => ({ stateMachineArn: c.aliasArn ?? c.smArn, name: 'ok', input: '{"n":1}' }),
    after: (o, c) => {
      c.execArn = String(o.executionArn);
    },
  },
  {
    action: 'GetActivityTask',
    input: (c) => ({ activityArn: c.activityArn, workerName: 'w1' }),
    after: (o, c) => {
      c.token = String(o.taskToken);
    },
  },
  { action: 'SendTaskHeartbeat', input: (c) => ({ taskToken: c.token }) },
  { action: 'SendTaskSuccess', input: (c) => ({ taskToken: c.token, output: '{"done":true}' }) },
  { action: 'DescribeExecution', input: (c) => ({ executionArn: c.execArn }) },
  { action: 'GetExecutionHistory', input: (c) => ({ executionArn: c.execArn, reverseOrder: true }) },
  { action: 'ListExecutions', input: (c) => ({ stateMachineArn: c.smArn }) },
  { action: 'DescribeStateMachineForExecution', input: (c) => ({ executionArn: c.execArn }) },
  {
    action: 'StartExecution',
    input: (c) => ({ stateMachineArn: c.smArn, name: 'fails' }),
    after: (o, c) => {
      c.failedArn = String(o.executionArn);
    },
  },
  {
    action: 'GetActivityTask',
    input: (c) => ({ activityArn: c.activityArn }),
    after: (o, c) => {
      c.token = String(o.taskToken);
    },
  },
  {
    action: 'SendTaskFailure',
    input: (c) => ({ taskToken: c.token, error: 'Rejected', cause: 'by the script' }),
  },
  {
    action: 'RedriveExecution',
    input: (c) => ({ executionArn: c.failedArn }),
  },
  {
    action: 'StartExecution',
    input: (c) => ({ stateMachineArn: c.smArn, name: 'stopped' }),
    after: (o, c) => {
      c.runningArn = String(o.executionArn);
    },
  },
  { action: 'StopExecution', input: (c) => ({ executionArn: c.runningArn, error: 'Stop', cause: 'script' }) },
  { action: 'TagResource', input: (c) => ({ resourceArn: c.smArn, tags: [{ key: 'team', value: 'ops' }] }) },
  { action: 'ListTagsForResource', input: (c) => ({ resourceArn: c.smArn }) },
  { action: 'UntagResource', input: (c) => ({ resourceArn: c.smArn, tagKeys: ['team'] }) },
  {
    action: 'CreateStateMachine',
    input: (c) => ({
      name: `${c.p}-express`,
      type: 'EXPRESS',
      roleArn: ROLE,
      definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }),
    }),
    after: (o, c) => {
      c.expressArn = String(o.stateMachineArn);
    },
  },
  {
    action: 'StartSyncExecution',
    input: (c) => ({ stateMachineArn: c.expressArn, input: '{"sync":true}' }),
    cli: {
      error: 'CliError',
      why: 'the CLI puts the endpoint prefix `sync-` before the --endpoint-url host and has no switch to turn it off',
    },
  },
  {
    action: 'CreateStateMachine',
    input: (c) => ({ name: `${c.p}-map`, definition: mapDefinition, roleArn: ROLE }),
    after: (o, c) => {
      c.mapSmArn = String(o.stateMachineArn);
    },
  },
  {
    action: 'StartExecution',
    input: (c) => ({ stateMachineArn: c.mapSmArn, input: '[1,2,3]' }),
    after: (o, c) => {
      c.mapExecArn = String(o.executionArn);
    },
  },
  {
    action: 'ListMapRuns',
    input: (c) => ({ executionArn: c.mapExecArn }),
    after: (o, c) => {
      c.mapRunArn = String((o.mapRuns as Json[] | undefined)?.[0]?.mapRunArn);
    },
  },
  { action: 'DescribeMapRun', input: (c) => ({ mapRunArn: c.mapRunArn }) },
  { action: 'UpdateMapRun', input: (c) => ({ mapRunArn: c.mapRunArn, maxConcurrency: 2 }) },
  { action: 'StopExecution', input: (c) => ({ executionArn: c.mapExecArn }) },
  {
    action: 'TestState',
    input: () => ({ definition: JSON.stringify({ Type: 'Pass', Result: { x: 1 }, End: true }), input: '{}' }),
  },
  { action: 'DeleteStateMachineAlias', input: (c) => ({ stateMachineAliasArn: c.aliasArn }) },
  { action: 'DeleteStateMachineVersion', input: (c) => ({ stateMachineVersionArn: `${c.smArn}:1` }) },
  { action: 'DeleteStateMachine', input: (c) => ({ stateMachineArn: c.smArn }) },
  { action: 'DeleteActivity', input: (c) => ({ activityArn: c.activityArn }) },
];

async function scenario(name: 'sdk' | 'cli', prefix: string, drive: Driver, known: (a: string) => boolean) {
  const ctx: Ctx = { p: prefix };
  const driven = new Set<string>();
  const failures: string[] = [];
  for (const step of steps) {
    if (!known(step.action)) continue;
    const input = JSON.parse(JSON.stringify(step.input(ctx))) as Json;
    const outcome = await drive(step.action, input);
    const expected = name === 'cli' && step.cli ? step.cli.error : step.error;
    const ok = expected ? !outcome.ok && outcome.error === expected : outcome.ok;
    driven.add(step.action);
    const note = name === 'cli' && step.cli ? ` (expected: ${step.cli.why})` : '';
    const what = (outcome.ok ? 'ok' : `${outcome.error}: ${outcome.message.slice(0, 120)}`) + note;
    console.log(`${ok ? 'pass' : 'FAIL'} ${name.padEnd(4)} ${step.action.padEnd(32)} ${what}`);
    if (!ok) failures.push(`${name} ${step.action}: ${what}`);
    if (outcome.ok) step.after?.(outcome.out, ctx);
  }
  return { driven, failures };
}

// -----------------------------------------------------------------------------------------------------------------

const runtime = await createLocalStepFunctions({ dispatcher: { dispatch: async () => ({}) } });
const server = await startStatesServer({ service: runtime, port: 0 });
const client = new sfn.SFNClient({
  endpoint: server.url,
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  maxAttempts: 1,
  // StartSyncExecution's endpoint prefix `sync-` would otherwise be put before the local host name.
  disableHostPrefix: true,
});

const sdk: Driver = async (action, input) => {
  const Command = (sfn as unknown as Record<string, new (i: Json) => sfn.StartExecutionCommand>)[
    `${action}Command`
  ];
  if (!Command) return { ok: false, error: 'NoSuchCommand', message: action };
  try {
    return { ok: true, out: (await client.send(new Command(input))) as unknown as Json };
  } catch (e) {
    return { ok: false, error: (e as Error).name, message: (e as Error).message };
  }
};

const run = promisify(execFile);
const cli = process.env.AWS_CLI ?? '/usr/bin/aws';
const home = mkdtempSync(join(tmpdir(), 'sfn-local-cli-'));
const config = join(home, 'config');
writeFileSync(config, '[default]\nregion = us-east-1\n');
const env = {
  ...process.env,
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_CONFIG_FILE: config,
  AWS_PAGER: '',
};
const kebab = (action: string) => action.replace(/[A-Z]/g, (m, i) => `${i ? '-' : ''}${m.toLowerCase()}`);
const awsCli: Driver = async (action, input) => {
  const args = ['stepfunctions', kebab(action), '--cli-input-json', JSON.stringify(input)];
  try {
    const { stdout } = await run(cli, [...args, '--endpoint-url', server.url, '--output', 'json'], { env });
    return { ok: true, out: stdout.trim() ? (JSON.parse(stdout) as Json) : {} };
  } catch (e) {
    const stderr = String((e as { stderr?: string }).stderr ?? e);
    const m = /An error occurred \((\w+)\)/.exec(stderr);
    return { ok: false, error: m?.[1] ?? 'CliError', message: stderr.trim().split('\n').at(-1) ?? '' };
  }
};

let exitCode = 0;
try {
  const viaSdk = await scenario('sdk', 'sdk', sdk, () => true);
  const all = Object.keys(STATES_API_OPERATIONS);
  const missing = all.filter((a) => !viaSdk.driven.has(a));
  console.log(
    `\n@aws-sdk/client-sfn: ${viaSdk.driven.size}/${all.length} actions driven, ${viaSdk.failures.length} failed`,
  );
  if (missing.length) console.log(`not driven: ${missing.join(', ')}`);

  let cliCommands: Set<string> | undefined;
  try {
    const { stdout: version } = await run(cli, ['--version'], { env });
    const { stdout: help } = await run(cli, ['stepfunctions', 'help'], {
      env: { ...env, MANPAGER: 'cat', PAGER: 'cat' },
    });
    cliCommands = new Set(
      help
        // man-page bold (a character, a backspace, the character again) becomes plain text
        .replace(new RegExp(`.${String.fromCharCode(8)}`, 'g'), '')
        .match(/^\s+o\s+([a-z-]+)\s*$/gm)
        ?.map((l) => l.trim().slice(2)),
    );
    console.log(
      `\n${cli}: ${version.trim()}, knows ${[...cliCommands].filter((c) => c !== 'help').length} stepfunctions commands`,
    );
  } catch {
    console.log(`\n${cli} is not available: the AWS CLI part is skipped`);
  }
  let viaCli: Awaited<ReturnType<typeof scenario>> | undefined;
  if (cliCommands) {
    const known = cliCommands;
    viaCli = await scenario('cli', 'cli', awsCli, (a) => known.has(kebab(a)));
    const unknown = all.filter((a) => !known.has(kebab(a)));
    console.log(`\nAWS CLI: ${viaCli.driven.size} actions driven, ${viaCli.failures.length} failed`);
    console.log(`actions this CLI does not know: ${unknown.join(', ')}`);
  }
  const failures = [...viaSdk.failures, ...(viaCli?.failures ?? [])];
  if (failures.length || missing.length) exitCode = 1;
} finally {
  client.destroy();
  await server.close();
  await runtime.close();
}
process.exit(exitCode);
