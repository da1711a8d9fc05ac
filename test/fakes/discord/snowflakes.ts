/** Discord's epoch (2015-01-01T00:00:00Z): snowflake timestamps count from here. */
const DISCORD_EPOCH_MS = 1_420_070_400_000n;
const INCREMENT_BITS = 12n;
const MAX_INCREMENT = (1n << INCREMENT_BITS) - 1n;

export interface SnowflakeGenerator {
  /** A new id, strictly greater than every id this generator returned before. */
  next(): string;
}

/**
 * Real snowflakes (timestamp << 22 | worker | process | increment), not counters: discord.js
 * reads the timestamp back (createdTimestamp, cache sorting) and @discordjs/rest treats an
 * id-shaped path segment (17–19 digits) as a major parameter when it picks a rate-limit bucket.
 */
export function createSnowflakeGenerator(now: () => number = Date.now): SnowflakeGenerator {
  let lastMs = 0n;
  let increment = 0n;
  return {
    next(): string {
      const ms = BigInt(now()) - DISCORD_EPOCH_MS;
      if (ms > lastMs) {
        lastMs = ms;
        increment = 0n;
      } else if (increment === MAX_INCREMENT) {
        // Ran out of increments in this millisecond: borrow the next one so ids stay ordered.
        lastMs += 1n;
        increment = 0n;
      } else {
        increment += 1n;
      }
      // Worker 1, process 0: any fixed values will do, they only need to fit their 5 bits.
      return ((lastMs << 22n) | (1n << 17n) | increment).toString();
    },
  };
}

/** The creation time encoded in a snowflake, in ms since the Unix epoch. */
export function snowflakeTimestamp(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH_MS);
}

/**
 * Every shard count from 1 to 16 divides this many ms (lcm(1..16), about 12 minutes), so
 * timestamps that are multiples of it sit on shard 0 of every such count.
 */
const SHARD_ALIGNMENT_MS = 720_720n;

/**
 * Guild ids that spread over shards the way tests expect: guild `index` is on shard
 * `index % n` for every shard count n ≤ 16 (`(id >> 22) % n`), so with 2 shards the first two
 * guilds are on different ones. The timestamp lies 12 to 24 minutes in the past, as a guild
 * older than the test would; worker 2 keeps these ids apart from the generator's (worker 1).
 */
export function guildSnowflake(index: number, now: () => number = Date.now): string {
  const ms = BigInt(now()) - DISCORD_EPOCH_MS;
  const aligned = (ms / SHARD_ALIGNMENT_MS) * SHARD_ALIGNMENT_MS - SHARD_ALIGNMENT_MS;
  return (((aligned + BigInt(index)) << 22n) | (2n << 17n)).toString();
}
