/**
 * `npm run onboarding -- <command>`: the staff CLI on the same use cases and roles as the console.
 * runCli(argv, io) is the whole program (testable with in-memory ports); cli/main.ts wires it to the process.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { addUser, readUsersFile } from '../tasks/adapters/file/staff-users.js';
import { FORM_MESSAGE, fieldMessage } from '../tasks/domain/field-messages.js';
import type { FieldIssue } from '../tasks/domain/validation.js';
import type { Ports } from '../tasks/ports/index.js';
import * as uc from '../tasks/use-cases/index.js';
import {
  ACTING_ROLES,
  HUMAN_STAGES,
  type Locale,
  OnboardingId,
  STAFF_ROLES,
  STAGES,
  type StaffActor,
  type StaffRole,
} from '../workflows/contracts/index.js';
import { renderDetail, renderList } from './format.js';
import { type CliIdentity, identify } from './identity.js';

/** Exit codes (documented in --help). */
export const EXIT = {
  ok: 0,
  /** Unexpected failure (network, a bug). */
  failure: 1,
  /** Bad command line. */
  usage: 2,
  /** Not signed in, or the role may not do this (auditors cannot change anything). */
  forbidden: 3,
  /** The workflow refused: not found, already completed, not open, timed out. */
  refused: 4,
  /** The data did not pass the stage's contract; nothing was changed. */
  invalid: 5,
} as const;

export interface CliIo {
  /** Ports to run on (in-memory in tests); built from the environment when absent. */
  readonly ports?: Ports;
  readonly makePorts?: (env: NodeJS.ProcessEnv) => Ports;
  readonly env: NodeJS.ProcessEnv;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Who runs the CLI when STAFF_IDENTITY=aws: the caller's ARN (default: asked of STS). */
  readonly callerArn?: () => Promise<string>;
  /** Reads the new user's password (add-user); default: the ONBOARDING_NEW_PASSWORD variable. */
  readonly readPassword?: () => Promise<string | undefined>;
}

class CliError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export const HELP = `Usage: npm run onboarding -- <command> [options]

Staff commands on the onboarding workflow (same use cases and roles as the web console).

Commands:
  list [--stage <Stage>] [--search <text>] [--limit <n>] [--cursor <c>] [--json]
                                   onboardings (newest first), counts by stage
  show <onboardingId> [--json]     one onboarding: stage, facts, human tasks, who did what
  advance <onboardingId> <Stage> --data <json|@file>
                                   complete the waiting human stage with its payload
                                   (${HUMAN_STAGES.join(', ')}); the actor is you
  close <onboardingId> --reason <text>
                                   close the onboarding at its waiting stage
  extend-offer <onboardingId> --expires <YYYY-MM-DD>
                                   (sales, admin) while the buyer has not subscribed: move the
                                   offer's expiry to the end of that day (UTC); the buyer is
                                   mailed the new date and the workflow waits until it
  history <onboardingId> [--csv|--json] [--archive]
                                   the execution history (task tokens redacted)
  export --from <YYYY-MM-DD> --to <YYYY-MM-DD> [--csv|--json]
                                   every history in the date range
  add-user <id> --name <name> --role <${STAFF_ROLES.join('|')}>
                                   (admin) add or replace a staff user in the users file
                                   (password from ONBOARDING_NEW_PASSWORD or stdin); the
                                   first admin of an empty file needs no sign-in
  reconcile [--hours <n>] [--json] (support, admin) the seller's agreements in AWS Marketplace
                                   against the records: dropped events repaired, unknown
                                   agreements listed, buyers not set up after n hours (24)
                                   reminded; runs daily in AWS (reconcile-agreements)
  revoke-sessions <id>             (admin) sign a staff user out everywhere now: after they
                                   left, or after add-user changed their role

Identity: ONBOARDING_USER and ONBOARDING_PASSWORD, checked against the users file
(STAFF_USERS_FILE, default .data/staff-users.json). In AWS, STAFF_IDENTITY=aws: the caller's IAM identity,
one of the stack's staff CLI roles (STAFF_CLI_ROLES = the StaffCliRoles output); the session name is recorded.
Auditors may only list, show, history, export.
The workflow is reached through the AWS SDK environment (TABLE_NAME, STATE_MACHINE_ARN, AWS_ENDPOINT_URL_*, ...);
--env-file <path> reads more variables from a KEY=VALUE file (variables already set win).

Language: --lang ja|en; else LC_ALL, LC_MESSAGES or LANG (ja_JP.UTF-8 and the like: Japanese); else English.
Field errors are the console's sentences in that language, naming the field's label.

Exit codes: 0 ok, 1 unexpected failure, 2 bad command line, 3 not allowed, 4 refused by the workflow
(not found, already completed, not open, timed out), 5 invalid data (nothing changed).`;

