import { Status } from 'discord.js';
import type { Client } from 'discord.js';

// Whether the client's gateway shards are connected, in words for /readyz. discord.js moves a shard
// from ready to connecting when its connection drops, through identifying (or resuming) and waiting
// for its guilds, and back to ready once they have all arrived; only ready receives events.

const STATUS_WORDS: Readonly<Record<Status, string>> = {
  [Status.Ready]: 'ready',
  [Status.Connecting]: 'connecting',
  [Status.Reconnecting]: 'reconnecting',
  [Status.Idle]: 'not connected',
  [Status.Nearly]: 'nearly ready',
  [Status.Disconnected]: 'disconnected',
  [Status.WaitingForGuilds]: 'waiting for guilds',
  [Status.Identifying]: 'identifying',
  [Status.Resuming]: 'resuming',
};

/** One line per shard of the client that is not ready (e.g. "shard 0: connecting"); empty when all are. */
export function gatewayProblems(client: Client): string[] {
  const shards = [...client.ws.shards.values()];
  if (shards.length === 0) return ['gateway: not connected'];
  return shards
    .filter((shard) => shard.status !== Status.Ready)
    .map((shard) => `shard ${shard.id}: ${STATUS_WORDS[shard.status] ?? `status ${shard.status}`}`);
}
