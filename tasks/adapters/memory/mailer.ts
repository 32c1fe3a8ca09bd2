import type { Mailer, OutgoingEmail } from '../../ports/mailer.js';
import { clone } from './cursor.js';

/** Keeps every e-mail sent (`outbox`), for assertions and for a local inbox view. */
export class MemoryMailer implements Mailer {
  readonly outbox: (OutgoingEmail & { messageId: string })[] = [];
  /** Set to make the next sends fail (e.g. an SES outage). */
  failNext = 0;

  async send(email: OutgoingEmail) {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('mailer unavailable (injected)');
    }
    const messageId = `mail-${this.outbox.length + 1}`;
    this.outbox.push({ ...clone(email), messageId });
    return { messageId };
  }

  tagged(tag: string) {
    return this.outbox.filter((m) => m.tag === tag);
  }
}
