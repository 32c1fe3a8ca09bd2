/**
 * The CLI says field errors as the console does: the message catalogue's sentence naming the field's label, in the
 * CLI's language (--lang, else LC_ALL / LC_MESSAGES / LANG), never the raw key of --data before it.
 */
import { describe, expect, it } from 'vitest';
import { cliLocale, EXIT, runCli } from '../../cli/run.js';
import { FakeWorkflow } from '../../local/in-memory/fake-workflow.js';
import { contractTerms, PASSWORD, seedOnboarding, sharedUsersFile } from '../web/support/harness.js';

async function cli(flow: FakeWorkflow, env: Record<string, string>, ...argv: string[]) {
  const err: string[] = [];
  const code = await runCli(argv, {
    ports: flow.ports,
    env: {
      STAFF_USERS_FILE: await sharedUsersFile(),
      ONBOARDING_USER: 'sam',
      ONBOARDING_PASSWORD: PASSWORD,
      ...env,
    },
    out: () => {},
    err: (t) => err.push(t),
  });
  await flow.idle();
  return { code, err: err.join('\n') };
}

/** Prepare: an onboarding at Consultation and agreed terms without an offer expiry. */
async function consultation() {
  const flow = new FakeWorkflow();
  const id = await seedOnboarding(flow);
  const { actor: _actor, offerExpiresAt: _expiry, ...terms } = contractTerms();
  const advance = (env: Record<string, string>, ...more: string[]) =>
    cli(flow, env, 'advance', id, 'Consultation', '--data', JSON.stringify(terms), ...more);
  return { flow, id, advance };
}

describe('CLI field messages in the CLI’s language', () => {
  it('English by default: the sentence names the label, not the key', async () => {
    // Prepare
    const { advance } = await consultation();

    // Act
    const r = await advance({});

    // Assess
    expect(r.code).toBe(EXIT.invalid);
    expect(r.err).toBe('onboarding: invalid data, nothing was changed:\n  Offer expiry is required.');
  });

  it('Japanese with --lang ja, and with LANG=ja_JP.UTF-8', async () => {
    // Prepare
    const { advance } = await consultation();

    // Act
    const flag = await advance({}, '--lang', 'ja');
    const lang = await advance({ LANG: 'ja_JP.UTF-8' });

    // Assess
    const expected =
      'onboarding: 入力内容に誤りがあるため、何も変更していません:\n  オファーの有効期限を入力してください。';
    expect(flag.err).toBe(expected);
    expect(lang.err).toBe(expected);
  });

  it('--lang wins over LANG, LC_ALL over LANG; another --lang is a usage error', async () => {
    // Prepare
    const { advance } = await consultation();

    // Act
    const flag = await advance({ LANG: 'ja_JP.UTF-8' }, '--lang', 'en');
    const lcAll = await advance({ LANG: 'ja_JP.UTF-8', LC_ALL: 'C.UTF-8' });
    const french = await advance({}, '--lang', 'fr');

    // Assess
    expect(flag.err).toContain('  Offer expiry is required.');
    expect(lcAll.err).toContain('  Offer expiry is required.');
    expect(french.code).toBe(EXIT.usage);
    expect(french.err).toContain('--lang must be ja or en');
    expect(cliLocale(undefined, { LC_MESSAGES: 'ja_JP', LANG: 'en_US' })).toBe('ja');
  });

  it('an onboarding id that is not one reads as the Reference field’s sentence', async () => {
    // Prepare
    const flow = new FakeWorkflow();

    // Act
    const en = await cli(flow, {}, 'show', 'Example KK');
    const ja = await cli(flow, { LANG: 'ja_JP.UTF-8' }, 'show', 'Example KK');
    const missing = await cli(flow, {}, 'show');

    // Assess
    expect(en.code).toBe(EXIT.usage);
    expect(en.err).toBe(
      'onboarding: Reference must look like onb-abcdefghij (onb- then lowercase letters and digits).',
    );
    expect(ja.err).toBe('onboarding: 受付番号は onb- で始まる英小文字と数字です（例: onb-abcdefghij）。');
    expect(missing.err).toBe('onboarding: Reference is required.');
  });
});
