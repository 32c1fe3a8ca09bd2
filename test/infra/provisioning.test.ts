/**
 * The vendor's SaaS in the stack (CDK context `provisioning`, docs/vendor-saas.md): the configuration reads an object
 * or JSON and names bad values; webhook mode creates the signing secret and lets only the functions that call the
 * vendor read it; events on creates the provisioning bus and lets only those functions put events on it, with the
 * documented source; each function gets the PROVISIONING_* environment it needs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../infra/config.js';
import { FUNCTIONS } from '../../workflows/contracts/functions.js';
import { build, flat, statementsOfRole } from './support.js';

const from = (context: Record<string, unknown>) => readConfig((key) => context[key]);
// 7-1, the paid plan, the buyer pages (7-1 and 7-2), and the marketplace signals that end a paid plan
const CALLERS = [
  'activate-paid-plan',
  // the lifecycle workflow's task: ends the paid plan when a grace period is over
  'agreement-episode',
  'create-account',
  'marketplace-events',
  'marketplace-sns',
  'reconcile-agreements',
  'web',
];
const WEBHOOK = { mode: 'webhook', webhookUrl: 'https://saas.example.com/provisioning', events: true };

describe('provisioning configuration', () => {
  it('defaults to the built-in directory without events', () => {
    // Act / Assess
    expect(from({}).provisioning).toEqual({ mode: 'built-in', events: false, timeoutMs: 5000 });
  });

  it('reads an object (cdk.json) and the same as JSON (-c provisioning=...)', () => {
    // Act
    const fromObject = from({ provisioning: { ...WEBHOOK, timeoutMs: 3000 } }).provisioning;
    const fromJson = from({
      provisioning: JSON.stringify({ ...WEBHOOK, events: 'true', timeoutMs: '3000' }),
    }).provisioning;
    // Assess
    expect(fromObject).toEqual({ ...WEBHOOK, timeoutMs: 3000 });
    expect(fromJson).toEqual(fromObject);
  });

  it.each([
    [{ mode: 'webhook' }, /provisioning\.webhookUrl is required when provisioning\.mode is webhook/],
    [
      { mode: 'webhook', webhookUrl: 'http://saas.example.com' },
      /provisioning\.webhookUrl must be an https URL/,
    ],
    [{ mode: 'scim' }, /provisioning\.mode must be built-in or webhook/],
    [{ timeoutMs: 60_000 }, /provisioning\.timeoutMs must be at most 8000/],
    ['webhook', /provisioning must be an object/],
  ])('rejects %j naming the key', (provisioning, message) => {
    // Act / Assess
    expect(() => from({ provisioning })).toThrow(message);
  });
});

describe('provisioning in the stack', () => {
  let builtIn: ReturnType<typeof build>;
  let webhook: ReturnType<typeof build>;
  beforeAll(() => {
    builtIn = build();
    webhook = build({ provisioning: WEBHOOK });
  });

  const resourceOf = (t: ReturnType<typeof build>, fn: string) => {
    const r = t.resources[t.functionIds[fn] as string];
    if (!r) throw new Error(`no function ${fn}`);
    return r.Properties;
  };
  const roleOf = (t: ReturnType<typeof build>, fn: string) =>
    (resourceOf(t, fn).Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const statements = (t: ReturnType<typeof build>, fn: string) =>
    statementsOfRole(t.resources, roleOf(t, fn));
  const env = (t: ReturnType<typeof build>, fn: string) =>
    flat((resourceOf(t, fn).Environment as { Variables: object }).Variables) as Record<string, string>;
  const idOf = (t: ReturnType<typeof build>, type: string, pattern: RegExp) =>
    t.byType(type).find(([id]) => pattern.test(id))?.[0];

  it('built-in: no signing secret, no bus, no Secrets Manager or EventBridge grant; the callers know the mode', () => {
    // Assess
    expect(idOf(builtIn, 'AWS::SecretsManager::Secret', /^ProvisioningSigningSecret/)).toBeUndefined();
    expect(builtIn.byType('AWS::Events::EventBus')).toEqual([]);
    for (const fn of CALLERS) {
      const actions = statements(builtIn, fn).flatMap((s) => s.Action);
      expect(
        actions.filter((a) => a === 'events:PutEvents'),
        fn,
      ).toEqual([]);
      expect(env(builtIn, fn), fn).toMatchObject({ PROVISIONING_MODE: 'built-in' });
      expect(env(builtIn, fn), fn).not.toHaveProperty('PROVISIONING_SECRET');
    }
  });

  it('webhook: only the functions that call the vendor read the signing secret, and only that secret', () => {
    // Prepare
    const secret = idOf(webhook, 'AWS::SecretsManager::Secret', /^ProvisioningSigningSecret/) as string;
    // Act
    const readers = FUNCTIONS.filter((f) =>
      statements(webhook, f.name).some((s) => s.Resource.includes(secret)),
    ).map((f) => f.name);
    // Assess
    expect(secret).toBeDefined();
    expect(readers.sort()).toEqual(CALLERS);
    for (const fn of CALLERS) {
      const grant = statements(webhook, fn).filter((s) => s.Resource.includes(secret));
      expect(
        grant.map((s) => s.Action),
        fn,
      ).toEqual([['secretsmanager:GetSecretValue']]);
      expect(env(webhook, fn), fn).toMatchObject({
        PROVISIONING_MODE: 'webhook',
        PROVISIONING_WEBHOOK_URL: WEBHOOK.webhookUrl,
        PROVISIONING_SECRET: secret,
        PROVISIONING_TIMEOUT_MS: '5000',
      });
    }
    expect(Object.keys(webhook.template.findOutputs('ProvisioningSecretArn'))).toEqual([
      'ProvisioningSecretArn',
    ]);
  });

  it('events: a dedicated bus; PutEvents only on it, only with the documented source, only for the callers', () => {
    // Prepare
    const [busId, bus] = webhook.byType('AWS::Events::EventBus')[0] ?? [];
    // Act
    const putters = FUNCTIONS.filter((f) =>
      statements(webhook, f.name).some((s) => s.Action.includes('events:PutEvents')),
    ).map((f) => f.name);
    // Assess
    expect(bus?.Properties.Name).toBe('MarketplaceOnboarding-provisioning');
    expect(putters.sort()).toEqual(CALLERS);
    for (const fn of CALLERS) {
      const put = statements(webhook, fn).filter((s) => s.Action.includes('events:PutEvents'));
      expect(put, fn).toEqual([
        expect.objectContaining({
          Action: ['events:PutEvents'],
          Resource: [`${busId}.Arn`],
          Condition: { StringEquals: { 'events:source': 'marketplace-onboarding.provisioning' } },
        }),
      ]);
      expect(env(webhook, fn), fn).toMatchObject({ PROVISIONING_EVENT_BUS: busId });
    }
  });
});
