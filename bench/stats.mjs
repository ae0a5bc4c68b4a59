// Latency percentiles, shared by the load generators (kept apart from lib.mjs, which probes the
// machine when imported).
/** p50, p95, p99 and max of a list of latencies (ms); null for an empty list. */
export function latencySummary(latencies) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? null;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.at(-1) ?? null };
}
