/** Structural: Powertools Logger and console both fit. Never pass a task token or a marketplace token. */
export interface TaskLogger {
  info(message: string, ...extra: unknown[]): void;
  warn(message: string, ...extra: unknown[]): void;
  error(message: string, ...extra: unknown[]): void;
}

export const silentLogger: TaskLogger = { info() {}, warn() {}, error() {} };
