/**
 * The local Secrets Manager answers the SDK's own calls as AWS does for the template's secrets: a generated value on
 * first start, kept across a restart, replaced by PutSecretValue, and ResourceNotFoundException for anything else.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterEach, describe, expect, it } from 'vitest';
import { localClientConfig } from '../../../local/stack/aws.js';
import { secretsFromTemplate, startSecretsManager } from '../../../local/stack/secrets-manager.js';

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:ProvisioningSigningSecret1';
const TEMPLATE = {
  Resources: {
    ProvisioningSigningSecret1: {
      Type: 'AWS::SecretsManager::Secret',
      Properties: { GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true } },
    },
    Table: { Type: 'AWS::DynamoDB::Table' },
  },
};
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function start(dir: string) {
  const secrets = secretsFromTemplate(
    TEMPLATE,
    (id) => `arn:aws:secretsmanager:us-east-1:123456789012:secret:${id}`,
  );
  const sm = await startSecretsManager({ port: 0, host: '127.0.0.1', dir, secrets });
  const client = new SecretsManagerClient(localClientConfig(sm.url));
  const stop = async () => {
    client.destroy();
    await sm.close();
  };
  return { sm, client, stop };
}

describe('local Secrets Manager', () => {
  it('generates the template secret once and keeps it across a restart; PutSecretValue replaces it', async () => {
    // Prepare
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mo-secrets-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const first = await start(dir);
    // Act
    const generated = await first.client.send(new GetSecretValueCommand({ SecretId: ARN }));
    await first.stop();
    const second = await start(dir);
    cleanup.push(second.stop);
    const again = await second.client.send(new GetSecretValueCommand({ SecretId: ARN }));
    await second.client.send(new PutSecretValueCommand({ SecretId: ARN, SecretString: 'from-the-vendor' }));
    const put = await second.client.send(new GetSecretValueCommand({ SecretId: ARN }));
    // Assess
    expect(generated.SecretString).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(again.SecretString).toBe(generated.SecretString);
    expect(put.SecretString).toBe('from-the-vendor');
    expect(second.sm.value(ARN)).toBe('from-the-vendor');
  });

  it('answers ResourceNotFoundException for a secret the template does not have', async () => {
    // Prepare
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mo-secrets-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const { client, stop } = await start(dir);
    cleanup.push(stop);
    // Act
    const error = await client
      .send(new GetSecretValueCommand({ SecretId: 'another' }))
      .catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(ResourceNotFoundException);
  });
});
