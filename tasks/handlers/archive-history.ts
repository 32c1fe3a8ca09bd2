/**
 * Lambda `archive-history`: on "Step Functions Execution Status Change" (a terminal status of the onboarding state
 * machine), archive the whole execution history for audit beyond Step Functions' 90 days. Also accepts
 * `{ executionArn }` directly (re-archiving by hand).
 */
import * as z from 'zod';
import { dynamoPorts } from '../adapters/aws/dynamo-ports.js';
import { historyArchiveFromEnv } from '../adapters/aws/s3-history-archive.js';
import { sfnHistoryFromEnv } from '../adapters/aws/sfn-history.js';
import { type ArchiveResult, archiveHistory } from '../use-cases/audit.js';
import { defineTaskHandler } from './middleware.js';

/** EventBridge "Step Functions Execution Status Change" (only what is used). */
const StatusChange = z.object({
  'detail-type': z.literal('Step Functions Execution Status Change'),
  source: z.literal('aws.states'),
  detail: z.object({
    executionArn: z.string().startsWith('arn:', 'detail.executionArn must be an ARN'),
    status: z.string(),
  }),
});
const Direct = z.object({ executionArn: z.string().startsWith('arn:', 'executionArn must be an ARN') });

export const { createHandler, handler } = defineTaskHandler({
  name: 'archive-history',
  ports: (c) => ({
    onboardings: dynamoPorts({ log: c.log }).onboardings,
    history: sfnHistoryFromEnv(),
    archive: historyArchiveFromEnv(),
  }),
  run: async (
    ports: Parameters<typeof archiveHistory>[0],
    event,
    logger,
  ): Promise<ArchiveResult | { ok: false; error: 'ignored' }> => {
    const change = StatusChange.safeParse(event);
    if (change.success && change.data.detail.status === 'RUNNING') return { ok: false, error: 'ignored' };
    const executionArn = change.success ? change.data.detail.executionArn : Direct.parse(event).executionArn;
    const r = await archiveHistory(ports, { executionArn });
    if (r.ok) logger.info('history archived', { key: r.key, events: r.events });
    else logger.warn('history not archived', { error: r.error, executionArn });
    return r;
  },
  idempotent: true,
  idempotencyKey: 'detail.executionArn || executionArn',
  expiresAfterSeconds: 24 * 3600,
});
