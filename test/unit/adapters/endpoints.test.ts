/**
 * The code never branches on "local": every client finds its endpoint in the SDK's own AWS_ENDPOINT_URL_<SERVICE>
 * variable. This test proves it for the installed SDK version with one loopback server per service.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeAgreementCommand } from '@aws-sdk/client-marketplace-agreement';
import { DescribeChangeSetCommand } from '@aws-sdk/client-marketplace-catalog';
import { GetEntitlementsCommand } from '@aws-sdk/client-marketplace-entitlement-service';
import { ResolveCustomerCommand } from '@aws-sdk/client-marketplace-metering';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoClient } from '../../../tasks/adapters/aws/dynamo-ports.js';
import { agreementClient } from '../../../tasks/adapters/aws/marketplace-agreement.js';
import { catalogClient } from '../../../tasks/adapters/aws/marketplace-catalog.js';
import { entitlementClient } from '../../../tasks/adapters/aws/marketplace-entitlement.js';
import { meteringClient } from '../../../tasks/adapters/aws/marketplace-metering.js';
import { s3Client } from '../../../tasks/adapters/aws/s3-history-archive.js';
import { sesClient } from '../../../tasks/adapters/aws/ses-mailer.js';
import { sfnClient } from '../../../tasks/adapters/aws/sfn-callbacks.js';

const SERVICES = [
  'DYNAMODB',
  'SFN',
  'SESV2',
  'S3',
  'MARKETPLACE_CATALOG',
  'MARKETPLACE_METERING',
  'MARKETPLACE_ENTITLEMENT_SERVICE',
  'MARKETPLACE_AGREEMENT',
] as const;
type Service = (typeof SERVICES)[number];

const servers = new Map<Service, { server: Server; url: string; seen: { method: string; url: string }[] }>();

beforeAll(async () => {
  for (const service of SERVICES) {
    const seen: { method: string; url: string }[] = [];
    const server = createServer((req, res) => {
      seen.push({ method: req.method ?? '', url: req.url ?? '' });
      req.resume();
      req.on('end', () => {
        if (service === 'S3') {
          res.writeHead(200, { 'content-type': 'application/xml' });
          res.end('<?xml version="1.0" encoding="UTF-8"?><ListBucketResult></ListBucketResult>');
        } else {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{}');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.set(service, { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen });
  }
});
afterAll(async () => {
  for (const { server } of servers.values()) await new Promise((resolve) => server.close(resolve));
});

describe('AWS_ENDPOINT_URL_<SERVICE>', () => {
  it('routes each client to its own endpoint variable', async () => {
    const env: Record<string, string> = {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      ARCHIVE_FORCE_PATH_STYLE: 'true',
    };
    for (const [service, s] of servers) env[`AWS_ENDPOINT_URL_${service}`] = s.url;
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      // the clients the handlers use, created (once per process) after the variables are set
      const c = {
        dynamodb: dynamoClient(),
        sfn: sfnClient(),
        ses: sesClient(),
        s3: s3Client(),
        catalog: catalogClient(),
        metering: meteringClient(),
        entitlement: entitlementClient(),
        agreement: agreementClient(),
      };
      const ignore = () => undefined;
      await c.dynamodb.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: 'a' } } })).catch(ignore);
      await c.sfn
        .send(new ListExecutionsCommand({ stateMachineArn: 'arn:aws:states:us-east-1:1:stateMachine:x' }))
        .catch(ignore);
      await c.ses
        .send(
          new SendEmailCommand({
            FromEmailAddress: 'a@b.example',
            Destination: { ToAddresses: ['c@d.example'] },
            Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } },
          }),
        )
        .catch(ignore);
      await c.s3.send(new ListObjectsV2Command({ Bucket: 'audit-bucket' })).catch(ignore);
      await c.catalog
        .send(new DescribeChangeSetCommand({ Catalog: 'AWSMarketplace', ChangeSetId: 'cs1' }))
        .catch(ignore);
      await c.metering.send(new ResolveCustomerCommand({ RegistrationToken: 'tok' })).catch(ignore);
      await c.entitlement.send(new GetEntitlementsCommand({ ProductCode: 'p' })).catch(ignore);
      await c.agreement.send(new DescribeAgreementCommand({ agreementId: 'agmt-1' })).catch(ignore);
    } finally {
      for (const key of Object.keys(env)) delete process.env[key];
      Object.assign(process.env, saved);
    }
    for (const [service, s] of servers) expect(s.seen.length, `${service} got no request`).toBeGreaterThan(0);
    // path-style S3 (the bucket in the path, not the host name)
    expect(servers.get('S3')?.seen[0]?.url).toMatch(/^\/audit-bucket\/?\?list-type=2/);
  });
});
