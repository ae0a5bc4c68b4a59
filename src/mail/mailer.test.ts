import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { startSmtpMailbox } from '../../test/mailbox.js';
import { createMailer } from './mailer.js';
import { loginCodeMessage } from './messages.js';

function capturingLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('mailer', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'agentcrm-mail-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('writes an .eml file to DATA_DIR/outbox/ and logs where, not what', async () => {
    const { logger, lines } = capturingLogger();
    const mailer = createMailer({ dataDir, smtpUrl: undefined, mailFrom: 'crm <crm@example.org>' }, logger);
    await mailer.send(loginCodeMessage('ann@example.com', '482913', 600));
    const files = readdirSync(path.join(dataDir, 'outbox'));
    expect(files).toHaveLength(1);
    const eml = readFileSync(path.join(dataDir, 'outbox', files[0]!), 'utf8');
    expect(eml).toMatch(/^From: crm <crm@example.org>$/m);
    expect(eml).toMatch(/^To: ann@example.com$/m);
    expect(eml).toContain('482913');
    const log = lines.join('');
    expect(log).toContain(files[0]);
    expect(log).not.toContain('482913');
  });

  it('sends through SMTP when SMTP_URL is set, logging no secret', async () => {
    const smtp = await startSmtpMailbox();
    try {
      const { logger, lines } = capturingLogger();
      const mailer = createMailer({ dataDir, smtpUrl: smtp.url, mailFrom: 'crm@example.org' }, logger);
      await mailer.send(loginCodeMessage('bob@example.com', '105577', 600));
      expect(smtp.messages).toHaveLength(1);
      expect(smtp.messages[0]!.to).toBe('bob@example.com');
      expect(smtp.messages[0]!.text).toContain('105577');
      expect(lines.join('')).not.toContain('105577');
    } finally {
      await smtp.close();
    }
  });

  it('answers unavailable when the SMTP server cannot be reached', async () => {
    const { logger } = capturingLogger();
    const mailer = createMailer(
      { dataDir, smtpUrl: 'smtp://127.0.0.1:1', mailFrom: 'crm@example.org' },
      logger,
    );
    await expect(mailer.send(loginCodeMessage('c@example.com', '123123', 600))).rejects.toMatchObject({
      code: 'unavailable',
    });
  });
});
