/**
 * `npx tsx bench/deal.ts`: what each episode of the deal after the sale (issue 11) costs, on the local stack with the
 * sample SaaS: one 7-1 onboarding completed, then its agreement amended, told it ends in 30 days, renewed, and the
 * renewal cancelled, each in the marketplace simulator, then an advisory issued and resolved. Per episode: the events
 * the simulator sent (each matching event is one invocation of marketplace-events, each SNS message one of
 * marketplace-sns), the vendor's provisioning calls, and the time until the tenant showed the result; then each
 * execution of the lifecycle state machine (one per episode that acts or waits): its state transitions and its Lambda
 * invocations, from its history. Figures are printed, not asserted.
 */

import { MARKETPLACE_EVENT_PATTERN } from '../infra/events.js';
import { newAccountScenario, newBuyer } from '../local/demo/scenarios.js';
import { runBench, withBenchStack } from './support/local-stack.js';

runBench(() =>
  withBenchStack('deal', {}, async (stack, procedure) => {
    const admin = stack.marketplace.admin;
    const vendor = stack.vendor;
    if (!vendor) throw new Error('the bench needs the sample SaaS');
    const buyer = newBuyer('DealBench');
    const done = await newAccountScenario(procedure, buyer);
    const agreement = admin.state().agreements.find((a) => a.acceptorAccountId === buyer.awsAccountId);
    if (!agreement) throw new Error('no agreement');
    const tenant = () => structuredClone(vendor.store.tenantByName(`${buyer.company} 本番`));
    const dimension =
      admin.state().licenses.find((l) => l.licenseArn === agreement.licenseArn)?.entitlements[0]?.dimension ??
      'Users';

    const episode = async (name: string, act: () => unknown, settled: () => boolean) => {
      const before = admin.notifications().length;
      const calls = vendor.seen.length;
      const t0 = performance.now();
      act();
      for (let i = 0; i < 300 && !settled(); i++) {
        await admin.idle(2_000);
        await new Promise((r) => setTimeout(r, 50));
      }
      await admin.idle(5_000);
      await new Promise((r) => setTimeout(r, 500));
      const ms = performance.now() - t0;
      const sent = admin.notifications().slice(before);
      const rule = sent.filter(
        (n) =>
          n.channel === 'eventbridge' &&
          (MARKETPLACE_EVENT_PATTERN.detailType as readonly string[]).includes(
            String(n.payload.detailType ?? ''),
          ),
      ).length;
      const sns = sent.filter((n) => n.channel === 'sns').length;
      const provisioning = vendor.seen.slice(calls).map((s) => `${s.operation} ${s.status}`);
      console.log(
        `  ${name.padEnd(22)} events ${String(sent.filter((n) => n.channel === 'eventbridge').length).padStart(2)}` +
          ` → marketplace-events ${rule}, SNS → marketplace-sns ${sns},` +
          ` provisioning [${provisioning.join(', ')}], settled in ${(ms / 1000).toFixed(2)} s (≤ 0.5 s of it waiting)`,
      );
    };

    console.log(`Deal episodes after onboarding ${done.onboardingId} (${done.status})`);
    await episode(
      'amended (Users 25)',
      () => admin.amendAgreement(agreement.agreementId, { [dimension]: 25 }),
      () => !!tenant()?.plan?.includes(`${dimension} 25`),
    );
    await episode(
      'ending (30 days)',
      () => admin.notifyEnding(agreement.agreementId, 30),
      () => true,
    );
    let renewalId = '';
    await episode(
      'renewed',
      () => {
        renewalId = admin.renewAgreement(agreement.agreementId).agreementId;
      },
      () => true,
    );
    await episode(
      'advisory issued',
      () => admin.notifyAdvisory(renewalId, 'issued'),
      () => true,
    );
    // AWS's Resolved names no advisory: it resolves the agreement's oldest open one
    await episode(
      'advisory resolved',
      () => admin.notifyAdvisory(renewalId, 'resolved'),
      () => true,
    );
    await episode(
      'renewal cancelled',
      () => admin.endAgreement(renewalId, 'CANCELLED'),
      () => tenant()?.status === 'ended',
    );
    console.log(`  tenant at the end: ${tenant()?.status} (${tenant()?.plan ?? '-'})`);

    // each lifecycle execution: its transitions (states entered) and Lambda invocations (tasks scheduled)
    const machine = stack.lifecycleStateMachineArn;
    if (!machine) throw new Error('the stack has no lifecycle state machine');
    const { executions = [] } = await stack.runtime.listExecutions({ stateMachineArn: machine });
    console.log(`Lifecycle executions (${executions.length}):`);
    for (const e of [...executions].reverse()) {
      const { events = [] } = await stack.runtime.getExecutionHistory({
        executionArn: e.executionArn as string,
        maxResults: 1000,
      });
      const transitions = events.filter((x) => String(x.type).endsWith('StateEntered')).length;
      const invocations = events.filter((x) => x.type === 'TaskScheduled').length;
      const path = events
        .filter((x) => String(x.type).endsWith('StateEntered'))
        .map((x) => x.stateEnteredEventDetails?.name)
        .join(' → ');
      console.log(
        `  ${String(e.name).replace(agreement.agreementId, '<agreement>').replace(renewalId, '<renewal>').padEnd(52)} ${String(e.status).padEnd(9)} transitions ${transitions}, Lambda invocations ${invocations}: ${path}`,
      );
    }
  }),
);
