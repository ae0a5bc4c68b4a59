// The mail types, no code: a type import of Mailer (Services holds one) loads no mail transport.

export interface MailMessage {
  to: string;
  subject: string;
  /** The plain-text body a person reads; it may hold a code or a link. */
  text: string;
}

/** Sends mail; the implementation is chosen once in createApp. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}
