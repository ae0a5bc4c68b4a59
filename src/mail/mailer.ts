import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import type { Mailer } from './types.js';

export type { Mailer, MailMessage } from './types.js';

/**
 * SMTP through nodemailer when SMTP_URL is set; otherwise each message becomes an .eml file in
 * DATA_DIR/outbox/ and a log line names the file (never its content: it may hold a code).
 */
export function createMailer(
  config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'dataDir'>,
  logger: Logger,
): Mailer {
  if (config.smtpUrl) return smtpMailer(config.smtpUrl, config.mailFrom, logger);
  return outboxMailer(path.join(config.dataDir, 'outbox'), config.mailFrom, logger);
}

function smtpMailer(url: string, from: string, logger: Logger): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    async send(message) {
      try {
        await transport.sendMail({ from, ...message });
      } catch (error) {
        logger.error({ err: error }, 'mail delivery failed');
        throw mailFailed();
      }
      // Never the recipient, subject or body: an address is personal data, and the text may hold a code.
      logger.info('mail sent');
    },
  };
}

function outboxMailer(directory: string, from: string, logger: Logger): Mailer {
  // The stream transport renders the RFC 5322 message without sending it anywhere.
  const render = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(message) {
      const info = await render.sendMail({ from, ...message });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const file = path.join(directory, `${stamp}-${randomBytes(4).toString('hex')}.eml`);
      try {
        mkdirSync(directory, { recursive: true, mode: 0o700 });
        writeFileSync(file, info.message as Buffer, { mode: 0o600 });
      } catch (error) {
        logger.error({ err: error, file }, 'could not write mail to the outbox');
        throw mailFailed();
      }
      // Never the recipient, subject or body (personal data, a code): only where to find the message.
      logger.info({ file }, `mail written to ${file}`);
    },
  };
}

const mailFailed = () =>
  new AppError(
    'unavailable',
    'the email could not be sent',
    'retry in a minute; if it keeps failing the operator should check SMTP_URL',
  );
