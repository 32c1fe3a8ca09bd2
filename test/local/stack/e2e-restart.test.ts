/**
 * `npm start` killed (SIGKILL) in the middle of paused onboardings, then started again on the same data folder:
 * every paused execution goes on and completes, each stage entered once.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from '../../../local/demo/browser.js';
import { Browser as HeadlessBrowser } from '../../../local/demo/browser.js';
import { Procedure } from '../../../local/demo/procedure.js';
import { defaultTerms, newBuyer, throughSetup } from '../../../local/demo/scenarios.js';
import type { ServiceName } from '../../../local/stack/config.js';
import { freePorts, type StackProcess, spawnStack } from '../../../local/stack/process.js';
import { STAFF_PASSWORDS } from './harness.js';

let dataDir: string;
let ports: Record<ServiceName, number>;
let stack: StackProcess | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'mo-restart-'));
  ports = await freePorts();
}, 30_000);
afterAll(async () => {
  await stack?.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm start, killed and started again', () => {
  it('resumes every paused onboarding where it stood', async () => {
    stack = await spawnStack({ dataDir, ports });
    const url = (s: ServiceName) => `http://127.0.0.1:${ports[s]}`;
    const urls = { web: url('web'), states: url('states'), ses: url('ses'), marketplace: url('marketplace') };
    const stateMachineArn =
      'arn:aws:states:us-east-1:123456789012:stateMachine:MarketplaceOnboarding-Onboarding';
    let procedure = new Procedure(urls, stateMachineArn, STAFF_PASSWORDS);

    // A waits at Consultation; B waits at AwaitAcceptance with its offer mailed; C waits at Registration.
    const a = newBuyer('RestartA');
    const aId = await procedure.inquiry({ ...a, plan: 'Business' });
    await procedure.waitForStage(aId, 'Consultation');
    const b = newBuyer('RestartB');
    const bId = await procedure.inquiry({ ...b, plan: 'Business' });
    await procedure.waitForStage(bId, 'Consultation');
    await procedure.agreeTerms('sales', bId, defaultTerms());
    await procedure.waitForStage(bId, 'AwaitAcceptance');
    const bLink = await procedure.offerLinkFromInbox(b.email);
    const c = newBuyer('RestartC');
    const cSetup = await throughSetup(procedure, c);
    await procedure.waitForStage(cSetup.onboardingId, 'Registration');

    await stack.kill('SIGKILL');
    procedure.sfn.destroy();
    stack = await spawnStack({ dataDir, ports });
    procedure = new Procedure(urls, stateMachineArn, STAFF_PASSWORDS);

    // C: the buyer's open page still works (the session key is kept in the data folder).
    const cForm = await (cSetup.browser as Browser).get(`${urls.web}/buyer/register`);
    await procedure.registerNew(cSetup.browser, cForm, 'RestartC 本番', c.email);
    // B: the buyer subscribes to the offer mailed before the restart.
    const bBrowser = new HeadlessBrowser();
    const agreement = await procedure.subscribe(bBrowser, bLink, b.awsAccountId);
    const bPage = await procedure.setUpAccount(bBrowser, agreement);
    await procedure.registerNew(bBrowser, bPage, 'RestartB 本番', b.email);
    // A: sales agrees the terms now; the rest of the procedure follows.
    await procedure.agreeTerms('sales', aId, defaultTerms());
    await procedure.waitForStage(aId, 'AwaitAcceptance');
    const aBrowser = new HeadlessBrowser();
    const aAgreement = await procedure.subscribe(
      aBrowser,
      await procedure.offerLinkFromInbox(a.email),
      a.awsAccountId,
    );
    const aPage = await procedure.setUpAccount(aBrowser, aAgreement);
    await procedure.registerNew(aBrowser, aPage, 'RestartA 本番', a.email);

    for (const id of [aId, bId, cSetup.onboardingId]) {
      expect((await procedure.waitForEnd(id)).status).toBe('SUCCEEDED');
      const states = await procedure.path(id);
      for (const stage of [
        'Consultation',
        'AwaitAcceptance',
        'AccountSetup',
        'Registration',
        'ActivatePaidPlan',
      ]) {
        expect(
          states.filter((s) => s === stage),
          `${id} entered ${stage} once`,
        ).toHaveLength(1);
      }
    }
    procedure.sfn.destroy();
  }, 300_000);
});
