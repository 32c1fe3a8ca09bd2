import {
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { S3HistoryArchive } from '../../../tasks/adapters/aws/s3-history-archive.js';
import { SesMailer } from '../../../tasks/adapters/aws/ses-mailer.js';

const ses = mockClient(SESv2Client);
const s3 = mockClient(S3Client);
afterEach(() => {
  ses.reset();
  s3.reset();
});
const meta = { $metadata: {} };

describe('SesMailer', () => {
  it('sends Simple content with UTF-8 subject and body from the configured address', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    const mailer = new SesMailer(new SESv2Client({ region: 'us-east-1' }), () => 'noreply@vendor.example');

    const r = await mailer.send({
      to: ['yamada@example.co.jp'],
      subject: '【お問い合わせ受付】',
      text: '本文',
      tag: 'staff-task:Consultation',
    });

    expect(r).toEqual({ messageId: 'm-1' });
    expect(ses.commandCalls(SendEmailCommand)[0]?.args[0].input).toEqual({
      FromEmailAddress: 'noreply@vendor.example',
      Destination: { ToAddresses: ['yamada@example.co.jp'] },
      Content: {
        Simple: {
          Subject: { Data: '【お問い合わせ受付】', Charset: 'UTF-8' },
          Body: { Text: { Data: '本文', Charset: 'UTF-8' } },
        },
      },
      EmailTags: [{ Name: 'purpose', Value: 'staff-task_Consultation' }],
    });
  });

  it('sends the HTML part beside the text part', async () => {
    // Prepare
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-2' });
    const mailer = new SesMailer(new SESv2Client({ region: 'us-east-1' }), () => 'noreply@vendor.example');
    const html = '<p><a href="https://example.com/o">開く</a></p>';

    // Act
    await mailer.send({
      to: ['yamada@example.co.jp'],
      subject: 'offer',
      text: '開く: https://example.com/o',
      html,
      tag: 'offer-notice',
    });

    // Assess
    expect(ses.commandCalls(SendEmailCommand)[0]?.args[0].input.Content?.Simple?.Body).toEqual({
      Text: { Data: '開く: https://example.com/o', Charset: 'UTF-8' },
      Html: { Data: html, Charset: 'UTF-8' },
    });
  });
});

describe('S3HistoryArchive', () => {
  const archive = new S3HistoryArchive(
    new S3Client({ region: 'us-east-1', forcePathStyle: true }),
    () => 'audit-bucket',
  );
  const history = {
    onboardingId: 'onb-abcdefghij',
    archivedAt: '2025-04-10T00:00:00.000Z',
    execution: {
      executionArn: 'arn:x',
      name: 'onb-abcdefghij',
      status: 'SUCCEEDED' as const,
      startDate: '2025-04-01T00:00:00.000Z',
      stopDate: '2025-04-09T12:00:00.000Z',
    },
    events: [],
  };

  it('stores by end date with a checksum (Object Lock)', async () => {
    s3.on(PutObjectCommand).resolves({});
    expect(await archive.put(history)).toEqual({ key: 'histories/2025-04-09/onb-abcdefghij.json' });
    expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input).toMatchObject({
      Bucket: 'audit-bucket',
      Key: 'histories/2025-04-09/onb-abcdefghij.json',
      ContentType: 'application/json',
      ChecksumAlgorithm: 'SHA256',
    });
  });

  it('reads an archive back, and a missing one as undefined', async () => {
    // the SDK's streaming body exposes transformToString
    const body = { transformToString: async () => JSON.stringify(history) } as never;
    s3.on(GetObjectCommand)
      .resolvesOnce({ Body: body })
      .rejects(new NoSuchKey({ message: 'no', ...meta }));
    expect(await archive.get('histories/2025-04-09/onb-abcdefghij.json')).toEqual(history);
    expect(await archive.get('histories/2025-04-09/other.json')).toBeUndefined();
  });

  it('lists a date range from its first day and stops after the last', async () => {
    s3.on(ListObjectsV2Command).resolves({
      Contents: [
        { Key: 'histories/2025-04-01/onb-a.json' },
        { Key: 'histories/2025-04-30/onb-b.json' },
        { Key: 'histories/2025-05-01/onb-c.json' },
      ],
    });

    const r = await archive.list({ from: '2025-04-01', to: '2025-04-30' });

    expect(r.items.map((i) => i.onboardingId)).toEqual(['onb-a', 'onb-b']);
    expect(s3.commandCalls(ListObjectsV2Command)[0]?.args[0].input).toMatchObject({
      Prefix: 'histories/',
      StartAfter: 'histories/2025-04-01',
    });
  });
});
