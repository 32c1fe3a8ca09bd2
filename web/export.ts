/** The JSON export of audit rows (CSV is tasks' `toCsv`); shared by the audit view and the CLI. */
import type { AuditRow } from '../tasks/domain/audit.js';

export const toJson = (rows: readonly AuditRow[]): string => `${JSON.stringify({ rows }, null, 2)}\n`;
