import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { secretsManagerReader } from '../../../tasks/adapters/aws/secrets-manager.js';

const sm = mockClient(SecretsManagerClient);
afterEach(() => sm.reset());

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:SessionSecret-abc';

describe('secretsManagerReader (the SecretReader port on Secrets Manager)', () => {
  it('returns the SecretString of the secret it is asked for', async () => {
    // Prepare
    sm.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: 'k'.repeat(64) });
    // Act
    const value = await secretsManagerReader(new SecretsManagerClient({ region: 'us-east-1' }))(ARN);
    // Assess
    expect(value).toBe('k'.repeat(64));
    expect(sm.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input.SecretId)).toEqual([ARN]);
  });

  it('fails on a secret without a string value (a binary secret)', async () => {
    // Prepare
    sm.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1, 2, 3]) });
    // Act
    const read = secretsManagerReader(new SecretsManagerClient({ region: 'us-east-1' }))(ARN);
    // Assess
    await expect(read).rejects.toThrow(`secret ${ARN} has no SecretString`);
  });
});