const WRITE_COMMANDS = ['advance', 'close', 'extend-offer', 'revoke-sessions', 'reconcile'] as const;
const READ_COMMANDS = ['list', 'show', 'history', 'export'] as const;

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        json: { type: 'boolean' },
        csv: { type: 'boolean' },
        archive: { type: 'boolean' },
        stage: { type: 'string' },
        search: { type: 'string' },
        limit: { type: 'string' },
        cursor: { type: 'string' },
        data: { type: 'string' },
        reason: { type: 'string' },
        expires: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string' },
        hours: { type: 'string' },
        'env-file': { type: 'string' },
        lang: { type: 'string' },
      },
    });
  } catch (err) {
    throw new CliError(EXIT.usage, `${(err as Error).message}\nRun with --help for usage.`);
  }
}

/**
 * The CLI's language: --lang, else the locale variables as POSIX orders them (LC_ALL, LC_MESSAGES, LANG), Japanese
 * for a ja locale; English otherwise.
 */
export function cliLocale(lang: string | undefined, env: NodeJS.ProcessEnv): Locale {
  if (lang !== undefined) {
    if (lang === 'ja' || lang === 'en') return lang;
    throw new CliError(EXIT.usage, `--lang must be ja or en (was ${JSON.stringify(lang)})`);
  }
  const posix = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '');
  return posix?.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

function onboardingId(value: string | undefined, locale: Locale): string {
  const id = OnboardingId.safeParse(value);
  if (!id.success)
    throw new CliError(
      EXIT.usage,
      said(locale)({
        path: 'onboardingId',
        kind: value === undefined ? 'required' : 'format',
        message: id.error.issues[0]?.message ?? 'invalid',
      }),
    );
  return id.data;
}

function refusal(error: string, id: string): CliError {
  const text: Record<string, string> = {
    'not-found': `no onboarding ${id}`,
    'already-completed': 'that stage was already completed; nothing was changed',
    'not-open':
      'that stage is not waiting now (another stage, the workflow is between steps, or it ended); nothing was changed',
    'timed-out': 'that stage timed out; support decides at StageTimedOut; nothing was changed',
    'in-progress':
      'that stage is being completed right now (or was when the system stopped); try again in a moment; nothing was changed',
    'deal-steps-open':
      'the onboarding has completed and cannot be closed; its deal steps waiting are answered on the deal view; nothing was changed',
  };
  if (error === 'forbidden')
    return new CliError(
      EXIT.forbidden,
      "your role may not do this at that stage (a staff stage is its assignee's: sales for terms and offer decisions, support for escalations; support closes anywhere, sales at its own stages, admin everything); nothing was changed",
    );
  return new CliError(EXIT.refused, text[error] ?? `refused: ${error}`);
}

/**
 * Each issue as the forms say it: the message catalogue's sentence in the CLI's language, naming the field's label.
 * A key the catalogue has no label for is named after the sentence, so the --data key to fix is still known.
 */
const said =
  (locale: Locale) =>
  (i: FieldIssue): string => {
    const sentence = i.path ? fieldMessage(locale, i) : FORM_MESSAGE[locale];
    return sentence === FORM_MESSAGE[locale] && i.path ? `${sentence} (${i.path})` : sentence;
  };

const INVALID: Record<Locale, string> = {
  ja: '入力内容に誤りがあるため、何も変更していません:',
  en: 'invalid data, nothing was changed:',
};

function invalid(issues: readonly FieldIssue[], locale: Locale): CliError {
  return new CliError(
    EXIT.invalid,
    `${INVALID[locale]}\n${issues.map((i) => `  ${said(locale)(i)}`).join('\n')}`,
  );
}

