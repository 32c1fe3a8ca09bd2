/** cdk-nag AwsSolutions: zero unacknowledged findings, every acknowledgement explained, new wildcards caught. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildOnboardingApp } from '../../infra/build.js';
import { reasonsForWildcard } from '../../infra/nag.js';
import { withoutCfnValidation } from './support.js';

/** Builds, synthesizes (so the acknowledging Aspect runs) and checks with AwsSolutions. */
function check(
  context: Record<string, unknown> = {},
  mutate?: (stack: ReturnType<typeof buildOnboardingApp>['stack']) => void,
) {
  const { app, stack } = buildOnboardingApp({ bundling: false, nag: false, context });
  mutate?.(stack);
  withoutCfnValidation(() => Template.fromStack(stack));
  return { app, stack, report: new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(app) };
}

function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
          path: c.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

let defaults: ReturnType<typeof check>;
beforeAll(() => {
  defaults = check();
});

describe('cdk-nag AwsSolutions', () => {
  it('reports no unacknowledged error or warning with the default configuration', () => {
    const summary = defaults.report.violations.map(
      (v) => `${v.severity} ${v.ruleName} at ${v.violatingResources[0]?.constructPath}`,
    );
    expect(summary).toEqual([]);
    expect(defaults.report.success).toBe(true);
  });

  it('reports none with every option on (SNS subscription, COMPLIANCE lock, custom URL, webhook provisioning with events, the vendor sign-in)', () => {
    const { report } = check({
      marketplaceSnsTopicArn: 'arn:aws:sns:us-east-1:287250355862:aws-mp-subscription-notification-abc',
      archiveRetentionMode: 'COMPLIANCE',
      webBaseUrl: 'https://onboarding.example.com',
      provisioning: { mode: 'webhook', webhookUrl: 'https://saas.example.com/provisioning', events: true },
      buyerOidc: { issuer: 'https://id.saas.example.com', clientId: 'marketplace-onboarding' },
    });
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
  });

  it('acknowledges only IAM5 wildcards, APIG4, SMG4 and SQS3, each with a specific reason', () => {
    const acks = acknowledgements(defaults.app);
    expect(acks.length).toBeGreaterThan(10);
    for (const a of acks) {
      expect(a.id, a.path).toMatch(
        /^(AwsSolutions-IAM5\[Resource::.+\]|AwsSolutions-APIG4|AwsSolutions-SMG4|AwsSolutions-SQS3)$/,
      );
      expect(a.reason.length, `${a.id} at ${a.path}`).toBeGreaterThan(60);
    }
    const families = new Set(acks.map((a) => a.id.replace(/\[.*$/, '')));
    expect([...families].sort()).toEqual([
      'AwsSolutions-APIG4',
      'AwsSolutions-IAM5',
      'AwsSolutions-SMG4',
      'AwsSolutions-SQS3',
    ]);
    // The audit trail is in the template too (cdk-nag's writeSuppressionsToCloudFormation).
    const { stack } = buildOnboardingApp({ bundling: false });
    const withTrail = Object.values(
      withoutCfnValidation(() => Template.fromStack(stack)).toJSON().Resources as Record<
        string,
        { Metadata?: { cdk_nag?: unknown } }
      >,
    ).filter((r) => r.Metadata?.cdk_nag);
    // (an acknowledgement on a construct also reaches every resource under it, e.g. the DLQ and its queue policy)
    expect(withTrail.length).toBeGreaterThanOrEqual(
      new Set(acks.map((a) => a.path.replace(/\/Resource$/, ''))).size,
    );
  });

  it('a wildcard nobody explained stays a finding (acknowledgements are per statement, judged at synthesis)', () => {
    const { report } = check({}, (stack) => {
      stack.functions.web?.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }),
      );
    });
    expect(
      report.violations.map((v) => [v.ruleName, v.violatingResources.map((r) => r.constructPath)]),
    ).toEqual([
      ['AwsSolutions-IAM5[Resource::*]', ['MarketplaceOnboarding/Functions/web/Role/DefaultPolicy/Resource']],
    ]);
  });

  it('explains a wildcard only when every statement behind it has a reason', () => {
    const xray = { Effect: 'Allow', Action: ['xray:PutTraceSegments'], Resource: '*' };
    const s3 = { Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' };
    expect(reasonsForWildcard([xray], '*')).toHaveLength(1);
    expect(reasonsForWildcard([xray, s3], '*')).toBeUndefined();
    expect(reasonsForWildcard([{ Effect: 'Deny', Action: ['s3:*'], Resource: '*' }, xray], '*')).toHaveLength(
      1,
    );
  });

  it('the app synthesizes with an empty validation report (cdk-nag and CloudFormation schema validation)', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'mo-nag-'));
    try {
      buildOnboardingApp({ bundling: false, outdir }).app.synth();
      const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
      expect(report.pluginReports).toEqual([]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('stops the app synthesis when a finding is not acknowledged (the plugin is part of the app)', () => {
    const dirty = buildOnboardingApp({ bundling: false });
    dirty.stack.functions.web?.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['sqs:*'], resources: ['*'] }),
    );
    expect(() => dirty.app.synth()).toThrow(/AwsSolutions-IAM5/);
  });
});
