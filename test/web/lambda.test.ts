import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { handle } from 'hono/aws-lambda';
import { describe, expect, it } from 'vitest';
import { FakeWorkflow } from '../../local/in-memory/fake-workflow.js';
import { createApp } from '../../web/app.js';
import { resolveSessionSecret, webDepsFromEnv } from '../../web/bootstrap.js';
import { sharedUsersFile } from './support/harness.js';

function event(
  method: string,
  path: string,
  init: { body?: string; headers?: Record<string, string>; cookies?: string[] } = {},
): APIGatewayProxyEventV2 {
  const [rawPath, rawQueryString = ''] = path.split('?');
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: rawPath as string,
    rawQueryString,
    headers: {
      host: 'abc123.execute-api.us-east-1.amazonaws.com',
      'x-forwarded-proto': 'https',
      ...init.headers,
    },
    ...(init.cookies ? { cookies: init.cookies } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: {
        method,
        path: rawPath as string,
        protocol: 'HTTP/1.1',
        sourceIp: '198.51.100.7',
        userAgent: 'test',
      },
      requestId: 'r1',
      routeKey: '$default',
      stage: '$default',
      time: '01/Mar/2025:09:00:00 +0000',
      timeEpoch: 1740819600000,
    },
    ...(init.body !== undefined
      ? { body: Buffer.from(init.body).toString('base64'), isBase64Encoded: true }
      : { isBase64Encoded: false }),
  };
}

describe('the web Lambda (API Gateway HTTP API, payload 2.0)', () => {
  it('builds its deps from the environment: the session key from Secrets Manager, staff auth by STAFF_AUTH', async () => {
    const flow = new FakeWorkflow();
    const asked: string[] = [];
    const deps = await webDepsFromEnv({
      env: {
        SESSION_SECRET: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:SessionSecret-abc',
        WEB_BASE_URL: 'https://onboarding.example.com',
        STAFF_AUTH: 'users-file',
        STAFF_USERS_FILE: await sharedUsersFile(),
        WEB_PLANS: 'Starter, Pro',
      },
      ports: flow.ports,
      readSecret: async (arn) => {
        asked.push(arn);
        return 'k'.repeat(64);
      },
    });
    expect(asked).toEqual(['arn:aws:secretsmanager:us-east-1:123456789012:secret:SessionSecret-abc']);
    expect(deps.config).toMatchObject({
      sessionSecret: 'k'.repeat(64),
      baseUrl: 'https://onboarding.example.com',
      plans: ['Starter', 'Pro'],
    });
    expect(deps.staffAuth.kind).toBe('password');
    await expect(resolveSessionSecret(undefined, async () => '')).rejects.toThrow(
      'SESSION_SECRET is not set',
    );
    await expect(webDepsFromEnv({ env: { SESSION_SECRET: 'short' }, ports: flow.ports })).rejects.toThrow(
      'sessionSecret must be at least 32 characters',
    );
  });

  it('the ports it builds log where it is told (the web Lambda passes its token-redacting logger)', async () => {
    const lines: string[] = [];
    const log = { info: () => {}, warn: () => {}, error: (m: string) => lines.push(m) };

    const deps = await webDepsFromEnv({
      env: {
        SESSION_SECRET: 's'.repeat(40),
        STAFF_USERS_FILE: await sharedUsersFile(),
        AWS_REGION: 'us-east-1',
      },
      log,
    });
    deps.ports.log.error('support alert not sent');

    expect(lines).toEqual(['support alert not sent']);
  });

  it('serves pages and the fulfillment POST through hono/aws-lambda, cookies in the v2 `cookies` field', async () => {
    const flow = new FakeWorkflow();
    const deps = await webDepsFromEnv({
      env: {
        SESSION_SECRET: 's'.repeat(40),
        STAFF_USERS_FILE: await sharedUsersFile(),
        WEB_BASE_URL: 'https://abc123.execute-api.us-east-1.amazonaws.com',
      },
      ports: flow.ports,
    });
    const lambda = handle(createApp(deps, { error: () => {} }));
    const ctx = {} as Context;
    const page = (await lambda(event('GET', '/inquiry?lang=en') as never, ctx as never)) as {
      statusCode: number;
      body: string;
      headers: Record<string, string>;
      cookies?: string[];
    };
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Contact us');
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.cookies?.some((c) => c.startsWith('__Host-csrf=') && c.includes('Secure'))).toBe(true);

    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] as string;
    const cookies = (page.cookies ?? []).map((c) => c.split(';')[0] as string);
    const posted = (await lambda(
      event('POST', '/inquiry', {
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: 'https://abc123.execute-api.us-east-1.amazonaws.com',
        },
        cookies,
        body: new URLSearchParams({
          _csrf: token,
          company: 'Lambda KK',
          contactName: 'L',
          email: 'l@example.com',
          awsAccountId: '123456789012',
          plan: 'Business',
          locale: 'en',
        }).toString(),
      }) as never,
      ctx as never,
    )) as { statusCode: number; headers: Record<string, string> };
    expect(posted.statusCode).toBe(303);
    expect(posted.headers.location).toMatch(/^\/inquiry\/thanks\?ref=onb-/);
    expect(flow.ports.callbacks.executions.size).toBe(1);

    const bad = (await lambda(
      event('POST', '/marketplace/fulfillment', {
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://aws.amazon.com' },
        body: 'x-amzn-marketplace-token=not-a-real-token',
      }) as never,
      ctx as never,
    )) as { statusCode: number; body: string };
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('このリンクは無効です');
  });
});
