/**
 * Local IAM enforcement end to end (docs/local-iam.md): the stack runs the deployed bundles, each signing as its own
 * role, on a template with two grants removed: create-offer's aws-marketplace:StartChangeSet, and the state machine's
 * lambda:InvokeFunction on close-onboarding. Each call that needed the grant is refused with AWS's
 * AccessDeniedException and the refusal reaches the execution, as it would in the vendor's AWS account.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../local/demo/procedure.js';
import { defaultTerms, newBuyer } from '../../../local/demo/scenarios.js';
import type { CfnTemplate } from '../../../local/stack/template.js';
import { E2E_TEST_TIMEOUT_MS, type StackHarness, startTestStack } from './harness.js';

interface Statement {
  Action?: string | string[];
  Resource?: unknown;
}

/** The template without create-offer's StartChangeSet and without the state machine's invoke of close-onboarding. */
function withoutTwoGrants(template: CfnTemplate): CfnTemplate {
  for (const resource of Object.values(template.Resources ?? {})) {
    if (resource.Type !== 'AWS::IAM::Policy') continue;
    const properties = resource.Properties as {
      Roles: { Ref: string }[];
      PolicyDocument: { Statement: Statement[] };
    };
    const role = properties.Roles[0]?.Ref ?? '';
    const document = properties.PolicyDocument;
    if (role.startsWith('FunctionscreateofferRole'))
      document.Statement = document.Statement.filter(
        (s) => ![s.Action].flat().includes('aws-marketplace:StartChangeSet'),
      );
    if (role.startsWith('OnboardingStateMachineRole'))
      for (const s of document.Statement)
        if ([s.Action].flat().includes('lambda:InvokeFunction') && Array.isArray(s.Resource))
          s.Resource = s.Resource.filter((r) => !JSON.stringify(r).includes('Functionscloseonboarding'));
  }
  return template;
}

let h: StackHarness;
beforeAll(async () => {
  h = await startTestStack({}, { artifacts: true, adjustTemplate: withoutTwoGrants });
}, 300_000);
afterAll(async () => {
  await h?.close();
});

const historyText = async (onboardingId: string) => JSON.stringify(await h.procedure.history(onboardingId));

describe('a grant removed from the template', { timeout: E2E_TEST_TIMEOUT_MS }, () => {
  it("refuses create-offer's StartChangeSet with AccessDeniedException, and the execution sees it", async () => {
    // Prepare
    const buyer = newBuyer('IamDenied');
    const onboardingId = await h.procedure.inquiry({ ...buyer, plan: 'Business' });
    await h.procedure.waitForStage(onboardingId, 'Consultation');

    // Act
    await h.procedure.agreeTerms('sales', onboardingId, defaultTerms());

    // Assess
    const denial = await eventually('the StartChangeSet denial', async () =>
      h.stack.iam?.denials.find((d) => d.action === 'aws-marketplace:StartChangeSet'),
    );
    expect(denial).toMatchObject({
      principal: expect.stringMatching(/^FunctionscreateofferFunction/),
      message: expect.stringMatching(
        /^User: arn:aws:sts::123456789012:assumed-role\/FunctionscreateofferRole\w+\/MarketplaceOnboarding-create-offer is not authorized to perform: aws-marketplace:StartChangeSet on resource: arn:aws:aws-marketplace:us-east-1:123456789012:AWSMarketplace\/Offer\//,
      ),
    });
    const history = await eventually('the denial in the history', async () => {
      const text = await historyText(onboardingId);
      return text.includes('AccessDeniedException') ? text : undefined;
    });
    expect(history).toContain('not authorized to perform: aws-marketplace:StartChangeSet');
  });

  it("refuses the state machine's invoke of close-onboarding, and the Task fails with Lambda.AWSLambdaException", async () => {
    // Prepare
    const buyer = newBuyer('IamInvoke');
    const onboardingId = await h.procedure.inquiry({ ...buyer, plan: 'Business' });
    await h.procedure.waitForStage(onboardingId, 'Consultation');

    // Act
    await h.procedure.closeOnboarding('support', onboardingId, 'Checking the state machine role.');

    // Assess
    const history = await eventually('the invoke denial in the history', async () => {
      const text = await historyText(onboardingId);
      return text.includes('Lambda.AWSLambdaException') ? text : undefined;
    });
    expect(history).toMatch(
      /not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:us-east-1:123456789012:function:MarketplaceOnboarding-close-onboarding/,
    );
    expect(h.stack.iam?.denials.filter((d) => d.action === 'lambda:InvokeFunction')).not.toHaveLength(0);
    // Only the two removed grants were ever refused.
    expect(new Set(h.stack.iam?.denials.map((d) => d.action))).toEqual(
      new Set(['aws-marketplace:StartChangeSet', 'lambda:InvokeFunction']),
    );
  });
});
