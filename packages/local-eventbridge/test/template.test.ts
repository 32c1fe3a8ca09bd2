import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { rulesFromTemplate, startLocalEventBus } from '../src/index.js';

let synthesized: { template: unknown; fnId: string } | undefined;

function synthesize() {
  synthesized ??= synthesizeOnce();
  return synthesized;
}

function synthesizeOnce() {
  const app = new App();
  const stack = new Stack(app, 'Test', { env: { account: '111122223333', region: 'us-east-1' } });
  const fn = new lambda.Function(stack, 'AgreementEvents', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {}'),
  });
  new events.Rule(stack, 'AgreementRule', {
    eventPattern: {
      source: ['aws.agreement-marketplace'],
      detailType: ['Purchase Agreement Created - Proposer', 'Purchase Agreement Ended - Proposer'],
      account: [stack.account],
    },
    targets: [
      new targets.LambdaFunction(fn),
      new targets.LambdaFunction(fn, {
        event: events.RuleTargetInput.fromObject({
          agreementId: events.EventField.fromPath('$.detail.agreement.id'),
          kind: 'agreement',
        }),
      }),
    ],
  });
  new events.Rule(stack, 'Nightly', {
    schedule: events.Schedule.rate(Duration.days(1)),
    targets: [new targets.LambdaFunction(fn)],
  });
  return {
    template: Template.fromStack(stack).toJSON(),
    fnId: stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction),
  };
}

describe('rulesFromTemplate', () => {
  it('reads the event rules of a synthesized CDK template, targets as logical ids', () => {
    // Prepare
    const { template, fnId } = synthesize();
    // Act
    const rules = rulesFromTemplate(template, { accountId: '111122223333', region: 'us-east-1' });
    // Assess
    expect(rules).toHaveLength(1); // the schedule rule has no event pattern
    const [rule] = rules;
    expect(rule?.eventBusName).toBe('default');
    expect(rule?.eventPattern).toEqual({
      source: ['aws.agreement-marketplace'],
      'detail-type': ['Purchase Agreement Created - Proposer', 'Purchase Agreement Ended - Proposer'],
      account: ['111122223333'],
    });
    expect(rule?.targets.map((t) => t.arn)).toEqual([fnId, fnId]);
    expect(rule?.targets[1]?.inputTransformer?.inputPathsMap).toEqual({
      'detail-agreement-id': '$.detail.agreement.id',
    });
  });

  it('drives the bus: the handler mapped from the logical id gets the event or the transformed input', async () => {
    const { template, fnId } = synthesize();
    const received: unknown[] = [];
    const bus = await startLocalEventBus({
      rules: rulesFromTemplate(template, { accountId: '111122223333' }),
      accountId: '111122223333',
      deliver: async (arn, payload) => {
        if (arn === fnId) received.push(payload);
      },
    });
    try {
      await bus.putEvents([
        {
          Source: 'aws.agreement-marketplace',
          DetailType: 'Purchase Agreement Ended - Proposer',
          Detail: JSON.stringify({ agreement: { id: 'agmt-9', status: 'CANCELLED' } }),
        },
      ]);
      await bus.idle();
    } finally {
      await bus.close();
    }
    expect(received).toHaveLength(2);
    expect(received).toContainEqual({ agreementId: 'agmt-9', kind: 'agreement' });
    expect(received).toContainEqual(
      expect.objectContaining({ 'detail-type': 'Purchase Agreement Ended - Proposer' }),
    );
  });

  it('says which rule it cannot resolve', () => {
    const template = {
      Resources: {
        R: {
          Type: 'AWS::Events::Rule',
          Properties: { EventPattern: { source: [{ 'Fn::ImportValue': 'x' }] }, Targets: [] },
        },
      },
    };
    expect(() => rulesFromTemplate(template)).toThrow(/rule R: cannot resolve Fn::ImportValue/);
  });

  it('resolves a custom bus referenced by Ref to its Name', () => {
    const template = {
      Resources: {
        Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'marketplace' } },
        R: {
          Type: 'AWS::Events::Rule',
          Properties: {
            EventBusName: { Ref: 'Bus' },
            EventPattern: { source: ['x'] },
            Targets: [{ Id: 'q', Arn: 'arn:aws:sqs:us-east-1:111122223333:q', InputPath: '$.detail' }],
          },
        },
      },
    };
    expect(rulesFromTemplate(template)).toEqual([
      {
        name: 'R',
        logicalId: 'R',
        eventBusName: 'marketplace',
        eventPattern: { source: ['x'] },
        state: 'ENABLED',
        targets: [{ id: 'q', arn: 'arn:aws:sqs:us-east-1:111122223333:q', inputPath: '$.detail' }],
      },
    ]);
  });
});
