import { Status } from 'discord.js';
import type { Client } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { gatewayProblems } from '../../../../src/platforms/discord/gateway-state.js';

// A client as far as the check reads it: its shards and their status.
const clientWith = (...statuses: Status[]) =>
  ({ ws: { shards: new Map(statuses.map((status, id) => [id, { id, status }])) } }) as unknown as Client;

describe('gatewayProblems', () => {
  it('is empty when every shard is ready', () => {
    expect(gatewayProblems(clientWith(Status.Ready, Status.Ready))).toEqual([]);
  });

  it('names each shard that is not ready, in words', () => {
    expect(gatewayProblems(clientWith(Status.Ready, Status.Connecting, Status.WaitingForGuilds))).toEqual([
      'shard 1: connecting',
      'shard 2: waiting for guilds',
    ]);
    expect(gatewayProblems(clientWith(Status.Resuming, Status.Identifying, Status.Disconnected))).toEqual([
      'shard 0: resuming',
      'shard 1: identifying',
      'shard 2: disconnected',
    ]);
  });

  it('is not ready before the client has any shard (not logged in yet)', () => {
    expect(gatewayProblems(clientWith())).toEqual(['gateway: not connected']);
  });
});
