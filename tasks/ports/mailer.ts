export interface OutgoingEmail {
  to: string[];
  subject: string;
  /** The text/plain part. */
  text: string;
  /** The text/html part (the same words, links as <a>); text only when absent. */
  html?: string;
  /** What the mail is about, for logs and tests: e.g. `acknowledgement`, `staff-task:Consultation`. */
  tag: string;
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}
