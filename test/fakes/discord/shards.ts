/**
 * Discord's sharding rules, as the gateway applies them to every dispatch: a guild's events go
 * to shard `(guild_id >> 22) % shard_count`, DMs to shard 0. A session that identified without
 * `shard` is the only one of its bot and receives everything.
 */

export type ShardPair = readonly [id: number, count: number];

/** The shard that receives `guildId`'s events when the bot runs `shardCount` shards. */
export function shardOfGuild(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** Whether a session identified as `shard` receives events of `guildId` (undefined: a DM). */
export function shardReceives(shard: ShardPair | undefined, guildId: string | undefined): boolean {
  if (shard === undefined) return true;
  const [id, count] = shard;
  return guildId === undefined ? id === 0 : shardOfGuild(guildId, count) === id;
}

/** IDENTIFY's `shard` must be [id, count] with 0 ≤ id < count; Discord closes with 4010 otherwise. */
export function isValidShard(shard: ShardPair): boolean {
  const [id, count] = shard;
  return Number.isInteger(id) && Number.isInteger(count) && id >= 0 && id < count;
}
