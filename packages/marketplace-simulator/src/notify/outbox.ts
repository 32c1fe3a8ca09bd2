/**
 * Durable notification outbox: each agreement event / SNS message is stored first, then delivered in order per
 * channel (EventBridge PutEvents through the real SDK client; SNS as an HTTP POST), retried with backoff until
 * delivered, and resumed after a restart. Without an endpoint for a channel, messages are only recorded.
 */
import { randomUUID } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { SimulatorConfig, SimulatorLogger } from '../config.js';
import type { Notifier } from '../core.js';
import type { NotificationRecord } from '../model.js';
import type { DocStore } from '../store.js';
import { AGREEMENT_EVENT_SOURCE, agreementResource } from './agreement-events.js';
import type { MailMessage } from './offer-mail.js';
import { type SnsNotification, snsEnvelope, snsTopicArn } from './sns.js';

type Channel = NotificationRecord['channel'];
const CHANNELS: readonly Channel[] = ['eventbridge', 'sns', 'mail'];

export class Outbox implements Notifier {
  private seq: number;
  private readonly draining = new Map<Channel, Promise<void>>();
  private readonly retryTimers = new Map<Channel, NodeJS.Timeout>();
  private readonly eventBridge: EventBridgeClient | undefined;
  private readonly ses: SESv2Client | undefined;
  /** Ids still to deliver, per channel, in order. */
  private readonly pending: Record<Channel, string[]> = { eventbridge: [], sns: [], mail: [] };
  private readonly paused = new Set<Channel>();
  private closed = false;
  baseUrl = '';

  constructor(
    private readonly store: DocStore,
    private readonly config: SimulatorConfig,
    private readonly log: SimulatorLogger,
    private readonly now: () => Date,
  ) {
    const all = this.list();
    this.seq = all.reduce((max, n) => Math.max(max, n.seq), 0);
    for (const n of all) if (n.status === 'pending') this.pending[n.channel].push(n.id);
    this.eventBridge =
      config.eventsEndpoint === undefined
        ? undefined
        : new EventBridgeClient({
            endpoint: config.eventsEndpoint,
            region: config.region,
            credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
            maxAttempts: 1,
          });
    this.ses =
      config.offerMail === undefined
        ? undefined
        : new SESv2Client({
            endpoint: config.offerMail.sesEndpoint,
            region: config.region,
            credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
            maxAttempts: 1,
          });
  }

  agreementEvent(
    detailType: string,
    detail: Record<string, unknown>,
    agreementId: string,
    resources: string[] = [agreementResource(agreementId)],
  ): void {
    this.enqueue('eventbridge', {
      source: AGREEMENT_EVENT_SOURCE,
      detailType,
      detail,
      resources,
      time: this.now().toISOString(),
    });
  }

  sns(_action: string, message: Record<string, string>): void {
    this.enqueue(
      'sns',
      snsEnvelope(
        snsTopicArn(this.config.productCode),
        message,
        this.now(),
        this.baseUrl,
      ) as unknown as Record<string, unknown>,
    );
  }

  mail(message: MailMessage): void {
    this.enqueue('mail', message as unknown as Record<string, unknown>);
  }

  /** Delivers what is pending (also what a previous run left behind). */
  start(): void {
    for (const c of CHANNELS) this.kick(c);
  }

  list(): NotificationRecord[] {
    return this.store.list<NotificationRecord>('notification').sort((a, b) => a.seq - b.seq);
  }

  /** Holds back deliveries on a channel (they stay pending, in order) until `resume`. */
  pause(channel: Channel): void {
    this.paused.add(channel);
  }

  resume(channel?: Channel): void {
    for (const c of channel ? [channel] : CHANNELS) {
      this.paused.delete(c);
      this.kick(c);
    }
  }

