import {
  ChannelManager,
  Collection,
  DMChannel,
  Guild,
  GuildManager,
  GuildMember,
  GuildMemberManager,
  GatewayIntentBits,
  GuildMessageManager,
  LimitedCollection,
  Message,
  MessageManager,
  Role,
  RoleManager,
  ThreadMember,
  ThreadMemberManager,
  User,
  UserManager,
} from 'discord.js';
import type { Client } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CACHED_MEMBERS_PER_GUILD,
  CACHED_MESSAGES_PER_CHANNEL,
  CACHED_USERS,
  CACHE_SWEEPERS,
  createDiscordClient,
} from '../../../../src/platforms/discord/create-client.js';

// The gateway cache is bounded where it grows with traffic (messages, users, members), and whole
// where permission checks read it (guilds, channels, roles, the bot's own member and user).

const BOT_ID = '100000000000000001';
let client: Client;

beforeEach(() => {
  client = createDiscordClient({ apiUrl: 'http://127.0.0.1:9/api', globalRequestsPerSecond: 50 });
  // What login would set: the bot's own user, which the limits keep.
  (client as { user: unknown }).user = { id: BOT_ID };
});
afterEach(async () => {
  await client.destroy();
});

/** The cache discord.js gives a manager of this kind, made as discord.js makes it. */
function cacheFor(manager: unknown, holds: unknown, extended: unknown = manager): Collection<string, unknown> {
  const make = client.options.makeCache as (...args: unknown[]) => Collection<string, unknown>;
  return make(manager, holds, extended);
}

/** Something with an id, as cached entries are; `client` as discord.js structures carry it. */
const entry = (id: string) => ({ id, client });

function fill(cache: Collection<string, unknown>, count: number, ids = (index: number) => `${200_000 + index}`) {
  for (let index = 0; index < count; index += 1) cache.set(ids(index), entry(ids(index)));
}

describe('the Discord client’s caches', () => {
  it('keep the last few messages of a channel, in guilds and DMs alike', () => {
    for (const manager of [GuildMessageManager, MessageManager]) {
      const messages = cacheFor(MessageManager, Message, manager);
      fill(messages, 500);
      expect(messages.size).toBe(CACHED_MESSAGES_PER_CHANNEL);
    }
  });

  it('keep a bounded number of users, always the bot’s own', () => {
    expect(client.users.cache).toBeInstanceOf(LimitedCollection);
    const users = cacheFor(UserManager, User);
    users.set(BOT_ID, entry(BOT_ID));
    fill(users, 5 * CACHED_USERS);
    expect(users.size).toBe(CACHED_USERS);
    expect(users.has(BOT_ID)).toBe(true);
  });

  it('keep a bounded number of members per guild, always the bot’s own (permission checks read it)', () => {
    const members = cacheFor(GuildMemberManager, GuildMember);
    members.set(BOT_ID, entry(BOT_ID));
    fill(members, 5 * CACHED_MEMBERS_PER_GUILD);
    expect(members.size).toBe(CACHED_MEMBERS_PER_GUILD);
    expect(members.has(BOT_ID)).toBe(true);
  });

  it('keep of a thread’s members only the bot (whether it joined the thread)', () => {
    const threadMembers = cacheFor(ThreadMemberManager, ThreadMember);
    fill(threadMembers, 10);
    threadMembers.set(BOT_ID, entry(BOT_ID));
    expect([...threadMembers.keys()]).toEqual([BOT_ID]);
  });

  it('keep guilds, channels and roles whole', () => {
    for (const [manager, holds] of [
      [GuildManager, Guild],
      [ChannelManager, DMChannel],
      [RoleManager, Role],
    ] as const) {
      const cache = cacheFor(manager, holds);
      expect(cache).not.toBeInstanceOf(LimitedCollection);
      fill(cache, 3000);
      expect(cache.size).toBe(3000);
    }
  });

  it('sweep old messages, and users and members other than the bot', () => {
    expect(CACHE_SWEEPERS.messages).toMatchObject({ lifetime: 900 });
    const sweepsUser = CACHE_SWEEPERS.users?.filter?.();
    const sweepsMember = CACHE_SWEEPERS.guildMembers?.filter?.();
    const users = new Collection([
      [BOT_ID, entry(BOT_ID)],
      ['2', entry('2')],
    ]);
    expect(
      users.filter((user, id) => sweepsUser?.(user as never, id, users as never) ?? false).map((u) => u.id),
    ).toEqual(['2']);
    expect(
      users.filter((member, id) => sweepsMember?.(member as never, id, users as never) ?? false).map((m) => m.id),
    ).toEqual(['2']);
  });
});

describe('the Discord client’s global limit', () => {
  it('is the share it is given, in whole requests per second as discord.js counts them', async () => {
    expect(client.rest.options.globalRequestsPerSecond).toBe(50);
    // A share of 50/s among four shard processes; a share below one still lets a request through.
    const cases = [
      [12.5, 12],
      [0.5, 1],
    ] as const;
    for (const [share, counted] of cases) {
      const shared = createDiscordClient({ apiUrl: 'http://127.0.0.1:9/api', globalRequestsPerSecond: share });
      expect(shared.rest.options.globalRequestsPerSecond).toBe(counted);
      await shared.destroy();
    }
  });
});

describe('the Discord client’s intents', () => {
  it('ask for Message Content only when the operator turns it on (a privileged intent)', async () => {
    expect(client.options.intents.has(GatewayIntentBits.MessageContent)).toBe(false);
    expect(client.options.intents.has(GatewayIntentBits.GuildMessages)).toBe(true);
    const reading = createDiscordClient({
      apiUrl: 'http://127.0.0.1:9/api',
      globalRequestsPerSecond: 50,
      messageContent: true,
    });
    expect(reading.options.intents.has(GatewayIntentBits.MessageContent)).toBe(true);
    expect(reading.options.intents.has(GatewayIntentBits.DirectMessages)).toBe(true);
    await reading.destroy();
  });
});
