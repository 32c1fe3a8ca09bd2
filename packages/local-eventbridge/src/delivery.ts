/**
 * At-least-once delivery to rule targets: each (event, target) is tried until it succeeds or its retry budget
 * (RetryPolicy, or the bus default) is spent; one target's failure never holds up another's. `idle()` settles
 * when nothing is in flight, so tests and shutdown can wait for deliveries deterministically.
 */
export interface DeliveryFailure {
  readonly ruleName: string;
  readonly targetId: string;
  readonly targetArn: string;
  readonly eventId: string;
  readonly attempts: number;
  readonly error: string;
}

export interface DeliveryLogger {
  error(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
}

export interface DeliveryJob {
  readonly ruleName: string;
  readonly targetId: string;
  readonly targetArn: string;
  readonly eventId: string;
  /** Total tries (first one included). */
  readonly maxAttempts: number;
  readonly maxAgeMs: number;
  /** When the event was accepted (ms; the maximum age counts from here). @default now */
  readonly startedAt?: number;
  /** Called once the delivery succeeded or was given up (not when the queue closes with it still pending). */
  readonly settle?: () => void;
  readonly run: () => Promise<void>;
}

export class DeliveryQueue {
  readonly failures: DeliveryFailure[] = [];
  private readonly inflight = new Set<Promise<void>>();
  private readonly waiting = new Map<NodeJS.Timeout, () => void>();
  private closed = false;

  constructor(
    private readonly logger: DeliveryLogger,
    private readonly baseDelayMs: number,
  ) {}

  schedule(job: DeliveryJob): void {
    const started = job.startedAt ?? Date.now();
    const task = this.attempt(job, 1, started);
    this.track(task);
  }

  private track(task: Promise<void>): void {
    this.inflight.add(task);
    void task.finally(() => this.inflight.delete(task));
  }

  private async attempt(job: DeliveryJob, n: number, started: number): Promise<void> {
    if (this.closed) return;
    try {
      await job.run();
      job.settle?.();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const expired = Date.now() - started > job.maxAgeMs;
      if (n >= job.maxAttempts || expired) {
        const failure = { ...pick(job), attempts: n, error: message };
        this.failures.push(failure);
        this.logger.error('event delivery failed, giving up', failure);
        job.settle?.();
        return;
      }
      this.logger.warn('event delivery failed, retrying', { ...pick(job), attempt: n, error: message });
      const delay = Math.min(this.baseDelayMs * 2 ** (n - 1), 5_000);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.waiting.delete(timer);
          resolve();
        }, delay);
        this.waiting.set(timer, resolve);
      });
      await this.attempt(job, n + 1, started);
    }
  }

  /** Resolves once no delivery (nor a retry waiting for its turn) is in flight. */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  /** Drops retries that are waiting for their turn; deliveries already running are awaited. */
  async close(): Promise<void> {
    this.closed = true;
    for (const [timer, resolve] of this.waiting) {
      clearTimeout(timer);
      resolve();
    }
    this.waiting.clear();
    await this.idle();
  }
}

function pick(job: DeliveryJob) {
  return { ruleName: job.ruleName, targetId: job.targetId, targetArn: job.targetArn, eventId: job.eventId };
}
