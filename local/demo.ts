/**
 * `npm run demo`: drives the whole procedure headlessly through its real surfaces (inquiry form, console, the
 * marketplace's buyer pages, the fulfillment POST, the registration pages) — one onboarding through a new account
 * (7-1) and one through login and account selection (7-2) — printing each stage as it passes and a summary of each
 * history. Uses the stack on the default ports when one is running, else starts its own on free ports with a
 * temporary data folder. Exits non-zero unless every onboarding reaches SUCCEEDED.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { Procedure, type ProcedureUrls } from './demo/procedure.js';
import {
  existingAccountScenario,
  newAccountScenario,
  newBuyer,
  type ScenarioOptions,
  type ScenarioResult,
} from './demo/scenarios.js';
import { localClientConfig } from './stack/aws.js';
import { freePortsConfig, SERVICES } from './stack/config.js';
import { DEMO_BUYER_USER, DEMO_STAFF } from './stack/seed.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const STAFF_PASSWORDS = Object.fromEntries(DEMO_STAFF.map((u) => [u.id, u.password]));

async function runningStack(): Promise<{ urls: ProcedureUrls; stateMachineArn: string } | undefined> {
  const host = '127.0.0.1';
  const urls: ProcedureUrls = {
    web: `http://${host}:${SERVICES.web.port}`,
    states: `http://${host}:${SERVICES.states.port}`,
    ses: `http://${host}:${SERVICES.ses.port}`,
    marketplace: `http://${host}:${SERVICES.marketplace.port}`,
  };
  const sfn = new SFNClient({ ...localClientConfig(urls.states), maxAttempts: 1 });
  try {
    const machines = await sfn.send(new ListStateMachinesCommand({}));
    const machine = machines.stateMachines?.find((m) => m.name?.endsWith('-Onboarding'));
    const web = await fetch(`${urls.web}/inquiry`).catch(() => undefined);
    return machine?.stateMachineArn && web?.ok
      ? { urls, stateMachineArn: machine.stateMachineArn }
      : undefined;
  } catch {
    return undefined;
  } finally {
    sfn.destroy();
  }
}

/** Prints every state the onboarding enters, as it enters it. */
function watch(procedure: Procedure, label: string, onboardingId: () => string | undefined): () => void {
  const started = Date.now();
  let printed = 0;
  let stopped = false;
  const tick = async () => {
    while (!stopped) {
      const id = onboardingId();
      if (id) {
        const states = await procedure.path(id).catch(() => []);
        for (const state of states.slice(printed)) {
          console.log(`  [${label}] ${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s  ${state}`);
        }
        printed = Math.max(printed, states.length);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  void tick();
  return () => {
    stopped = true;
  };
}

async function summary(procedure: Procedure, label: string, result: ScenarioResult): Promise<string> {
  const events = await procedure.history(result.onboardingId);
  const transitions = events.filter((e) => e.type?.endsWith('StateEntered')).length;
  const first = events[0]?.timestamp?.getTime() ?? 0;
  const last = events.at(-1)?.timestamp?.getTime() ?? 0;
  return `  ${label.padEnd(22)} ${result.onboardingId}  ${result.status.padEnd(9)} ${String(events.length).padStart(3)} events, ${String(transitions).padStart(2)} state transitions, ${((last - first) / 1000).toFixed(1)} s`;
}

async function main(): Promise<number> {
  let target = await runningStack();
  let stop: (() => Promise<void>) | undefined;
  if (target) {
    console.log(`demo: using the running stack (${target.urls.web})`);
  } else {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mo-demo-'));
    console.log(
      `demo: no stack running on the default ports; starting one on free ports (data in ${dataDir})`,
    );
    const { startStack } = await import('./stack/boot.js');
    const stack = await startStack({
      config: freePortsConfig(dataDir),
      progress: (m) => console.log(`  stack: ${m}`),
    });
    target = { urls: stack.urls, stateMachineArn: stack.stateMachineArn };
    stop = async () => {
      await stack.close();
      await rm(dataDir, { recursive: true, force: true });
    };
  }

  const procedure = new Procedure(target.urls, target.stateMachineArn, STAFF_PASSWORDS);
  const results: [string, ScenarioResult | Error][] = [];
  try {
    const existingUser = {
      email: DEMO_BUYER_USER.email,
      password: DEMO_BUYER_USER.password,
      accountId: DEMO_BUYER_USER.accounts[0]?.id ?? '',
    };
    const runs: [string, string, (options: ScenarioOptions) => Promise<ScenarioResult>][] = [
      ['7-1 new account', '7-1', (o) => newAccountScenario(procedure, newBuyer('Demo New'), o)],
      [
        '7-2 existing account',
        '7-2',
        (o) => existingAccountScenario(procedure, existingUser, newBuyer('Demo Existing'), o),
      ],
    ];
    for (const [label, tag, run] of runs) {
      console.log(`\n${label}:`);
      let id: string | undefined;
      const stopWatch = watch(procedure, tag, () => id);
      try {
        const result = await run({ onStarted: (onboardingId) => (id = onboardingId) });
        await new Promise((resolve) => setTimeout(resolve, 300)); // let the watcher print the last states
        results.push([label, result]);
      } catch (error) {
        results.push([label, error as Error]);
      } finally {
        stopWatch();
      }
    }
    console.log('\nsummary:');
    for (const [label, result] of results) {
      console.log(
        result instanceof Error
          ? `  ${label.padEnd(22)} FAILED: ${result.message}`
          : await summary(procedure, label, result),
      );
    }
  } finally {
    procedure.sfn.destroy();
    await stop?.();
  }
  const ok = results.every(([, r]) => !(r instanceof Error) && r.status === 'SUCCEEDED');
  console.log(
    ok ? '\ndemo: every onboarding reached SUCCEEDED' : '\ndemo: some onboarding did not reach SUCCEEDED',
  );
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('demo failed:', error);
    process.exit(1);
  },
);
