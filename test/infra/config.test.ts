/** Deployment configuration from CDK context: defaults that synthesize, clear errors naming the key and value. */

import { describe, expect, it } from 'vitest';
import { readConfig } from '../../infra/config.js';
import { retentionDays } from '../../infra/stack.js';
import { build } from './support.js';

const from = (context: Record<string, unknown>) => readConfig((key) => context[key]);

describe('readConfig', () => {
  it('has defaults for everything, so a fresh clone synthesizes', () => {
    expect(from({})).toMatchObject({
      stackName: 'MarketplaceOnboarding',
      sesIdentity: 'example.com',
      emailFrom: 'no-reply@example.com',
      supportEmail: 'support@example.com',
      salesEmail: 'support@example.com',
      archiveRetentionMode: 'GOVERNANCE',
      archiveRetentionDays: 2557,
      marketplaceRegion: 'us-east-1',
    });
  });

  it('derives the sender from an e-mail identity and reads numbers given as strings (-c key=value)', () => {
    expect(
      from({
        sesIdentity: 'onboarding@vendor.co.jp',
        archiveRetentionDays: '30',
        salesEmail: 'sales@vendor.co.jp',
      }),
    ).toMatchObject({
      emailFrom: 'onboarding@vendor.co.jp',
      supportEmail: 'support@vendor.co.jp',
      salesEmail: 'sales@vendor.co.jp',
      archiveRetentionDays: 30,
    });
  });

  it.each([
    [{ sesIdentity: 'not a domain' }, /-c sesIdentity="not a domain": sesIdentity must be a domain/],
    [{ productId: 'product-1' }, /-c productId="product-1": productId must look like prod-/],
    [{ archiveRetentionMode: 'FOREVER' }, /archiveRetentionMode must be GOVERNANCE or COMPLIANCE/],
    [
      { archiveRetentionDays: 'seven' },
      /-c archiveRetentionDays="seven": archiveRetentionDays must be a number/,
    ],
    [{ archiveRetentionDays: '0' }, /archiveRetentionDays must be at least 1/],
    [{ marketplaceSnsTopicArn: 'topic' }, /marketplaceSnsTopicArn must be an SNS topic ARN/],
    [{ webBaseUrl: 'onboarding' }, /webBaseUrl must be a URL/],
    [
      { emailFrom: 'me@elsewhere.com' },
      /emailFrom me@elsewhere\.com must be an address of the SES identity example\.com/,
    ],
    [{ stackName: '1-bad' }, /stackName must be 1-40 letters/],
    [{ rateLimits: '{"inquiriesPerHour":{"limit":20}}' }, /-c rateLimits=.*inquiriesPerHour/],
    [{ planEndGraceHours: '721' }, /-c planEndGraceHours="721": planEndGraceHours must be at most 720/],
    [{ rateLimits: '{"inquiryPerAddress":{"limit":0}}' }, /-c rateLimits\.inquiryPerAddress\.limit=/],
  ])('rejects %j naming the key', (context, message) => {
    expect(() => from(context)).toThrow(message);
  });
});

describe('rateLimits context', () => {
  it('reaches the web function as RATE_LIMITS, and only the web function', () => {
    // Prepare
    const rateLimits = '{"inquiryPerAddress":{"limit":20,"windowSeconds":600}}';
    // Act
    const t = build({ rateLimits });
    // Assess
    const envs = Object.entries(t.functionIds).map(
      ([name, id]) =>
        [
          name,
          (t.resources[id]?.Properties.Environment as { Variables?: Record<string, string> } | undefined)
            ?.Variables?.RATE_LIMITS,
        ] as const,
    );
    expect(envs.filter(([, v]) => v !== undefined)).toEqual([
      ['web', JSON.stringify(JSON.parse(rateLimits))],
    ]);
  });
});

describe('retentionDays', () => {
  it('picks the CloudWatch retention at or above the requested days', () => {
    expect(retentionDays(365)).toBe(365);
    expect(retentionDays(100)).toBe(120);
    expect(retentionDays(1)).toBe(1);
  });
});
