import { createHash } from 'node:crypto';

/**
 * What the audit log keeps of an idempotency key: a fingerprint, never the key. The raw key is
 * what opens a stored answer (which may hold a token), so it must not sit in the database; the
 * fingerprint still tells the entries of one call apart from another's, and a caller who has the
 * key can compute it. (Migration 0011 turned the keys of earlier entries into fingerprints.)
 */
export function keyFingerprint(key: string): string {
  return `idk_${createHash('sha256').update(`agentcrm-audit-idempotency\n${key}`).digest('base64url').slice(0, 22)}`;
}
