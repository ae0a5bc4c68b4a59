// The metrics types, no code: a type import of Metrics (Services holds one) loads no prom-client.

/** Which door a request came in by; bounded, so it is safe as a label. */
export type Surface = 'rest' | 'tool' | 'mcp' | 'oauth' | 'console' | 'probe' | 'other';

/** What the rest of the code tells the metrics; each call is a few hash lookups, no I/O. */
export interface Metrics {
  /** One answered (or abandoned: status 499) HTTP request. */
  request(operation: string | null, surface: Surface, status: number, seconds: number): void;
  /** A request refused at capacity: too many in flight, or too many bodies arriving. */
  shed(reason: 'in_flight' | 'bodies'): void;
  /** Where the in-flight count is read at scrape time. */
  inFlightFrom(read: () => number): void;
  signInFailure(reason: string): void;
  /** One webhook delivery attempt, `lateSeconds` after it was due. */
  webhookAttempt(outcome: 'succeeded' | 'retrying' | 'given_up', lateSeconds: number): void;
  /** The Prometheus text exposition of everything above, plus process metrics. */
  render(): Promise<string>;
  readonly contentType: string;
}
