import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localClientConfig } from '../../../local/stack/aws.js';
import { ensureTables, startDynamoDb, tablesFromTemplate } from '../../../local/stack/dynamodb.js';
import { stablePort } from '../../../local/stack/ports.js';
import { bucketsFromTemplate, startS3 } from '../../../local/stack/s3.js';
import { startSes } from '../../../local/stack/ses.js';
import type { CfnTemplate } from '../../../local/stack/template.js';
import { SesMailer } from '../../../tasks/adapters/aws/ses-mailer.js';
import { offerNoticeEmail } from '../../../tasks/domain/emails/index.js';

const template: CfnTemplate = {
  Resources: {
    OnboardingTable1234: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'gsi1pk', AttributeType: 'S' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byStage',
            KeySchema: [{ AttributeName: 'gsi1pk', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      },
    },
    ArchiveBucketABCD: { Type: 'AWS::S3::Bucket', Properties: {} },
    SomethingElse: { Type: 'AWS::SNS::Topic' },
  },
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mo-stack-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('local DynamoDB', () => {
  it('creates the template tables and keeps their data across a restart', async () => {
    const port = await stablePort();
    const tables = tablesFromTemplate(template);
    expect(tables.map((t) => t.input.TableName)).toEqual(['OnboardingTable1234']);
    expect(tables[0]?.input.GlobalSecondaryIndexes?.[0]?.IndexName).toBe('byStage');

    let db = await startDynamoDb({ port, host: '127.0.0.1', dir: path.join(dir, 'dynamodb') });
    expect(await ensureTables(db.url, tables)).toEqual(['OnboardingTable1234']);
    const client = new DynamoDBClient(localClientConfig(db.url));
    await client.send(
      new PutItemCommand({
        TableName: 'OnboardingTable1234',
        Item: { pk: { S: 'ONB#1' }, sk: { S: 'META' } },
      }),
    );
    await db.close();

    db = await startDynamoDb({ port, host: '127.0.0.1', dir: path.join(dir, 'dynamodb') });
    expect(await ensureTables(db.url, tables)).toEqual([]);
    const got = await client.send(
      new GetItemCommand({
        TableName: 'OnboardingTable1234',
        Key: { pk: { S: 'ONB#1' }, sk: { S: 'META' } },
      }),
    );
    expect(got.Item?.pk?.S).toBe('ONB#1');
    client.destroy();
    await db.close();
  });
});

describe('local SES', () => {
  it("serves the inbox page with each mail's HTML part open, the text part when there is no HTML", async () => {
    // Prepare
    const ses = await startSes({ port: await stablePort(), host: '127.0.0.1' });

    // Act
    const page = await (await fetch(`${ses.url}/`)).text();
    const store = await fetch(`${ses.url}/store`);

    // Assess
    const slot = (name: string) => `$${'{'}${name}}`;
    expect(page).toContain(`<div class="email-html" id="${slot('e.messageId')}-html">`);
    expect(page).toContain(`style="${slot("e.body.html ? 'display: none' : ''")}"`);
    expect(page).not.toContain(`id="${slot('e.messageId')}-html" style="display: none"`);
    expect(store.status).toBe(200); // the rest of the server answers as before
    await ses.close();
  });

  it('holds our offer mail with its HTML part, the link an <a>, and its text part', async () => {
    // Prepare
    const ses = await startSes({ port: await stablePort(), host: '127.0.0.1' });
    const client = new SESv2Client(localClientConfig(ses.url));
    const offerUrl = 'http://127.0.0.1:8002/marketplace/pp/procurement?productId=prod-x&offerId=offer-abc';
    const content = offerNoticeEmail({
      locale: 'ja',
      company: 'Example KK',
      contactName: '山田 太郎',
      onboardingId: 'onb-abcdefghij',
      offerUrl,
      offerName: 'Enterprise',
      expiresAt: '2027-01-31T23:59:59Z',
    });

    // Act
    await new SesMailer(client, () => 'no-reply@vendor.example').send({
      to: ['buyer@example.com'],
      ...content,
      tag: 'offer-notice',
    });

    // Assess
    const store = (await (await fetch(`${ses.url}/store`)).json()) as {
      emails: { subject: string; body: { html?: string; text?: string } }[];
    };
    const mail = store.emails.find((e) => e.subject === content.subject);
    expect(mail?.body.html).toContain(`<a href="${offerUrl.replace('&', '&amp;')}"`);
    expect(mail?.body.text).toContain(offerUrl);
    client.destroy();
    await ses.close();
  });

  it('keeps the inbox across a restart', async () => {
    const port = await stablePort();
    let ses = await startSes({ port, host: '127.0.0.1', dir: path.join(dir, 'ses') });
    const client = new SESv2Client(localClientConfig(ses.url));
    await client.send(
      new SendEmailCommand({
        FromEmailAddress: 'support@vendor.example',
        Destination: { ToAddresses: ['buyer@example.com'] },
        Content: { Simple: { Subject: { Data: '件名' }, Body: { Text: { Data: '本文' } } } },
      }),
    );
    await ses.close();
    ses = await startSes({ port, host: '127.0.0.1', dir: path.join(dir, 'ses') });
    const store = (await (await fetch(`${ses.url}/store`)).json()) as { emails: { subject: string }[] };
    expect(store.emails.map((e) => e.subject)).toContain('件名');
    client.destroy();
    await ses.close();
  });
});

describe('local S3', () => {
  it('serves the template buckets through the S3 API', async () => {
    const buckets = bucketsFromTemplate(template);
    expect(buckets).toEqual([{ logicalId: 'ArchiveBucketABCD', name: 'archivebucketabcd' }]);
    const s3 = await startS3({
      port: await stablePort(),
      host: '127.0.0.1',
      dir: path.join(dir, 's3'),
      buckets: buckets.map((b) => b.name),
    });
    const client = new S3Client({ ...localClientConfig(s3.url), forcePathStyle: true });
    await client.send(
      new PutObjectCommand({ Bucket: 'archivebucketabcd', Key: 'a/b.json', Body: '{"x":1}' }),
    );
    const got = await client.send(new GetObjectCommand({ Bucket: 'archivebucketabcd', Key: 'a/b.json' }));
    expect(await got.Body?.transformToString()).toBe('{"x":1}');
    client.destroy();
    await s3.close();
  });
});
