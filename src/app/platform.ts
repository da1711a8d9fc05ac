// One chat platform (Discord, Slack) as the process sees it: an adapter over the shared services
// with its own connection, write budgets, answerer and listeners. createBot starts and stops them
// together.

export interface Platform {
  /** For logs and readiness lines. */
  readonly name: string;
  /** Connects; resolves once questions can arrive (and start-up chores such as command sync are done). */
  start(): Promise<void>;
  /**
   * Stops taking questions, lets running answers finish within `graceMs`, ends the rest with the
   * shutdown notice, and waits for its background work (the restart sweep).
   */
  drain(graceMs: number): Promise<void>;
  /** Closes the connection; after drain() and after the storage has closed. */
  disconnect(): Promise<void>;
  /** What keeps it from taking questions, one line each (for /readyz); empty when ready. */
  problems(): readonly string[];
}
