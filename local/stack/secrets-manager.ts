/**
 * Secrets Manager on the embedded default: the secrets of the synthesized template (the provisioning API's signing
 * key, the vendor's OpenID client secret), served over the service's JSON protocol to the same SDK calls the
 * functions make in AWS (GetSecretValue, DescribeSecret, PutSecretValue). A secret the template generates
 * (GenerateSecretString) gets a random value on first start; values are kept under the data folder (mode 0600).
 * Only what the application uses is implemented; anything else answers the error AWS gives for an unknown action.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { CfnTemplate } from './template.js';

export interface LocalSecretSpec {
  /** The ARN the template's Ref resolves to locally (what the functions' environment holds). */
  readonly arn: string;
  readonly name: string;
  /** Generate a value of this length when none is kept yet. */
  readonly generateLength?: number;
}

interface Kept {
  value: string;
  versionId: string;
  createdAt: number;
}

export interface LocalSecretsManager {
  readonly url: string;
  /** The current value of a secret (ARN or name), for the local stand-ins that share it (the sample SaaS). */
  value(id: string): string | undefined;
  close(): Promise<void>;
}

/** The template's secrets with the ARNs the local stack gives them (see resources.ts). */
export function secretsFromTemplate(
  template: CfnTemplate,
  arnOf: (logicalId: string) => string,
): LocalSecretSpec[] {
  return Object.entries(template.Resources ?? {})
    .filter(([, r]) => r.Type === 'AWS::SecretsManager::Secret')
    .map(([logicalId, r]) => {
      const generate = r.Properties?.GenerateSecretString as { PasswordLength?: number } | undefined;
      const name = typeof r.Properties?.Name === 'string' ? r.Properties.Name : logicalId;
      return {
        arn: arnOf(logicalId),
        name,
        ...(generate ? { generateLength: generate.PasswordLength ?? 32 } : {}),
      };
    });
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const randomValue = (length: number) =>
  Array.from(randomBytes(length), (b) => ALPHABET[b % ALPHABET.length]).join('');

export async function startSecretsManager(options: {
  port: number;
  host: string;
  dir: string;
  secrets: readonly LocalSecretSpec[];
}): Promise<LocalSecretsManager> {
  await mkdir(options.dir, { recursive: true });
  const file = path.join(options.dir, 'secrets.json');
  const kept: Record<string, Kept> = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, Kept>)
    : {};
  const save = () => writeFile(file, JSON.stringify(kept, null, 2), { mode: 0o600 });
  for (const s of options.secrets) {
    if (!kept[s.arn] && s.generateLength)
      kept[s.arn] = {
        value: randomValue(s.generateLength),
        versionId: randomUUID(),
        createdAt: Date.now() / 1000,
      };
  }
  await save();
  const find = (id: unknown) =>
    typeof id === 'string' ? options.secrets.find((s) => s.arn === id || s.name === id) : undefined;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = (status: number, body: object) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(body));
      };
      const fail = (type: string, message: string) =>
        answer(400, { __type: type, message, Message: message });
      let input: Record<string, unknown>;
      try {
        input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        return fail('InvalidRequestException', 'the request body is not JSON');
      }
      const action = String(req.headers['x-amz-target'] ?? '').replace(/^secretsmanager\./, '');
      const spec = find(input.SecretId);
      if (['GetSecretValue', 'DescribeSecret', 'PutSecretValue'].includes(action) && !spec)
        return fail('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
      if (!spec) return fail('UnknownOperationException', `${action} is not implemented locally`);
      const current = kept[spec.arn];
      switch (action) {
        case 'GetSecretValue':
          if (!current)
            return fail(
              'ResourceNotFoundException',
              "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
            );
          return answer(200, {
            ARN: spec.arn,
            Name: spec.name,
            SecretString: current.value,
            VersionId: current.versionId,
            VersionStages: ['AWSCURRENT'],
            CreatedDate: current.createdAt,
          });
        case 'DescribeSecret':
          return answer(200, { ARN: spec.arn, Name: spec.name });
        case 'PutSecretValue': {
          if (typeof input.SecretString !== 'string' || !input.SecretString)
            return fail('InvalidParameterException', 'SecretString is required');
          kept[spec.arn] = {
            value: input.SecretString,
            versionId: randomUUID(),
            createdAt: Date.now() / 1000,
          };
          void save();
          return answer(200, {
            ARN: spec.arn,
            Name: spec.name,
            VersionId: kept[spec.arn]?.versionId,
            VersionStages: ['AWSCURRENT'],
          });
        }
        default:
          return fail('UnknownOperationException', `${action} is not implemented locally`);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    value: (id) => {
      const spec = find(id);
      return spec ? kept[spec.arn]?.value : undefined;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
