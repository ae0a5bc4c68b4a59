// The billing types, no code: a type import of UsageMeter (Services holds one) loads no metering.

export interface UsageMeter {
  /** Counts one request against a workspace's month. */
  count(workspaceId: string): void;
  /** Requests counted here and not yet written. */
  pending(workspaceId: string): number;
  flush(): Promise<void>;
  start(): void;
  stop(): Promise<void>;
}
