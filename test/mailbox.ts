import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { App } from '../src/app.js';
import { call } from './harness.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

function toMail(parsed: ParsedMail): Mail {
  const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
  return { to: to?.value[0]?.address ?? '', subject: parsed.subject ?? '', text: parsed.text ?? '' };
}

export interface SmtpMailbox {
  /** SMTP_URL for the app under test. */
  url: string;
  messages: Mail[];
  close(): Promise<void>;
}

/** A real SMTP server in the test process; every message it accepts is parsed and kept. */
export async function startSmtpMailbox(): Promise<SmtpMailbox> {
  const messages: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          messages.push(toMail(parsed));
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  const port = await new Promise<number>((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve((server.server.address() as { port: number }).port));
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The messages the outbox mailer wrote under DATA_DIR/outbox/, oldest first. */
export async function outboxMessages(dataDir: string): Promise<Mail[]> {
  const directory = path.join(dataDir, 'outbox');
  let files: string[];
  try {
    files = readdirSync(directory).filter((name) => name.endsWith('.eml'));
  } catch {
    return [];
  }
  const mails: Mail[] = [];
  for (const file of files.sort())
    mails.push(toMail(await simpleParser(readFileSync(path.join(directory, file)))));
  return mails;
}

/** The 6-digit code in the newest message to `to`. */
export function latestCode(messages: Mail[], to: string): string {
  const mail = messages.filter((m) => m.to === to).at(-1);
  const code = mail?.text.match(/^\s+(\d{6})\s*$/m)?.[1];
  if (!code) throw new Error(`no code mailed to ${to}; got ${messages.map((m) => m.to).join(', ')}`);
  return code;
}

export interface Person {
  token: string;
  tokenId: string;
  userId: string;
  workspaceId: string;
  email: string;
}

/** Signs a person in through the outbox, as an agent acting for its human would. */
export async function signIn(app: App, dataDir: string, email: string, tokenName = 'test'): Promise<Person> {
  const requested = await call(app, 'POST', '/auth/request', { email });
  if (requested.status !== 202) throw new Error(`auth/request failed: ${requested.text}`);
  const code = latestCode(await outboxMessages(dataDir), email);
  const verified = await call(
    app,
    'POST',
    '/auth/verify',
    { email, code, token_name: tokenName },
    { json: true },
  );
  if (verified.status !== 201) throw new Error(`auth/verify failed: ${verified.text}`);
  const data = verified.json.data;
  return { token: data.token, tokenId: data.id, userId: data.user_id, workspaceId: data.workspace_id, email };
}

/**
 * The agent's human, as the AgentOnly flow makes one: the agent invites them as billing owner,
 * they accept with the emailed code, and get an admin token for the agent's workspace.
 */
export async function inviteHuman(
  app: App,
  dataDir: string,
  agent: { token: string; workspaceId: string; agentId: string },
  email = `owner.${agent.workspaceId}@example.com`,
): Promise<Person> {
  const sent = await call(
    app,
    'POST',
    '/agent-invite-human',
    { workspace_id: agent.workspaceId, agent_id: agent.agentId, human_email: email, human_name: 'Owner' },
    { token: agent.token, json: true },
  );
  if (sent.status !== 201) throw new Error(`invite failed: ${sent.text}`);
  const link = (await outboxMessages(dataDir)).filter((mail) => mail.to === email).at(-1);
  const invite = link?.text.match(/\/human\?invite=(\S+)/)?.[1];
  if (!invite) throw new Error(`no invite link mailed to ${email}`);
  const asked = await call(app, 'POST', '/human/invites/accept', { invite }, { json: true });
  if (asked.status !== 202) throw new Error(`accept (code request) failed: ${asked.text}`);
  const code = latestCode(await outboxMessages(dataDir), email);
  const accepted = await call(app, 'POST', '/human/invites/accept', { invite, code }, { json: true });
  if (accepted.status !== 201) throw new Error(`accept failed: ${accepted.text}`);
  const data = accepted.json.data;
  return {
    token: data.token,
    tokenId: data.token_id ?? data.id,
    userId: data.user_id,
    workspaceId: data.workspace_id,
    email,
  };
}

/** Sets workspace policy settings as the agent's human would (PATCH /policy with an admin token). */
export async function setPolicy(
  app: App,
  dataDir: string,
  agent: { token: string; workspaceId: string; agentId: string },
  settings: Record<string, unknown>,
): Promise<Person> {
  const human = await inviteHuman(app, dataDir, agent);
  const reply = await call(app, 'PATCH', '/policy', settings, { token: human.token });
  if (reply.status !== 200) throw new Error(`policy update failed: ${reply.text}`);
  return human;
}
