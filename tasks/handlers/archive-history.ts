/**
 * Lambda `archive-history`: on "Step Functions Execution Status Change" (a terminal status of the onboarding state
 * machine), archive the whole execution history for audit beyond Step Functions' 90 days. Also accepts
 * `{ executionArn }` directly (re-archiving by hand).
 */
import { parse } from '@aws-lambda-powertools/parser';
import { EventBridgeEnvelope } from '@aws-lambda-powertools/parser/envelopes';
import { z } from 'zod';
import { type ArchiveResult, archiveHistory } from '../use-cases/audit.js';
import { defaultHandlerDeps, type HandlerDeps, lazyHandler, taskHandler } from './runtime.js';

const StatusChange = z.object({
  executionArn: z.string().startsWith('arn:', 'detail.executionArn must be an ARN'),
  status: z.string(),
});
const Direct = z.object({ executionArn: z.string().startsWith('arn:', 'executionArn must be an ARN') });

export function createHandler(deps: HandlerDeps = defaultHandlerDeps()) {
  return taskHandler(
    deps,
    'archive-history',
    async (event: unknown): Promise<ArchiveResult | { ok: false; error: 'ignored' }> => {
      const change = parse(event, EventBridgeEnvelope, StatusChange, true);
      const executionArn = change.success ? change.data.executionArn : Direct.parse(event).executionArn;
      if (change.success && change.data.status === 'RUNNING') return { ok: false, error: 'ignored' };
      const r = await archiveHistory(deps.ports, { executionArn });
      if (r.ok) deps.logger.info('history archived', { key: r.key, events: r.events });
      else deps.logger.warn('history not archived', { error: r.error, executionArn });
      return r;
    },
    {
      idempotent: true,
      idempotencyKey: 'detail.executionArn || executionArn',
      expiresAfterSeconds: 24 * 3600,
    },
  );
}

export const handler = lazyHandler(() => createHandler());
