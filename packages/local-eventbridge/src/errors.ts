/** Raised when a rule's event pattern is not valid (EventBridge answers `InvalidEventPatternException`). */
export class InvalidEventPatternError extends Error {
  override readonly name = 'InvalidEventPatternError';
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`Event pattern is not valid at ${path}: ${detail}`);
  }
}
