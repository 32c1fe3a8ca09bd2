/**
 * The synthesized definition on the project's own Step Functions runtime (packages/sfn-local), with contract-checking fake
 * handlers and task tokens completed through SendTaskSuccess: both branches reach Completed within 30 transitions.
 */

import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { transitionsByLocalRuntime } from '../../bench/foundation/transitions.js';
import { buildOnboardingApp } from '../../infra/build.js';
import { FUNCTION_METADATA_KEY } from '../../infra/functions.js';
import { definitionFromTemplate } from '../../workflows/asl.js';
import { withoutCfnValidation } from '../infra/support.js';

describe('the synthesized definition on sfn-local', () => {
  it.each(['new', 'existing'] as const)(
    '%s account: SUCCEEDED, ≤ 30 transitions, every payload fits its contract',
    async (branch) => {
      const { stack } = buildOnboardingApp({ bundling: false, nag: false });
      const template = withoutCfnValidation(() => Template.fromStack(stack)).toJSON() as {
        Resources: Record<string, { Metadata?: Record<string, string> }>;
      };
      const asl = definitionFromTemplate(template as never, {
        getAtt: (id) =>
          `arn:aws:lambda:us-east-1:123456789012:function:${template.Resources[id]?.Metadata?.[FUNCTION_METADATA_KEY]}`,
      });
      const figure = await transitionsByLocalRuntime(asl, branch);
      expect(figure).toBeDefined();
      expect(figure?.contractViolations).toEqual([]);
      expect(figure?.status).toBe('SUCCEEDED');
      expect(figure?.transitions).toBeLessThanOrEqual(30);
      expect(figure?.path.at(-1)).toBe('Completed');
      expect(figure?.path).toContain(branch === 'new' ? 'CreateAccount' : 'AccountSelection');
    },
  );
});
