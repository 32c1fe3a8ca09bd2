/**
 * The definition as deployed: read from the synthesized CloudFormation template (DefinitionString with its
 * intrinsics resolved), it passes the task token in JSONata form in every task-token state, is the same graph the
 * workflow renders on its own, and is kept whole in __snapshots__/onboarding.asl.json so that a change shows in review.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildOnboardingApp } from '../../infra/build.js';
import { FUNCTION_METADATA_KEY } from '../../infra/functions.js';
import { type AslStateMachine, definitionFromTemplate } from '../../workflows/asl.js';
import { ONBOARDING_HUMAN_STAGES as HUMAN_STAGES } from '../../workflows/contracts/index.js';
import { renderOnboardingAsl } from '../../workflows/render.js';
import { withoutCfnValidation } from '../infra/support.js';
import { validateAsl } from './support/asl-validator.js';

const arn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
let synthesized: AslStateMachine;

beforeAll(() => {
  const { stack } = buildOnboardingApp({ bundling: false, nag: false });
  const template = withoutCfnValidation(() => Template.fromStack(stack)).toJSON() as {
    Resources: Record<string, { Type: string; Metadata?: Record<string, string> }>;
  };
  const catalogName = (logicalId: string) => template.Resources[logicalId]?.Metadata?.[FUNCTION_METADATA_KEY];
  synthesized = definitionFromTemplate(template as never, {
    getAtt: (logicalId, attribute) => {
      const name = catalogName(logicalId);
      if (attribute !== 'Arn' || !name) throw new Error(`unexpected GetAtt ${logicalId}.${attribute}`);
      return arn(name);
    },
  });
});

describe('the synthesized state machine definition', () => {
  it('passes {% $states.context.Task.Token %} to open-human-task in every task-token state', () => {
    const tokenStates = Object.entries(synthesized.States).filter(([, s]) =>
      String(s.Resource).endsWith(':states:::lambda:invoke.waitForTaskToken'),
    );
    expect(tokenStates.map(([n]) => n).sort()).toEqual([...HUMAN_STAGES].sort());
    for (const [name, s] of tokenStates) {
      const args = s.Arguments as { FunctionName: string; Payload: { taskToken: unknown; stage: unknown } };
      expect(args.FunctionName, name).toBe(arn('open-human-task'));
      expect(args.Payload.taskToken, name).toBe('{% $states.context.Task.Token %}');
      expect(args.Payload.stage, name).toBe(name);
    }
    expect(JSON.stringify(synthesized)).not.toContain('$$.Task.Token');
  });

  it('is valid ASL (asl-validator) in JSONata mode', () => {
    expect(synthesized.QueryLanguage).toBe('JSONata');
    const result = validateAsl(synthesized);
    expect(result.errors ?? [], result.errorsText('\n')).toEqual([]);
  });

  it('is the graph the workflow renders on its own (same states, same payloads)', () => {
    const rendered = renderOnboardingAsl({ functionArn: arn });
    expect(synthesized.StartAt).toBe(rendered.StartAt);
    // A state may repeat the top-level QueryLanguage (JSONata); that changes nothing.
    const plain = (asl: AslStateMachine) =>
      Object.fromEntries(
        Object.entries(asl.States).map(([name, { QueryLanguage, ...state }]) => {
          expect([undefined, asl.QueryLanguage], name).toContain(QueryLanguage);
          return [name, state];
        }),
      );
    expect(plain(synthesized)).toEqual(plain(rendered));
  });

  it('is the reviewed definition: the whole deployed ASL is __snapshots__/onboarding.asl.json', async () => {
    // Act: the definition as deployed (built in beforeAll), as the JSON a reviewer reads
    const text = `${JSON.stringify(synthesized, null, 2)}\n`;

    // Assess: a change to the workflow shows as a diff of this file (-u rewrites it after a deliberate change)
    await expect(text).toMatchFileSnapshot('./__snapshots__/onboarding.asl.json');
  });
});
