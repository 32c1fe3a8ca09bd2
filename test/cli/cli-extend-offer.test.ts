/** The CLI extends the offer while the buyer has not subscribed, as the console does (issue 11 item 4). */
import { describe, expect, it } from 'vitest';
import { EXIT, runCli } from '../../cli/run.js';
import { FakeWorkflow, TOKEN_MARK } from '../../local/in-memory/fake-workflow.js';
import { offered, PASSWORD, seedOnboarding, sharedUsersFile } from '../web/support/harness.js';

async function cli(flow: FakeWorkflow, user: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    ports: flow.ports,
    env: { STAFF_USERS_FILE: await sharedUsersFile(), ONBOARDING_USER: user, ONBOARDING_PASSWORD: PASSWORD },
    out: (t) => out.push(t),
    err: (t) => err.push(t),
  });
  await flow.idle();
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('onboarding CLI extend-offer', () => {
  it('sales extends the waiting offer; the workflow moves the expiry and the buyer is mailed', async () => {
    // Prepare
    const flow = new FakeWorkflow();
    const id = await offered(flow);

    // Act
    const r = await cli(flow, 'sam', 'extend-offer', id, '--expires', '2025-08-31');

    // Assess
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toMatch(
      new RegExp(
        `^${id}: offer offer-\\S+ extended from \\S+ to 2025-08-31T23:59:59Z by sam \\(sales\\); the buyer is mailed the new expiry$`,
      ),
    );
    expect((await flow.ports.onboardings.get(id))?.offer?.expiresAt).toBe('2025-08-31T23:59:59Z');
    expect(`${r.out}${r.err}`).not.toContain(TOKEN_MARK);
  });

  it('says a refused date as the console does, in the CLI language; refuses support, auditors and a stage not waiting', async () => {
    // Prepare
    const flow = new FakeWorkflow();
    const id = await offered(flow);
    const early = await seedOnboarding(flow);

    // Act
    const before = await cli(flow, 'sam', 'extend-offer', id, '--expires', '2025-06-01', '--lang', 'ja');
    const missing = await cli(flow, 'sam', 'extend-offer', id);
    const bySupport = await cli(flow, 'sue', 'extend-offer', id, '--expires', '2025-08-31');
    const byAuditor = await cli(flow, 'ann', 'extend-offer', id, '--expires', '2025-08-31');
    const notWaiting = await cli(flow, 'sam', 'extend-offer', early, '--expires', '2025-08-31');

    // Assess
    expect(before.code).toBe(EXIT.invalid);
    expect(before.err).toContain(
      'オファーの有効期限には現在の有効期限（2025-06-30）より後の日付を指定してください。',
    );
    expect(missing.code).toBe(EXIT.usage);
    expect(bySupport.code).toBe(EXIT.forbidden);
    expect(byAuditor.code).toBe(EXIT.forbidden);
    expect(notWaiting.code).toBe(EXIT.refused);
    expect(notWaiting.err).toContain('does not wait for the buyer to subscribe');
    expect((await flow.ports.onboardings.get(id))?.offer?.expiresAt).toBe('2025-06-30T23:59:59Z');
  });
});
