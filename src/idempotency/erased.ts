/**
 * What a stored answer holds in place of the sealed one once a person it named was erased
 * (contacts.erase, docs/lifecycle.md): it replays as `erased`, so a retry never runs the write again.
 */
export const ERASED_ANSWER = 'erased';
