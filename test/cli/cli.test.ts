import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { EXIT, runCli } from '../../cli/run.js';
import { FakeWorkflow, TOKEN_MARK } from '../../local/in-memory/fake-workflow.js';
import { STAGE_REGISTRY } from '../../workflows/contracts/index.js';
import { contractTerms, offered, PASSWORD, seedOnboarding, sharedUsersFile } from '../web/support/harness.js';

async function cli(flow: FakeWorkflow, user: string | undefined, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    ports: flow.ports,
    env: {
      STAFF_USERS_FILE: await sharedUsersFile(),
      ...(user ? { ONBOARDING_USER: user, ONBOARDING_PASSWORD: PASSWORD } : {}),
    },
    out: (t) => out.push(t),
    err: (t) => err.push(t),
  });
  await flow.idle();
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('onboarding CLI', () => {
  it('prints help, and refuses unknown commands and options with exit code 2', async () => {
    const flow = new FakeWorkflow();
    const help = await cli(flow, undefined, '--help');
    expect(help.code).toBe(EXIT.ok);
    expect(help.out).toContain('advance <onboardingId> <Stage> --data <json|@file>');
    expect(help.out).toContain('Exit codes:');
    expect((await cli(flow, 'sam')).code).toBe(EXIT.usage);
    const unknown = await cli(flow, 'sam', 'frobnicate');
    expect(unknown.code).toBe(EXIT.usage);
    expect(unknown.err).toContain('unknown command "frobnicate"');
    expect((await cli(flow, 'sam', 'list', '--colour')).err).toContain("Unknown option '--colour'");
  });

  it('requires a signed-in staff identity', async () => {
    const flow = new FakeWorkflow();
    const anon = await cli(flow, undefined, 'list');
    expect(anon.code).toBe(EXIT.forbidden);
    expect(anon.err).toContain('set ONBOARDING_USER and ONBOARDING_PASSWORD');
    const out: string[] = [];
    const wrong = await runCli(['list'], {
      ports: flow.ports,
      env: { STAFF_USERS_FILE: await sharedUsersFile(), ONBOARDING_USER: 'sam', ONBOARDING_PASSWORD: 'nope' },
      out: () => {},
      err: (t) => out.push(t),
    });
    expect(wrong).toBe(EXIT.forbidden);
  });

  it('lists, searches and shows onboardings', async () => {
    const flow = new FakeWorkflow();
    const a = await seedOnboarding(flow, { company: 'Alpha KK' });
    await offered(flow, { company: 'Beta KK', email: 'b@beta.example' });
    const list = await cli(flow, 'ann', 'list');
    expect(list.code).toBe(EXIT.ok);
    expect(list.out).toContain('2 onboardings (Consultation 1, AwaitAcceptance 1)');
    expect(list.out).toContain('Alpha KK');
    const filtered = await cli(flow, 'ann', 'list', '--stage', 'AwaitAcceptance', '--json');
    expect(JSON.parse(filtered.out).items.map((o: { company: string }) => o.company)).toEqual(['Beta KK']);
    // the search finds the start of a name or a whole e-mail address (docs/architecture.md), not part of an address
    expect((await cli(flow, 'ann', 'list', '--search', 'beta')).out).toContain('Beta KK');
    expect((await cli(flow, 'ann', 'list', '--search', 'b@beta.example')).out).toContain('Beta KK');
    expect((await cli(flow, 'ann', 'list', '--search', 'beta.example')).out).not.toContain('Beta KK');
    expect((await cli(flow, 'ann', 'list', '--stage', 'Nope')).code).toBe(EXIT.usage);
    const show = await cli(flow, 'ann', 'show', a);
    expect(show.out).toContain(`${a}  Alpha KK`);
    expect(show.out).toContain('waiting      Consultation for sales');
    expect(show.out).not.toContain(TOKEN_MARK);
    expect((await cli(flow, 'ann', 'show', 'onb-doesnotexist00')).code).toBe(EXIT.refused);
    expect((await cli(flow, 'ann', 'show', 'nonsense')).code).toBe(EXIT.usage);
  });

  it('shows the stage with the label of the stage registry (the wording of the console and the e-mails)', async () => {
    // Prepare
    const flow = new FakeWorkflow();
    const id = await seedOnboarding(flow, { company: 'Label KK' });
    const { ja, en } = STAGE_REGISTRY.Consultation.label;

    // Act
    const show = await cli(flow, 'ann', 'show', id);

    // Assess
    expect(show.code).toBe(EXIT.ok);
    expect(show.out).toContain(`stage        Consultation — ${ja} / ${en} (active)`);
  });

  it('advances a stage with --data JSON or @file, as the signed-in user', async () => {
    const flow = new FakeWorkflow();
    const id = await seedOnboarding(flow);
    const { actor: _ignored, ...terms } = contractTerms();
    const bad = await cli(
      flow,
      'sue',
      'advance',
      id,
      'Consultation',
      '--data',
      JSON.stringify({ ...terms, durationMonths: 0 }),
    );
    expect(bad.code).toBe(EXIT.invalid);
    expect(bad.err).toContain('  Contract duration (months) must be at least 1.');
    expect(bad.err).not.toContain('durationMonths');
    expect((await flow.ports.onboardings.get(id))?.stage).toBe('Consultation');
    expect((await cli(flow, 'sue', 'advance', id, 'Consultation', '--data', '{nope')).code).toBe(EXIT.usage);
    const file = join(mkdtempSync(join(tmpdir(), 'cli-')), 'terms.json');
    writeFileSync(file, JSON.stringify(terms));
    // agreed terms are sales' (or admin's): support is refused, with nothing changed
    const bySupport = await cli(flow, 'sue', 'advance', id, 'Consultation', '--data', `@${file}`);
    expect(bySupport.code).toBe(EXIT.forbidden);
    expect(bySupport.err).toContain('your role may not do this at that stage');
    expect((await flow.ports.onboardings.get(id))?.stage).toBe('Consultation');
    const ok = await cli(flow, 'ada', 'advance', id, 'Consultation', '--data', `@${file}`);
    expect(ok.code).toBe(EXIT.ok);
    expect(ok.out).toBe(`${id}: Consultation completed by ada (admin)`);
    const o = await flow.ports.onboardings.get(id);
    expect(o?.stage).toBe('AwaitAcceptance');
    expect(o?.terms?.actor).toEqual({ kind: 'staff', id: 'ada', role: 'admin', name: 'Ada Admin' });
    const again = await cli(flow, 'sam', 'advance', id, 'Consultation', '--data', `@${file}`);
    expect(again.code).toBe(EXIT.refused);
    expect(again.err).toContain('already completed');
  });

  it('handles decisions with nested terms (offer failed → retry) and timed-out stages', async () => {
    const flow = new FakeWorkflow();
    const id = await seedOnboarding(flow);
    flow.failNextOffer();
    const { actor: _a, ...terms } = contractTerms();
    await cli(flow, 'sam', 'advance', id, 'Consultation', '--data', JSON.stringify(terms));
    expect((await flow.ports.onboardings.get(id))?.stage).toBe('OfferFailed');
    const retry = await cli(
      flow,
      'sam',
      'advance',
      id,
      'OfferFailed',
      '--data',
      JSON.stringify({ action: 'retry', terms }),
    );
    expect(retry.code).toBe(EXIT.ok);
    expect((await flow.ports.onboardings.get(id))?.stage).toBe('AwaitAcceptance');
    const late = await seedOnboarding(flow);
    await flow.timeOut(late, 'Consultation');
    const timedOut = await cli(flow, 'sam', 'advance', late, 'Consultation', '--data', JSON.stringify(terms));
    expect(timedOut.code).toBe(EXIT.refused);
    expect(timedOut.err).toContain('timed out');
  });

  it('closes with a reason; auditors can read but every change is refused (exit 3)', async () => {
    const flow = new FakeWorkflow();
    const id = await seedOnboarding(flow);
    const before = flow.ports.callbacks.calls.length;
    const denied = await cli(flow, 'ann', 'close', id, '--reason', 'auditor tries');
    expect(denied.code).toBe(EXIT.forbidden);
    expect(denied.err).toContain('auditors can read');
    expect((await cli(flow, 'ann', 'advance', id, 'Consultation', '--data', '{}')).code).toBe(EXIT.forbidden);
    expect(flow.ports.callbacks.calls.length).toBe(before);
    expect((await cli(flow, 'sue', 'close', id)).code).toBe(EXIT.usage);
    expect((await cli(flow, 'sue', 'close', id, '--reason', ' ')).code).toBe(EXIT.invalid);
    const closed = await cli(flow, 'sue', 'close', id, '--reason', 'Duplicate');
    expect(closed.code).toBe(EXIT.ok);
    expect(closed.out).toBe(`${id}: closed at Consultation by sue (support)`);
    expect((await flow.ports.onboardings.get(id))?.end?.reason).toBe('Duplicate');
  });

  it('prints a history as text, CSV or JSON without task tokens, and exports a range', async () => {
    const flow = new FakeWorkflow();
    const id = await offered(flow);
    const text = await cli(flow, 'ann', 'history', id);
    expect(text.out).toContain(`${id}: RUNNING`);
    expect(text.out).toContain('TaskSucceeded');
    const csv = await cli(flow, 'ann', 'history', id, '--csv');
    expect(csv.out.split('\r\n')[0]).toBe(
      'onboardingId,executionArn,eventId,timestamp,type,stage,actor,details',
    );
    expect(csv.out).toContain('[redacted]');
    const json = JSON.parse((await cli(flow, 'ann', 'history', id, '--json')).out);
    expect(json.rows.length).toBeGreaterThan(5);
    for (const out of [text.out, csv.out, JSON.stringify(json)]) expect(out).not.toContain(TOKEN_MARK);
    const range = await cli(flow, 'ann', 'export', '--from', '2025-03-01', '--to', '2025-03-31');
    expect(range.out).toContain(id);
    const badRange = await cli(flow, 'ann', 'export', '--from', 'March');
    expect(badRange.code).toBe(EXIT.usage);
    expect(badRange.err).toBe('onboarding: From must be a date like 2027-01-31. To is required.');
  });

  it('adds a staff user to the users file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cli-users-')), 'users.json');
    const io = (password?: string) => ({
      env: { STAFF_USERS_FILE: file, ...(password ? { ONBOARDING_NEW_PASSWORD: password } : {}) },
      out: () => {},
      err: () => {},
    });
    expect(
      await runCli(['add-user', 'zoe', '--name', 'Zoe', '--role', 'auditor'], io('zoe-password-1')),
    ).toBe(EXIT.ok);
    expect(JSON.parse(readFileSync(file, 'utf8')).users[0]).toMatchObject({ id: 'zoe', role: 'auditor' });
    expect(await runCli(['add-user', 'zoe', '--name', 'Zoe', '--role', 'boss'], io('zoe-password-1'))).toBe(
      EXIT.usage,
    );
    expect(await runCli(['add-user', 'zoe', '--name', 'Zoe', '--role', 'sales'], io())).toBe(EXIT.usage);
    expect(await runCli(['add-user', 'zoe', '--name', 'Zoe', '--role', 'sales'], io('short'))).toBe(
      EXIT.usage,
    );
  });

  it('lets only a signed-in admin add users once the file has an admin', async () => {
    // Prepare: a file whose first admin was added without sign-in
    const file = join(mkdtempSync(join(tmpdir(), 'cli-users-')), 'users.json');
    const err: string[] = [];
    const io = (env: Record<string, string>) => ({
      env: { STAFF_USERS_FILE: file, ONBOARDING_NEW_PASSWORD: 'new-user-password', ...env },
      out: () => {},
      err: (t: string) => err.push(t),
    });
    const first = await runCli(['add-user', 'ada', '--name', 'Ada', '--role', 'admin'], io({}));
    await runCli(
      ['add-user', 'sam', '--name', 'Sam', '--role', 'sales'],
      io({ ONBOARDING_USER: 'ada', ONBOARDING_PASSWORD: 'new-user-password' }),
    );
    // Act
    const anonymous = await runCli(['add-user', 'eve', '--name', 'Eve', '--role', 'admin'], io({}));
    const bySales = await runCli(
      ['add-user', 'eve', '--name', 'Eve', '--role', 'admin'],
      io({ ONBOARDING_USER: 'sam', ONBOARDING_PASSWORD: 'new-user-password' }),
    );
    // Assess
    expect(first).toBe(EXIT.ok);
    expect([anonymous, bySales]).toEqual([EXIT.forbidden, EXIT.forbidden]);
    expect(err.join('\n')).toContain('sam is sales: only admin adds or changes staff users');
    expect(JSON.parse(readFileSync(file, 'utf8')).users.map((u: { id: string }) => u.id)).toEqual([
      'ada',
      'sam',
    ]);
  });
});

