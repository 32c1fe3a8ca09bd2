/**
 * The local stack's IAM proxy (local/stack/iam.ts) with real SDK v3 clients: roles read from a template, the caller
 * named by its access key id, an allowed call forwarded, a refused one answered with the error the SDK knows from AWS
 * (AccessDeniedException for the JSON and REST-JSON protocols, AccessDenied for S3), other keys not restricted.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAuthorizer,
  type IamProxy,
  principalsFromTemplate,
  startIamProxy,
} from '../../../local/stack/iam.js';
import { localResources } from '../../../local/stack/resources.js';
import type { CfnTemplate } from '../../../local/stack/template.js';

const TEMPLATE: CfnTemplate = {
  Resources: {
    Table: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'Onboarding' } },
    Archive: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'archive' } },
    Identity: { Type: 'AWS::SES::EmailIdentity', Properties: { EmailIdentity: 'example.com' } },
    Role: { Type: 'AWS::IAM::Role', Properties: {} },
    Policy: {
      Type: 'AWS::IAM::Policy',
      Properties: {
        Roles: [{ Ref: 'Role' }],
        PolicyDocument: {
          Statement: [
            { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: { 'Fn::GetAtt': ['Table', 'Arn'] } },
            {
              Effect: 'Allow',
              Action: 'ses:SendEmail',
              Resource: {
                'Fn::Join': [
                  '',
                  [
                    'arn:aws:ses:',
                    { Ref: 'AWS::Region' },
                    ':',
                    { Ref: 'AWS::AccountId' },
                    ':identity/',
                    { Ref: 'Identity' },
                  ],
                ],
              },
            },
          ],
        },
      },
    },
    Fn: {
      Type: 'AWS::Lambda::Function',
      Properties: { FunctionName: 'task', Role: { 'Fn::GetAtt': ['Role', 'Arn'] } },
    },
    Machine: { Type: 'AWS::StepFunctions::StateMachine', Properties: { DefinitionString: '{}' } },
  },
};

let upstream: http.Server;
let proxy: IamProxy;
const authorizer = createAuthorizer(
  principalsFromTemplate(
    TEMPLATE,
    localResources(TEMPLATE, { region: 'us-east-1', accountId: '123456789012' }).context,
  ),
);

beforeAll(async () => {
  // Prepare: a service that answers every call it receives with an empty success.
  upstream = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(req.url?.startsWith('/v2/') ? '{"MessageId":"m-1"}' : '{}');
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  proxy = await startIamProxy({
    host: '127.0.0.1',
    target: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
    authorizer,
    place: { region: 'us-east-1', accountId: '123456789012', stateMachineArn: 'arn:aws:states:::x' },
  });
});
afterAll(async () => {
  await proxy?.close();
  await new Promise((resolve) => upstream?.close(resolve));
});

const as = (accessKeyId: string) => ({
  endpoint: proxy.url,
  region: 'us-east-1',
  credentials: { accessKeyId, secretAccessKey: 'x' },
});
const key = { pk: { S: 'a' } };

describe('the IAM proxy', () => {
  it('forwards what the role allows and refuses the rest with AccessDeniedException', async () => {
    // Act
    const dynamodb = new DynamoDBClient(as('Fn'));
    const allowed = await dynamodb.send(new GetItemCommand({ TableName: 'Onboarding', Key: key }));
    const refused = await dynamodb
      .send(new PutItemCommand({ TableName: 'Onboarding', Item: key }))
      .catch((error: unknown) => error);

    // Assess
    expect(allowed.$metadata.httpStatusCode).toBe(200);
    expect(refused).toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining(
        'assumed-role/Role/task is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:123456789012:table/Onboarding',
      ),
    });
  });

  it('checks SES v2 on the sending identity (REST-JSON) and S3 (XML) in their own error shapes', async () => {
    // Act
    const ses = new SESv2Client(as('Fn'));
    const mail = (from: string) =>
      ses.send(
        new SendEmailCommand({
          FromEmailAddress: from,
          Destination: { ToAddresses: ['b@example.org'] },
          Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } },
        }),
      );
    const sent = await mail('Onboarding <noreply@example.com>');
    const otherIdentity = await mail('noreply@other.example').catch((error: unknown) => error);
    const s3 = new S3Client({ ...as('Fn'), forcePathStyle: true });
    const put = await s3
      .send(new PutObjectCommand({ Bucket: 'archive', Key: 'x.json', Body: '{}' }))
      .catch((error: unknown) => error);

    // Assess
    expect(sent.MessageId).toBe('m-1');
    expect(otherIdentity).toMatchObject({ name: 'AccessDeniedException' });
    expect(put).toMatchObject({ name: 'AccessDenied' });
  });

  it('does not restrict a key that is no principal of the template', async () => {
    // Act
    const result = await new DynamoDBClient(as('S3RVER')).send(
      new PutItemCommand({ TableName: 'Onboarding', Item: key }),
    );

    // Assess
    expect(result.$metadata.httpStatusCode).toBe(200);
    expect(authorizer.denials.map((d) => d.action)).toEqual([
      'dynamodb:PutItem',
      'ses:SendEmail',
      's3:PutObject',
    ]);
  });
});