  /**
   * Waits until nothing is pending on the channels that are not paused; false when `timeoutMs` passed first
   * (e.g. the endpoint is down).
   */
  async idle(timeoutMs = 10_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const busy = () => CHANNELS.some((c) => !this.paused.has(c) && this.pending[c].length > 0);
    while (busy()) {
      if (Date.now() > deadline) return false;
      // Always yield a macrotask: deliveries are kicked off with setImmediate.
      await new Promise((r) => setTimeout(r, 10));
    }
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.retryTimers.values()) clearTimeout(t);
    this.retryTimers.clear();
    await Promise.allSettled([...this.draining.values()]);
    this.eventBridge?.destroy();
    this.ses?.destroy();
  }

  private enqueue(channel: Channel, payload: Record<string, unknown>): void {
    const configured =
      channel === 'eventbridge'
        ? this.eventBridge !== undefined
        : channel === 'mail'
          ? this.ses !== undefined
          : this.config.snsCallback !== undefined;
    const record: NotificationRecord = {
      id: randomUUID(),
      seq: ++this.seq,
      channel,
      createdAt: this.now().toISOString(),
      status: configured ? 'pending' : 'recorded',
      attempts: 0,
      payload,
    };
    this.store.put('notification', record.id, record);
    if (configured) this.pending[channel].push(record.id);
    // After the caller's transaction commits, so nothing is sent for a state change that was rolled back.
    if (configured) setImmediate(() => this.kick(channel));
  }

  private kick(channel: Channel): void {
    if (
      this.closed ||
      this.paused.has(channel) ||
      this.draining.has(channel) ||
      this.retryTimers.has(channel)
    )
      return;
    const run = this.drain(channel).finally(() => this.draining.delete(channel));
    this.draining.set(channel, run);
  }

  private async drain(channel: Channel): Promise<void> {
    for (;;) {
      if (this.closed || this.paused.has(channel)) return;
      const nextId = this.pending[channel][0];
      if (nextId === undefined) return;
      const next = this.store.get<NotificationRecord>('notification', nextId);
      if (next?.status !== 'pending') {
        this.pending[channel].shift(); // rolled back with its transaction, or already sent
        continue;
      }
      try {
        await (channel === 'eventbridge'
          ? this.putEvent(next)
          : channel === 'mail'
            ? this.sendMail(next)
            : this.postSns(next));
        this.store.put('notification', next.id, { ...next, status: 'sent', attempts: next.attempts + 1 });
        this.pending[channel].shift();
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        const attempts = next.attempts + 1;
        this.store.put('notification', next.id, { ...next, attempts, lastError: message });
        this.log.error('notification delivery failed, will retry', {
          channel,
          id: next.id,
          attempts,
          error: message,
        });
        const delay = Math.min(100 * 2 ** Math.min(attempts - 1, 6), 5_000);
        const timer = setTimeout(() => {
          this.retryTimers.delete(channel);
          this.kick(channel);
        }, delay);
        timer.unref();
        this.retryTimers.set(channel, timer);
        return;
      }
    }
  }

  private async putEvent(n: NotificationRecord): Promise<void> {
    const p = n.payload as {
      source: string;
      detailType: string;
      detail: unknown;
      resources: string[];
      time: string;
    };
    const out = await (this.eventBridge as EventBridgeClient).send(
      new PutEventsCommand({
        Entries: [
          {
            Source: p.source,
            DetailType: p.detailType,
            Detail: JSON.stringify(p.detail),
            Resources: p.resources,
            Time: new Date(p.time),
            EventBusName: this.config.eventBusName,
          },
        ],
      }),
    );
    const entry = out.Entries?.[0];
    if ((out.FailedEntryCount ?? 0) > 0 || entry?.ErrorCode) {
      throw new Error(
        `PutEvents rejected the event: ${entry?.ErrorCode ?? 'unknown'} ${entry?.ErrorMessage ?? ''}`,
      );
    }
  }

  private async sendMail(n: NotificationRecord): Promise<void> {
    const m = n.payload as unknown as MailMessage;
    await (this.ses as SESv2Client).send(
      new SendEmailCommand({
        FromEmailAddress: m.from,
        Destination: { ToAddresses: m.to },
        Content: {
          Simple: {
            Subject: { Data: m.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: m.text, Charset: 'UTF-8' }, Html: { Data: m.html, Charset: 'UTF-8' } },
          },
        },
      }),
    );
  }

  private async postSns(n: NotificationRecord): Promise<void> {
    const envelope = n.payload as unknown as SnsNotification;
    const callback = this.config.snsCallback;
    if (typeof callback === 'function') return callback(structuredClone(envelope));
    const res = await fetch(callback as string, {
      method: 'POST',
      headers: {
        'content-type': 'text/plain; charset=UTF-8',
        'x-amz-sns-message-type': 'Notification',
        'x-amz-sns-message-id': envelope.MessageId,
        'x-amz-sns-topic-arn': envelope.TopicArn,
        'user-agent': 'Amazon Simple Notification Service Agent',
      },
      body: JSON.stringify(n.payload),
      signal: AbortSignal.timeout(10_000),
    });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`SNS endpoint answered HTTP ${res.status}`);
  }
}
