/**
 * Messages shown after a redirect, chosen by key from this list: the URL carries only the key,
 * so nothing a link contains is ever echoed into a page.
 */
export const NOTICES = {
  signed_out: 'You are signed out.',
  session_ended: 'Your session ended. Sign in again to continue.',
  welcome: 'Welcome! You are now the billing owner and an admin of this workspace.',
  budget_saved: 'The monthly budget is saved.',
  approved: 'Approved. The change is carried out as proposed.',
  rejected: 'Rejected. Nothing was changed; the agent sees the decision and your note.',
  role_changed: 'The role is changed.',
  member_removed: 'The member is removed and their sessions for this workspace are ended.',
  invite_sent: 'The invite is sent: they join the next time they sign in with that address.',
  invite_withdrawn: 'The invite is withdrawn.',
  token_revoked: 'The token is revoked: it stops working at once.',
  policy_saved: 'The policy is saved.',
  switched: 'You switched workspace.',
} as const;

export type NoticeKey = keyof typeof NOTICES;

export function noticeText(key: string | undefined): string | null {
  return key && Object.hasOwn(NOTICES, key) ? NOTICES[key as NoticeKey] : null;
}