describe('onboarding CLI reconcile', () => {
  it('support reconciles and reads the findings; sales may not', async () => {
    // Prepare: an agreement in the marketplace that no onboarding knows
    const flow = new FakeWorkflow();
    flow.ports.agreements.add({
      agreementId: 'agmt-cli00000000000000000001',
      status: 'ACTIVE',
      acceptorAccountId: '999988887777',
    });
    // Act
    const bySupport = await cli(flow, 'sue', 'reconcile');
    const bySales = await cli(flow, 'sam', 'reconcile');
    // Assess
    expect(bySupport.code).toBe(EXIT.ok);
    expect(bySupport.out).toContain('1 agreements checked, 1 findings');
    expect(bySupport.out).toContain('unmatched');
    expect(bySupport.err).toContain('1 agreements checked (1 pages)');
    expect(bySales.code).toBe(EXIT.forbidden);
  });
});

describe('onboarding CLI in AWS (STAFF_IDENTITY=aws)', () => {
  const roles = JSON.stringify({
    sales: 'Onb-StaffCliClisales-AB12',
    auditor: 'Onb-StaffCliCliauditor-CD34',
  });
  async function asCaller(arn: string, ...argv: string[]) {
    const sts = mockClient(STSClient);
    sts.on(GetCallerIdentityCommand).resolves({ Arn: arn, Account: '111122223333', UserId: 'AROA:x' });
    const flow = new FakeWorkflow();
    const id = await seedOnboarding(flow, { company: 'IAM KK' });
    const out: string[] = [];
    const code = await runCli(
      argv.map((a) => (a === '<id>' ? id : a)),
      {
        ports: flow.ports,
        env: { STAFF_IDENTITY: 'aws', STAFF_CLI_ROLES: roles },
        out: (t) => out.push(t),
        err: (t) => out.push(t),
      },
    );
    await flow.idle();
    sts.restore();
    return { code, out: out.join('\n'), flow, id };
  }

  it('acts as the assumed staff role and records the session name, with no name typed', async () => {
    // Act
    const r = await asCaller(
      'arn:aws:sts::111122223333:assumed-role/Onb-StaffCliClisales-AB12/Taro.Yamada@example.co.jp',
      'close',
      '<id>',
      '--reason',
      'buyer withdrew',
    );
    // Assess
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toContain('closed at Consultation by taro.yamada@example.co.jp (sales)');
  });

  it('refuses an identity that assumed no staff role, and an auditor role that tries to write', async () => {
    // Act
    const user = await asCaller('arn:aws:iam::111122223333:user/mallory', 'list');
    const other = await asCaller('arn:aws:sts::111122223333:assumed-role/AdminAccess/mallory', 'list');
    const auditor = await asCaller(
      'arn:aws:sts::111122223333:assumed-role/Onb-StaffCliCliauditor-CD34/ada',
      'close',
      '<id>',
      '--reason',
      'x',
    );
    const auditorReads = await asCaller(
      'arn:aws:sts::111122223333:assumed-role/Onb-StaffCliCliauditor-CD34/ada',
      'list',
    );
    // Assess
    expect([user.code, other.code, auditor.code, auditorReads.code]).toEqual([
      EXIT.forbidden,
      EXIT.forbidden,
      EXIT.forbidden,
      EXIT.ok,
    ]);
    expect(user.out).toContain('arn:aws:iam::111122223333:user/mallory is not a staff role: assume one of');
    expect(auditorReads.out).toContain('IAM KK');
  });
});

