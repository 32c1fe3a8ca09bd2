/**
 * 7-2 through the vendor's OpenID provider in the stack (CDK context `buyerOidc`): the configuration names bad values;
 * when set, the stack keeps the client secret in Secrets Manager, only the web function may read it (and only it),
 * and the web function gets the BUYER_OIDC_* environment; when absent, none of that exists.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../infra/config.js';
import { FUNCTIONS } from '../../workflows/contracts/functions.js';
import { build, flat, statementsOfRole } from './support.js';

const OIDC = {
  issuer: 'https://id.saas.example.com',
  clientId: 'marketplace-onboarding',
  name: 'Example SaaS',
};
const from = (context: Record<string, unknown>) => readConfig((key) => context[key]);

describe('buyerOidc configuration', () => {
  it('is absent by default and reads an object or its JSON', () => {
    // Act / Assess
    expect(from({}).buyerOidc).toBeUndefined();
    expect(from({ buyerOidc: OIDC }).buyerOidc).toEqual(OIDC);
    expect(from({ buyerOidc: JSON.stringify(OIDC) }).buyerOidc).toEqual(OIDC);
    expect(from({ buyerOidc: { ...OIDC, tokenAuthMethod: 'client_secret_post' } }).buyerOidc).toMatchObject({
      tokenAuthMethod: 'client_secret_post',
    });
  });

  it.each([
    [{ ...OIDC, issuer: 'http://id.saas.example.com' }, /buyerOidc\.issuer must be an https URL/],
    [{ issuer: OIDC.issuer }, /buyerOidc/],
    [{ ...OIDC, clientSecret: 'never here' }, /clientSecret|Unrecognized/],
    [{ ...OIDC, tokenAuthMethod: 'private_key_jwt' }, /buyerOidc\.tokenAuthMethod must be/],
  ])('rejects %j naming the key', (buyerOidc, message) => {
    // Act / Assess
    expect(() => from({ buyerOidc })).toThrow(message);
  });
});

describe('buyerOidc in the stack', () => {
  let without: ReturnType<typeof build>;
  let withOidc: ReturnType<typeof build>;
  beforeAll(() => {
    without = build();
    withOidc = build({ buyerOidc: OIDC });
  });
  const props = (t: ReturnType<typeof build>, fn: string) =>
    t.resources[t.functionIds[fn] as string]?.Properties ?? {};
  const statements = (t: ReturnType<typeof build>, fn: string) =>
    statementsOfRole(t.resources, (props(t, fn).Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0]);
  const env = (t: ReturnType<typeof build>, fn: string) =>
    flat((props(t, fn).Environment as { Variables: object }).Variables) as Record<string, string>;
  const secretId = (t: ReturnType<typeof build>) =>
    t.byType('AWS::SecretsManager::Secret').find(([id]) => /^ProvisioningOidcClientSecret/.test(id))?.[0];

  it('without it: no client secret and no BUYER_OIDC_* for the web function', () => {
    // Assess
    expect(secretId(without)).toBeUndefined();
    expect(Object.keys(env(without, 'web')).filter((k) => k.startsWith('BUYER_OIDC'))).toEqual([]);
  });

  it('with it: only the web function reads the client secret, and gets the issuer, client id, secret ARN and name', () => {
    // Prepare
    const secret = secretId(withOidc) as string;
    // Act
    const readers = FUNCTIONS.filter((f) =>
      statements(withOidc, f.name).some((s) => s.Resource.includes(secret)),
    ).map((f) => f.name);
    // Assess
    expect(secret).toBeDefined();
    expect(readers).toEqual(['web']);
    expect(
      statements(withOidc, 'web')
        .filter((s) => s.Resource.includes(secret))
        .map((s) => s.Action),
    ).toEqual([['secretsmanager:GetSecretValue']]);
    expect(env(withOidc, 'web')).toMatchObject({
      BUYER_OIDC_ISSUER: OIDC.issuer,
      BUYER_OIDC_CLIENT_ID: OIDC.clientId,
      BUYER_OIDC_CLIENT_SECRET: secret,
      BUYER_OIDC_NAME: OIDC.name,
    });
    expect(Object.keys(withOidc.template.findOutputs('BuyerOidcClientSecretArn'))).toEqual([
      'BuyerOidcClientSecretArn',
    ]);
  });
});
