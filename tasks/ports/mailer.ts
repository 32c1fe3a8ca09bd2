export interface OutgoingEmail {
  to: string[];
  subject: string;
  text: string;
  /** What the mail is about, for logs and tests: e.g. `acknowledgement`, `staff-task:Consultation`. */
  tag: string;
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}
