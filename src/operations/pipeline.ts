/**
 * The names transports and features have imported from here; the executor itself lives in
 * executor.ts (calls), batch.ts (batch items), approved.ts (approved proposals) and steps.ts.
 */
export { type CallMeta, runOperation } from './executor.js';
export { ALLOWED, loginHint } from './steps.js';
