/**
 * The synthesized definition (the CDK template's, as deployed) on the project's Step Functions runtime (sfn-local),
 * with contract-checking fake handlers and task tokens completed through SendTaskSuccess: both branches reach
 * Completed within 30 transitions.
 */

import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildOnboardingApp } from '../../infra/build.js';
import { FUNCTION_METADATA_KEY } from '../../infra/functions.js';
import { fakeHandlers, happyCallbacks, START } from '../../local/in-memory/fakes.js';
import { runInMemory } from '../../local/in-memory/run.js';
import { definitionFromTemplate } from '../../workflows/asl.js';
import { withoutCfnValidation } from '../infra/support.js';

describe('the synthesized definition on sfn-local', () => {
  it.each(['new', 'existing'] as const)(
    '%s account: SUCCEEDED, ≤ 30 transitions, every payload fits its contract',
    async (branch) => {
      // Prepare
      const { stack } = buildOnboardingApp({ bundling: false, nag: false });
      const template = withoutCfnValidation(() => Template.fromStack(stack)).toJSON() as {
        Resources: Record<string, { Metadata?: Record<string, string> }>;
      };
      const asl = definitionFromTemplate(template as never, {
        getAtt: (id) =>
          `arn:aws:lambda:us-east-1:123456789012:function:${template.Resources[id]?.Metadata?.[FUNCTION_METADATA_KEY]}`,
      });
      const fakes = fakeHandlers({ callbacks: happyCallbacks(branch) });

      // Act
      const r = await runInMemory(asl, START, fakes.handler);

      // Assess
      expect(fakes.violations).toEqual([]);
      expect(r.status).toBe('SUCCEEDED');
      expect(r.transitions).toBeLessThanOrEqual(30);
      expect(r.path.at(-1)).toBe('Completed');
      expect(r.path).toContain(branch === 'new' ? 'CreateAccount' : 'AccountSelection');
    },
  );
});
