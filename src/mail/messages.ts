import type { MailMessage } from './types.js';

/** The messages agentcrm sends: plain text a person can read, with the code or link on its own line. */

const minutes = (seconds: number) => Math.round(seconds / 60);

export function loginCodeMessage(to: string, code: string, ttlSeconds: number): MailMessage {
  return {
    to,
    subject: `Your agentcrm sign-in code: ${code}`,
    text: `Your agentcrm sign-in code is:

    ${code}

It works once, for ${minutes(ttlSeconds)} minutes. Give it to the agent or page that asked for it.
If you did not ask to sign in, ignore this message: nothing happens without the code.
`,
  };
}

export function stepUpMessage(to: string, code: string, action: string, ttlSeconds: number): MailMessage {
  return {
    to,
    subject: `Confirm in agentcrm: ${action}`,
    text: `Someone using your agentcrm account asked to:

    ${action}

To allow it, give this confirmation code to the agent that asked:

    ${code}

The code confirms only this action, works once, and expires in ${minutes(ttlSeconds)} minutes.
If you did not expect this, do not share the code; consider revoking your tokens (GET /tokens).
`,
  };
}

export function memberInviteMessage(
  to: string,
  workspaceName: string,
  role: string,
  inviter: string,
  publicUrl: string,
): MailMessage {
  return {
    to,
    subject: `You are invited to "${workspaceName}" on agentcrm`,
    text: `${inviter} invited you to the agentcrm workspace "${workspaceName}" as ${role}.

You join it automatically the next time you sign in with this address:

    curl -s -X POST ${publicUrl}/auth/request -d '{"email":"${to}"}'
    curl -s -X POST ${publicUrl}/auth/verify -d '{"email":"${to}","code":"<the emailed code>"}'

or simply ask your AI agent to sign you in to agentcrm. Manual: ${publicUrl}/help
`,
  };
}

export function billingOwnerInviteMessage(
  to: string,
  link: string,
  workspaceName: string,
  agentName: string,
  humanName: string | null,
  ttlSeconds: number,
): MailMessage {
  return {
    to,
    subject: `${agentName} invites you to own its agentcrm workspace`,
    text: `Hello${humanName ? ` ${humanName}` : ''},

Your AI agent "${agentName}" works in the agentcrm workspace "${workspaceName}" and asks you to
become its billing owner: you will approve its sensitive changes, set its budget, and unlock the
production plan. Until you accept, the workspace stays on the free sandbox plan.

Open this link to accept (it works once, for ${Math.round(ttlSeconds / 86400)} days):

    ${link}

If you do not know this agent, ignore this message.
`,
  };
}

/** Sent instead of a code when someone asks the human console to sign in an address that has no account. */
export function noAccountMessage(to: string, publicUrl: string): MailMessage {
  return {
    to,
    subject: 'agentcrm: no account for this address',
    text: `Someone (perhaps you) asked to sign in to agentcrm at ${publicUrl}/human with this address,
but no agentcrm workspace has it as a member.

agentcrm has no sign-up form: people join because an AI agent invites them. Ask your agent to
invite you (its tool is humans.invite_billing_owner), then open the link in the email it sends.

If you did not ask, ignore this message: nothing was created.
`,
  };
}