async function readData(value: string | undefined): Promise<unknown> {
  if (value === undefined) throw new CliError(EXIT.usage, '--data is required (JSON, or @file with JSON)');
  let text = value;
  if (value.startsWith('@')) {
    try {
      text = await readFile(value.slice(1), 'utf8');
    } catch (err) {
      throw new CliError(
        EXIT.usage,
        `cannot read ${value.slice(1)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      );
    }
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliError(EXIT.usage, `--data is not valid JSON: ${(err as Error).message}`);
  }
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (err) {
    if (err instanceof CliError) {
      io.err(`onboarding: ${err.message}`);
      return err.code;
    }
    io.err(`onboarding: unexpected failure: ${(err as Error).message}`);
    return EXIT.failure;
  }
}

/** KEY=VALUE lines (# comments, optional quotes), e.g. the environment file the local stack writes. */
export async function readEnvFile(path: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new CliError(
      EXIT.usage,
      `cannot read --env-file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  const vars: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m || line.trimStart().startsWith('#')) continue;
    vars[m[1] as string] = (m[2] as string).replace(/^(['"])(.*)\1$/, '$2');
  }
  return vars;
}

async function run(argv: string[], given: CliIo): Promise<number> {
  const { values, positionals } = parse(argv);
  // variables already set win over the file
  const io = values['env-file']
    ? { ...given, env: { ...(await readEnvFile(values['env-file'])), ...given.env } }
    : given;
  const [command, ...args] = positionals;
  const locale = cliLocale(values.lang, io.env);
  if (values.help || !command || command === 'help') {
    io.out(HELP);
    return command || values.help ? EXIT.ok : EXIT.usage;
  }
  const usersFile = io.env.STAFF_USERS_FILE || '.data/staff-users.json';

  if (command === 'add-user') {
    const [id] = args;
    const role = values.role as StaffRole | undefined;
    if (!id || !values.name || !role || !(STAFF_ROLES as readonly string[]).includes(role)) {
      throw new CliError(EXIT.usage, `add-user <id> --name <name> --role <${STAFF_ROLES.join('|')}>`);
    }
    // Once the file has an admin, only an admin adds or changes users; the first admin needs no sign-in
    // (whoever can write the file could write it anyway)
    const admins = (await readUsersFile(usersFile).catch(() => [])).filter((u) => u.role === 'admin');
    if (admins.length > 0) {
      const identified = await identify(io.env, usersFile, io.callerArn);
      if (!identified.ok) throw new CliError(EXIT.forbidden, identified.message);
      if (identified.who.role !== 'admin')
        throw new CliError(
          EXIT.forbidden,
          `${identified.who.id} is ${identified.who.role}: only admin adds or changes staff users`,
        );
    }
    const password = (await (io.readPassword?.() ?? Promise.resolve(io.env.ONBOARDING_NEW_PASSWORD)))?.trim();
    if (!password) throw new CliError(EXIT.usage, 'the password comes from ONBOARDING_NEW_PASSWORD or stdin');
    try {
      await addUser(usersFile, { id, name: values.name, role }, password);
    } catch (err) {
      throw new CliError(EXIT.usage, (err as Error).message);
    }
    io.out(`${id} (${role}) saved in ${usersFile}`);
    return EXIT.ok;
  }

  if (![...READ_COMMANDS, ...WRITE_COMMANDS].includes(command as never)) {
    throw new CliError(EXIT.usage, `unknown command ${JSON.stringify(command)}\nRun with --help for usage.`);
  }
  const identified = await identify(io.env, usersFile, io.callerArn);
  if (!identified.ok) throw new CliError(EXIT.forbidden, identified.message);
  const who: CliIdentity = identified.who;
  const writes = (WRITE_COMMANDS as readonly string[]).includes(command);
  if (writes && !(ACTING_ROLES as readonly string[]).includes(who.role)) {
    throw new CliError(
      EXIT.forbidden,
      `${who.id} is ${who.role}: auditors can read (list, show, history, export) but cannot change anything`,
    );
  }
  const ports = io.ports ?? io.makePorts?.(io.env);
  if (!ports) throw new CliError(EXIT.failure, 'no ports to run on');
  const actor: StaffActor = {
    kind: 'staff',
    id: who.id,
    role: who.role as StaffActor['role'],
    name: who.name,
  };

  switch (command) {
    case 'revoke-sessions': {
      const [target] = args;
      if (!target) throw new CliError(EXIT.usage, 'revoke-sessions <id>');
      if (who.role !== 'admin')
        throw new CliError(EXIT.forbidden, `${who.id} is ${who.role}: only admin revokes sessions`);
      const { at } = await uc.revokeStaffSessions(ports, target);
      io.out(`${target}: every session opened until ${new Date(at * 1000).toISOString()} is closed`);
      return EXIT.ok;
    }
    case 'list': {
      const limit = values.limit === undefined ? 25 : Number(values.limit);
      if (values.stage !== undefined && !(STAGES as readonly string[]).includes(values.stage)) {
        throw new CliError(EXIT.usage, `--stage must be one of ${STAGES.join(', ')}`);
      }
      const r = await uc.listOnboardings(ports, {
        stage: values.stage,
        query: values.search,
        limit,
        cursor: values.cursor,
      });
      if (!r.ok) {
        if (r.error === 'invalid-cursor')
          throw new CliError(EXIT.usage, '--cursor is not valid (start again without it)');
        throw new CliError(EXIT.usage, r.issues.map(said(locale)).join(' '));
      }
      io.out(
        values.json
          ? JSON.stringify(
              { items: r.items, nextCursor: r.nextCursor, counts: r.counts, total: r.total },
              null,
              2,
            )
          : renderList(r),
      );
      return EXIT.ok;
    }
    case 'show': {
      const id = onboardingId(args[0], locale);
      const r = await uc.getOnboarding(ports, id);
      if (!r.ok) throw refusal(r.error, id);
      io.out(
        values.json
          ? JSON.stringify({ onboarding: r.onboarding, tasks: r.tasks, timeline: r.timeline }, null, 2)
          : renderDetail(r),
      );
      return EXIT.ok;
    }
    case 'advance': {
      const id = onboardingId(args[0], locale);
      const stage = args[1];
      if (!stage || !(HUMAN_STAGES as readonly string[]).includes(stage)) {
        throw new CliError(
          EXIT.usage,
          `advance <onboardingId> <Stage>: Stage must be one of ${HUMAN_STAGES.join(', ')}`,
        );
      }
      // the use case signs the payload, and any nested terms (retry/recreate), with this actor
      const payload = await readData(values.data);
      const r = await uc.completeHumanStage(ports, { onboardingId: id, stage, payload, actor });
      if (!r.ok) throw r.error === 'invalid-input' ? invalid(r.issues, locale) : refusal(r.error, id);
      io.out(`${id}: ${stage} completed by ${actor.id} (${actor.role})`);
      return EXIT.ok;
    }
    case 'close': {
      const id = onboardingId(args[0], locale);
      if (values.reason === undefined) throw new CliError(EXIT.usage, 'close <onboardingId> --reason <text>');
      const r = await uc.closeOnboarding(ports, { onboardingId: id, reason: values.reason, actor });
      if (!r.ok) throw r.error === 'invalid-input' ? invalid(r.issues, locale) : refusal(r.error, id);
      io.out(`${id}: closed at ${r.stage} by ${actor.id} (${actor.role})`);
      return EXIT.ok;
    }
    case 'extend-offer': {
      const id = onboardingId(args[0], locale);
      if (values.expires === undefined)
        throw new CliError(EXIT.usage, 'extend-offer <onboardingId> --expires <YYYY-MM-DD>');
      const r = await uc.extendOfferWhileWaiting(ports, {
        onboardingId: id,
        offerExpiresAt: uc.offerExpiryFromDate(values.expires),
        actor,
      });
      if (!r.ok) {
        if (r.error === 'invalid-input') throw invalid(r.issues, locale);
        if (r.error === 'not-waiting')
          throw new CliError(
            EXIT.refused,
            'the onboarding does not wait for the buyer to subscribe (AwaitAcceptance); nothing was changed',
          );
        throw refusal(r.error, id);
      }
      io.out(
        `${id}: offer ${r.offerId} extended from ${r.previousExpiresAt} to ${r.offerExpiresAt} by ${actor.id} (${actor.role}); the buyer is mailed the new expiry`,
      );
      return EXIT.ok;
    }
    case 'history': {
      const id = onboardingId(args[0], locale);
      const r = await uc.getExecutionHistory(ports, id, { prefer: values.archive ? 'archive' : 'live' });
      if (!r.ok) throw refusal(r.error, id);
      if (values.csv) io.out(uc.toCsv(r.rows).trimEnd());
      else if (values.json) io.out(uc.toJson(r.rows).trimEnd());
      else {
        io.out(`${id}: ${r.execution.status}, ${r.rows.length} events (${r.source})`);
        for (const row of r.rows)
          io.out(`${row.timestamp}  ${row.stage.padEnd(18)} ${row.type.padEnd(24)} ${row.actor}`);
      }
      return EXIT.ok;
    }
    case 'reconcile': {
      if (who.role !== 'admin' && who.role !== 'support')
        throw new CliError(
          EXIT.forbidden,
          `${who.id} is ${who.role}: support or admin reconciles agreements`,
        );
      const hours = values.hours === undefined ? undefined : Number(values.hours);
      if (hours !== undefined && (!Number.isFinite(hours) || hours <= 0))
        throw new CliError(EXIT.usage, '--hours must be a positive number');
      const report = await uc.reconcileAgreements(ports, {
        ...(hours !== undefined ? { setupReminderHours: hours } : {}),
        onPage: (p) => io.err(`  ${p.agreements} agreements checked (${p.pages} pages)`),
      });
      if (values.json) io.out(JSON.stringify(report, null, 2));
      else {
        io.out(`${report.agreements} agreements checked, ${report.findings.length} findings`);
        for (const f of report.findings)
          io.out(`  ${f.what.padEnd(16)} ${f.agreementId ?? '-'}  ${f.onboardingId ?? '-'}  ${f.detail}`);
      }
      return EXIT.ok;
    }
    case 'export': {
      const r = await uc.exportHistories(ports, { from: values.from, to: values.to });
      if (!r.ok) throw new CliError(EXIT.usage, r.issues.map(said(locale)).join(' '));
      io.out(values.json ? uc.toJson(r.rows).trimEnd() : uc.toCsv(r.rows).trimEnd());
      return EXIT.ok;
    }
  }
  throw new CliError(EXIT.usage, `unknown command ${command}`);
}
