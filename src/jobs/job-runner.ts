/** The background job runner as the rest of the app sees it (built by worker.ts). */
export interface JobRunner {
  /** Looks for work now (after a job was queued) instead of at the next tick. */
  wake(): void;
  start(): void;
  /** Stops taking work and waits for the job in hand to reach a saved point. */
  stop(): Promise<void>;
}