describe('onboarding CLI --env-file', () => {
  it('reads variables from a KEY=VALUE file; variables already set win; a missing file is a usage error', async () => {
    const flow = new FakeWorkflow();
    await seedOnboarding(flow, { company: 'Env File KK' });
    const file = join(mkdtempSync(join(tmpdir(), 'cli-env-')), 'stack.env');
    writeFileSync(
      file,
      `# written by the local stack\nSTAFF_USERS_FILE=${await sharedUsersFile()}\nONBOARDING_USER="ann"\nexport TABLE_NAME=from-file\n`,
    );
    const seen: NodeJS.ProcessEnv[] = [];
    const out: string[] = [];
    const code = await runCli(['list', '--env-file', file], {
      env: { ONBOARDING_PASSWORD: PASSWORD, TABLE_NAME: 'already-set' },
      makePorts: (env) => {
        seen.push(env);
        return flow.ports;
      },
      out: (t) => out.push(t),
      err: (t) => out.push(t),
    });
    expect(code).toBe(EXIT.ok);
    expect(out.join('\n')).toContain('Env File KK');
    expect(seen[0]?.TABLE_NAME).toBe('already-set');
    expect(seen[0]?.ONBOARDING_USER).toBe('ann');
    const missing = await runCli(['list', '--env-file', '/nonexistent/stack.env'], {
      env: {},
      out: () => {},
      err: () => {},
    });
    expect(missing).toBe(EXIT.usage);
  });
});
