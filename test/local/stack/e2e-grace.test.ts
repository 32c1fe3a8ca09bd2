/**
 * A grace period as an episode of the lifecycle state machine, end to end on the local stack (issue 11 item 2): with
 * `PLAN_END_GRACE_HOURS` = 48, the buyer's cancellation starts the agreement's `grace` execution, which waits in
 * GracePeriod while the tenant keeps its paid plan; when the runtime's clock passes the end, EndPlanIfDue ends the plan
 * at the vendor (the sample SaaS) and the execution succeeds.
 */
import { DescribeExecutionCommand, GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../local/demo/procedure.js';
import { newAccountScenario, newBuyer } from '../../../local/demo/scenarios.js';
import type { CfnTemplate } from '../../../local/stack/template.js';
import { ENV } from '../../../tasks/table.js';
import { E2E_TEST_TIMEOUT_MS, type StackHarness, startTestStack } from './harness.js';

const GRACE_HOURS = 48;

/** As `cdk deploy -c planEndGraceHours=48` sets it: on every function that may end a plan. */
function withGrace(template: CfnTemplate): CfnTemplate {
  for (const r of Object.values(template.Resources ?? {})) {
    const vars = (r.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)
      ?.Variables;
    if (r.Type === 'AWS::Lambda::Function' && vars && ENV.provisioningMode in vars)
      vars[ENV.planEndGraceHours] = String(GRACE_HOURS);
  }
  return template;
}

let h: StackHarness;
beforeAll(async () => {
  h = await startTestStack({}, { adjustTemplate: withGrace });
}, 180_000);
afterAll(async () => {
  await h?.close();
});

describe('grace period on the local stack', { timeout: E2E_TEST_TIMEOUT_MS }, () => {
  it('cancelled → grace execution waits, plan kept → clock past the end → plan ended, SUCCEEDED', async () => {
    // Prepare
    const vendor = h.stack.vendor;
    const clock = h.stack.clock;
    if (!vendor || !clock) throw new Error('the test stack runs with the sample SaaS on the driven clock');
    const buyer = newBuyer('Grace');
    await newAccountScenario(h.procedure, buyer);
    const admin = h.stack.marketplace.admin;
    const agreement = admin.state().agreements.find((a) => a.acceptorAccountId === buyer.awsAccountId);
    if (!agreement) throw new Error('the scenario left no agreement');
    const tenant = () => structuredClone(vendor.store.tenantByName(`${buyer.company} 本番`));
    const machine = h.stack.lifecycleStateMachineArn ?? '';
    const executionArn = `${machine.replace(':stateMachine:', ':execution:')}:grace-${agreement.agreementId}`;
    const describe = () => h.procedure.sfn.send(new DescribeExecutionCommand({ executionArn }));
    // Act
    admin.endAgreement(agreement.agreementId, 'CANCELLED');
    const waiting = await eventually('the grace execution', async () => {
      const d = await describe().catch(() => undefined);
      return d?.status === 'RUNNING' ? d : undefined;
    });
    const during = tenant();
    clock.advance((GRACE_HOURS + 1) * 3600_000);
    const done = await eventually('the grace execution to end', async () => {
      const d = await describe();
      return d.status === 'RUNNING' ? undefined : d;
    });
    const history = await h.procedure.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    // Assess
    expect(waiting.status).toBe('RUNNING');
    expect(during?.status).toBe('paid');
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? '{}')).toEqual({ outcome: 'ended' });
    expect(history.events?.map((e) => e.stateEnteredEventDetails?.name).filter(Boolean)).toEqual([
      'Episode',
      'GracePeriod',
      'EndPlanIfDue',
      'Done',
    ]);
    expect(tenant()?.status).toBe('ended');
  });
});
