/**
 * S3 on the embedded default: s3rver (objects as files under the data folder), with the buckets of the synthesized
 * template. The audit archive writes here through the same S3 SDK calls it makes in AWS.
 */
import { mkdir } from 'node:fs/promises';
import S3rver from 's3rver';
import { bucketName } from './resources.js';
import type { CfnTemplate } from './template.js';

export interface LocalS3 {
  readonly url: string;
  close(): Promise<void>;
}

/** Bucket names of the template: the BucketName property, else the logical id in lower case. */
export function bucketsFromTemplate(template: CfnTemplate): { logicalId: string; name: string }[] {
  return Object.entries(template.Resources ?? {})
    .filter(([, r]) => r.Type === 'AWS::S3::Bucket')
    .map(([logicalId, r]) => ({
      logicalId,
      name: typeof r.Properties?.BucketName === 'string' ? r.Properties.BucketName : bucketName(logicalId),
    }));
}

export async function startS3(options: {
  port: number;
  host: string;
  dir: string;
  buckets: readonly string[];
}): Promise<LocalS3> {
  await mkdir(options.dir, { recursive: true });
  const server = new S3rver({
    port: options.port,
    address: options.host,
    silent: true,
    directory: options.dir,
    configureBuckets: options.buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  return { url: `http://${options.host}:${port}`, close: () => server.close() };
}
