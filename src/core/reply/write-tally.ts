// What the platform's rate limits cost one answer: the 429s its writes (posts, edits, deletions)
// received, retries included. Only the platform sees its responses, so it links each one to the write
// that made it; the reply stream runs every write of the answer through the answer's tally.

export interface WriteTally {
  /** Runs one write of the answer; a 429 that any request of it receives is counted. */
  run<T>(write: () => Promise<T>): Promise<T>;
  /** 429s counted so far. */
  readonly rateLimited: number;
}

/** Makes a tally for each answer. */
export type WriteTallies = () => WriteTally;
