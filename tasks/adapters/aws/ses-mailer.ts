/** E-mail through SES v2 SendEmail (Simple content, UTF-8 subject, text and HTML body). */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Mailer, OutgoingEmail } from '../../ports/mailer.js';
import { readSettings } from './env.js';
import { once, regionOf } from './sdk-clients.js';

export class SesMailer implements Mailer {
  constructor(
    private readonly ses: SESv2Client,
    private readonly from: () => string,
  ) {}

  async send(email: OutgoingEmail) {
    const r = await this.ses.send(
      new SendEmailCommand({
        FromEmailAddress: this.from(),
        Destination: { ToAddresses: email.to },
        Content: {
          Simple: {
            // one header line whatever the caller passed (CR/LF would start another header)
            Subject: { Data: email.subject.replace(/[\r\n]+/g, ' '), Charset: 'UTF-8' },
            // both parts: mail programs show the HTML (links as links) and fall back to the text
            Body: {
              Text: { Data: email.text, Charset: 'UTF-8' },
              ...(email.html !== undefined && { Html: { Data: email.html, Charset: 'UTF-8' } }),
            },
          },
        },
        // tag values allow letters, digits, _ and - only
        EmailTags: [{ Name: 'purpose', Value: email.tag.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256) }],
      }),
    );
    return { messageId: r.MessageId ?? '' };
  }
}

export const sesClient = once(() => new SESv2Client({ region: regionOf(process.env) }));

export function sesMailerFromEnv(env: Record<string, string | undefined> = process.env): SesMailer {
  return new SesMailer(sesClient(), readSettings(env).emailFrom);
}
