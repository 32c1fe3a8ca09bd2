/** The onboarding state machine on the local runtime, and its status changes on the local event bus. */

import type { LocalEventBus } from '@marketplace-onboarding/local-eventbridge';
import type { LocalStepFunctions } from '@marketplace-onboarding/sfn-local';
import { StatesApiError } from '@marketplace-onboarding/sfn-local';
import type { LocalStateMachine } from './resources.js';

/**
 * Creates the state machine from the synthesized definition, or updates it when the definition changed since the
 * last start (running executions keep the definition they started with, as in AWS).
 */
export async function deployStateMachine(
  runtime: LocalStepFunctions,
  machine: LocalStateMachine,
): Promise<string> {
  const roleArn = `arn:aws:iam::${runtime.accountId}:role/${machine.name}-role`;
  try {
    const out = await runtime.createStateMachine({
      name: machine.name,
      definition: machine.definition,
      roleArn,
      type: 'STANDARD',
    });
    return out.stateMachineArn as string;
  } catch (error) {
    if (!(error instanceof StatesApiError) || error.type !== 'StateMachineAlreadyExists') throw error;
    await runtime.updateStateMachine({ stateMachineArn: machine.arn, definition: machine.definition });
    return machine.arn;
  }
}

/**
 * Puts `Step Functions Execution Status Change` events on the bus, as Step Functions does on EventBridge, so the
 * template's rule on them (the audit archive) runs locally too.
 */
export function forwardExecutionEvents(
  runtime: LocalStepFunctions,
  bus: LocalEventBus,
  stateMachineArn: string,
): void {
  runtime.on('executionStatusChanged', (change) => {
    if (change.stateMachineArn !== stateMachineArn) return;
    void (async () => {
      const execution = await runtime.describeExecution({ executionArn: change.executionArn });
      await bus.putEvents([
        {
          Source: 'aws.states',
          DetailType: 'Step Functions Execution Status Change',
          Resources: [change.executionArn],
          Detail: JSON.stringify({
            executionArn: change.executionArn,
            stateMachineArn: change.stateMachineArn,
            name: execution.name,
            status: change.status,
            startDate: execution.startDate?.getTime() ?? null,
            stopDate: execution.stopDate?.getTime() ?? null,
            input: null,
            output: null,
          }),
        },
      ]);
    })().catch((error: unknown) =>
      console.error('local stack: forwarding an execution status change failed:', error),
    );
  });
}
