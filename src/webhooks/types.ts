// The webhook types the app holds, no code: a type import of them (Services holds both) loads no
// delivery machinery.

/** Sends queued webhook deliveries in the background (built by dispatcher.ts). */
export interface WebhookDispatcher {
  /** Looks for due deliveries now (after a change queued some) instead of at the next tick. */
  wake(): void;
  start(): void;
  /** Stops claiming and waits for the deliveries in hand to be recorded. */
  stop(): Promise<void>;
}

/** Resolves a host name to every address it has (node:dns `lookup` with `all`, by default). */
export type HostResolver = (host: string) => Promise<{ address: string; family: number }[]>;
