/**
 * Archived execution histories in S3 (Object Lock in AWS keeps them beyond Step Functions' 90 days):
 * `histories/<YYYY-MM-DD of the end>/<onboardingId>.json`.
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ArchivedHistory } from '../../domain/audit.js';
import { type ArchiveEntry, archiveKey, type HistoryArchive } from '../../ports/history-archive.js';
import type { PageRequest } from '../../ports/page.js';
import { ENV } from '../../table.js';
import { readSettings } from './env.js';
import { once, regionOf } from './sdk-clients.js';

const PREFIX = 'histories/';

function entryOf(key: string): ArchiveEntry {
  const [, day = '', file = ''] = key.split('/');
  return { key, endedOn: day, onboardingId: file.replace(/\.json$/, '') };
}

export class S3HistoryArchive implements HistoryArchive {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: () => string,
  ) {}

  async put(history: ArchivedHistory) {
    const key = archiveKey(history.onboardingId, history.execution.stopDate ?? history.archivedAt);
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket(),
        Key: key,
        Body: JSON.stringify(history),
        ContentType: 'application/json',
        // Object Lock buckets require an integrity checksum on PutObject
        ChecksumAlgorithm: 'SHA256',
      }),
    );
    return { key };
  }

  async get(key: string) {
    try {
      const r = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket(), Key: key }));
      const text = await r.Body?.transformToString('utf-8');
      return text ? (JSON.parse(text) as ArchivedHistory) : undefined;
    } catch (err) {
      if (err instanceof Error && (err.name === 'NoSuchKey' || err.name === 'NotFound')) return undefined;
      throw err;
    }
  }

  async list(range: { from: string; to: string } & PageRequest) {
    const limit = range.limit ?? 100;
    const startAfter = range.cursor
      ? Buffer.from(range.cursor, 'base64url').toString('utf8')
      : `${PREFIX}${range.from}`;
    if (!startAfter.startsWith(PREFIX)) throw new RangeError('invalid cursor');
    const items: ArchiveEntry[] = [];
    let continuation: string | undefined;
    let done = false;
    do {
      const r = await this.s3.send(
        new ListObjectsV2Command({
          Bucket: this.bucket(),
          Prefix: PREFIX,
          ...(continuation ? { ContinuationToken: continuation } : { StartAfter: startAfter }),
          MaxKeys: Math.min(1000, limit + 1),
        }),
      );
      for (const o of r.Contents ?? []) {
        if (!o.Key) continue;
        const entry = entryOf(o.Key);
        if (entry.endedOn > range.to) {
          done = true;
          break;
        }
        if (entry.endedOn >= range.from) items.push(entry);
        if (items.length > limit) break;
      }
      continuation = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (!done && items.length <= limit && continuation);
    if (items.length > limit) {
      const page = items.slice(0, limit);
      return { items: page, nextCursor: Buffer.from(page.at(-1)?.key ?? '').toString('base64url') };
    }
    return { items };
  }
}

export const s3Client = once(
  () =>
    new S3Client({
      region: regionOf(process.env),
      forcePathStyle: process.env[ENV.archiveForcePathStyle] === 'true',
    }),
);

export function historyArchiveFromEnv(
  env: Record<string, string | undefined> = process.env,
): S3HistoryArchive {
  return new S3HistoryArchive(s3Client(), readSettings(env).archiveBucket);
}
