/**
 * Lambda `reconcile-agreements` (EventBridge Scheduler, hourly; `npm run onboarding -- reconcile` on demand): the
 * seller's agreements against our records, each difference repaired through the use case its event would have gone
 * through (tasks/use-cases/reconcile-agreements.ts). Not idempotent by design: each run looks again.
 */
import { type ReconcileReport, reconcileAgreements } from '../use-cases/reconcile-agreements.js';
import { defineTaskHandler } from './middleware.js';
import { signalPorts } from './signal-ports.js';

export const { createHandler, handler } = defineTaskHandler({
  name: 'reconcile-agreements',
  ports: signalPorts,

  run: async (ports: Parameters<typeof reconcileAgreements>[0], _event, logger): Promise<ReconcileReport> => {
    const report = await reconcileAgreements(ports, {
      onPage: (p) => logger.info('reconciling', p),
    });
    logger.info('reconciled', { agreements: report.agreements, findings: report.findings.length });
    return report;
  },
  idempotent: false,
});
