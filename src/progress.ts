/** Progress of a long job, one phase at a time (a table being seeded, rows being imported); the CLI draws it. */
export interface Progress {
  start(label: string, total: number): void;
  advance(count: number): void;
  finish(): void;
  /** Writes a line of its own (a rejected row, a warning) without tearing a bar drawn on the terminal. */
  note(line: string): void;
}
