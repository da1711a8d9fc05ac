import { once } from 'node:events';
import {
  ActionRowBuilder,
  ApplicationCommandOptionType,
  ButtonBuilder,
  ButtonStyle,
  ChannelType,
  Client,
  ComponentType,
  DiscordAPIError,
  DiscordjsError,
  DiscordjsErrorCodes,
  Events,
  GatewayIntentBits,
  InteractionContextType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  MessageType,
  Partials,
  PermissionFlagsBits,
  Routes,
  SlashCommandBuilder,
  Status,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type ClientOptions,
  type Interaction,
  type Message,
  type SendableChannels,
} from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, type RawData } from 'ws';
import {
  shardOfGuild,
  startFakeDiscord,
  type FakeButtonInteraction,
  type FakeDiscord,
  type FakeDiscordOptions,
  type FakeInteraction,
  type PressButtonOptions,
  type RecordedRequest,
  type RunCommandOptions,
} from './fake-discord.js';

const INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages];

interface GatewayFrame {
  readonly op: number;
  readonly t: string | null;
  readonly s: number | null;
  readonly d: unknown;
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

const clients: Client[] = [];
let fake: FakeDiscord | undefined;

afterEach(async () => {
  // Clients first: a client whose gateway vanishes under it would start reconnecting.
  await Promise.all(clients.splice(0).map(async (client) => client.destroy()));
  await fake?.close();
  fake = undefined;
});

async function start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  fake = await startFakeDiscord(options);
  return fake;
}

/** A real discord.js client, configured as the bot will be (plus `extra`), logged in and ready. */
async function readyClient(server: FakeDiscord, extra: Partial<ClientOptions> = {}): Promise<Client<true>> {
  const client = new Client({
    intents: INTENTS,
    partials: [Partials.Channel],
    allowedMentions: { parse: [], repliedUser: false },
    rest: { api: server.apiUrl },
    ...extra,
  });
  clients.push(client);
  const ready = once(client, Events.ClientReady);
  await client.login('test-token');
  await ready;
  if (!client.isReady()) throw new Error('client emitted clientReady but is not ready');
  return client;
}

function nextMessage(client: Client, predicate: (message: Message) => boolean = () => true): Promise<Message> {
  return new Promise((resolve) => {
    const listener = (message: Message): void => {
      if (!predicate(message)) return;
      client.off(Events.MessageCreate, listener);
      resolve(message);
    };
    client.on(Events.MessageCreate, listener);
  });
}

function sendableChannel(client: Client<true>, id: string): SendableChannels {
  const channel = client.channels.cache.get(id);
  if (channel?.isSendable() !== true) throw new Error(`channel ${id} is not cached as sendable`);
  return channel;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error: unknown) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/** One request to the fake's REST API, as a client with a valid token would send it. */
async function call(server: FakeDiscord, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${server.apiUrl}/v10${path}`, {
    method,
    headers: { Authorization: 'Bot test-token', 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** A request to an interaction route as discord.js sends it: no Authorization, the token is in the path. */
async function callWithToken(server: FakeDiscord, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${server.apiUrl}/v10${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

function nextInteraction(client: Client): Promise<ChatInputCommandInteraction> {
  return new Promise((resolve) => {
    const listener = (interaction: Interaction): void => {
      if (!interaction.isChatInputCommand()) return;
      client.off(Events.InteractionCreate, listener);
      resolve(interaction);
    };
    client.on(Events.InteractionCreate, listener);
  });
}

/** Runs a slash command on the fake and resolves with what the client made of it. */
async function runCommand(
  server: FakeDiscord,
  client: Client,
  options: RunCommandOptions,
): Promise<{ run: FakeInteraction; interaction: ChatInputCommandInteraction }> {
  const received = nextInteraction(client);
  const run = server.runCommand(options);
  return { run, interaction: await received };
}

function nextButton(client: Client): Promise<ButtonInteraction> {
  return new Promise((resolve) => {
    const listener = (interaction: Interaction): void => {
      if (!interaction.isButton()) return;
      client.off(Events.InteractionCreate, listener);
      resolve(interaction);
    };
    client.on(Events.InteractionCreate, listener);
  });
}

/** Presses a button on the fake and resolves with what the client made of it. */
async function pressButton(
  server: FakeDiscord,
  client: Client,
  options: PressButtonOptions,
): Promise<{ press: FakeButtonInteraction; interaction: ButtonInteraction }> {
  const received = nextButton(client);
  const press = server.pressButton(options);
  return { press, interaction: await received };
}

/** One action row of primary buttons, as the bot builds them. */
function buttonRow(...customIds: string[]): ActionRowBuilder<ButtonBuilder> {
  return new ActionRowBuilder<ButtonBuilder>().addComponents(
    customIds.map((customId) =>
      new ButtonBuilder().setCustomId(customId).setLabel(customId).setStyle(ButtonStyle.Primary),
    ),
  );
}

function nextMessageUpdate(client: Client, id: string): Promise<Message> {
  return new Promise((resolve) => {
    const listener = (_old: unknown, message: Message): void => {
      if (message.id !== id) return;
      client.off(Events.MessageUpdate, listener);
      resolve(message);
    };
    client.on(Events.MessageUpdate, listener);
  });
}

function nextMessageDelete(client: Client, id: string): Promise<void> {
  return new Promise((resolve) => {
    const listener = (message: { readonly id: string }): void => {
      if (message.id !== id) return;
      client.off(Events.MessageDelete, listener);
      resolve();
    };
    client.on(Events.MessageDelete, listener);
  });
}

function edits(server: FakeDiscord): RecordedRequest[] {
  return server.requests.filter((request) => request.route === 'PATCH /channels/:id/messages/:id');
}

describe('fake Discord gateway with a real discord.js client', () => {
  it('identifies, sends READY and GUILD_CREATE, and the client becomes ready with the guild', async () => {
    const server = await start();
    const identified = server.waitFor('identify');
    const client = await readyClient(server);

    const identify = await identified;
    expect(identify.token).toBe('test-token');
    expect(identify.shard).toEqual([0, 1]);
    expect(client.user.id).toBe(server.botUser.id);
    expect(client.application.id).toBe(server.applicationId);
    const guild = client.guilds.cache.get(server.guildId);
    expect(guild?.available).toBe(true);
    expect(guild?.channels.cache.map((channel) => channel.id).sort()).toEqual([...server.channelIds].sort());
    expect(guild?.members.cache.has(server.humanUser.id)).toBe(true);
    expect(guild?.roles.everyone.id).toBe(server.guildId);
    expect(server.requests.map((request) => request.route)).toEqual(['GET /gateway/bot']);
  });

  it('delivers a mention in a guild channel as messageCreate with content, guild and channel', async () => {
    const server = await start();
    const client = await readyClient(server);
    const received = nextMessage(client);

    const stored = server.userSays({ channelId: server.channelId(1), content: `<@${server.botUser.id}> hello` });

    const message = await received;
    expect(message.id).toBe(stored.id);
    expect(message.content).toBe(`<@${server.botUser.id}> hello`);
    expect(message.guildId).toBe(server.guildId);
    expect(message.channelId).toBe(server.channelId(1));
    expect(message.author.id).toBe(server.humanUser.id);
    expect(message.author.bot).toBe(false);
    expect(message.member?.id).toBe(server.humanUser.id);
    expect(message.mentions.has(client.user)).toBe(true);
  });

  it('strips the content of unmentioned guild messages without the MessageContent intent', async () => {
    const server = await start();
    const client = await readyClient(server);
    const received = nextMessage(client);

    server.userSays({ channelId: server.channelId(0), content: 'just chatting', mentionBot: false });

    const message = await received;
    expect(message.content).toBe('');
    expect(message.mentions.has(client.user)).toBe(false);
  });

  it('delivers a DM as messageCreate in a DM-based channel (needs Partials.Channel)', async () => {
    const server = await start();
    const client = await readyClient(server);
    const received = nextMessage(client);

    server.dmSays({ content: 'psst' });

    const message = await received;
    expect(message.content).toBe('psst');
    expect(message.guildId).toBeNull();
    expect(message.channelId).toBe(server.dmChannelId);
    expect(message.channel.isDMBased()).toBe(true);
    expect(message.channel.type).toBe(ChannelType.DM);
  });

  it('broadcasts dispatches to every connected client', async () => {
    const server = await start();
    const first = await readyClient(server);
    const second = await readyClient(server);
    const both = Promise.all([nextMessage(first), nextMessage(second)]);

    server.userSays({ channelId: server.channelId(0), content: `<@${server.botUser.id}> hi all` });

    const [a, b] = await both;
    expect(a.content).toBe(b.content);
    expect(server.gatewayConnections).toBe(2);
  });
});

describe('fake Discord gateway protocol over a raw websocket', () => {
  /** Frames in arrival order; `next()` resolves with the next one (event-driven, no polling). */
  function frames(socket: WebSocket): { next: () => Promise<GatewayFrame> } {
    const queued: GatewayFrame[] = [];
    const waiting: ((frame: GatewayFrame) => void)[] = [];
    socket.on('message', (data: RawData) => {
      const frame = JSON.parse(rawText(data)) as GatewayFrame;
      const waiter = waiting.shift();
      if (waiter === undefined) queued.push(frame);
      else waiter(frame);
    });
    return {
      next: async () => {
        const frame = queued.shift();
        return frame ?? new Promise<GatewayFrame>((resolve) => waiting.push(resolve));
      },
    };
  }

  it('says HELLO, acks heartbeats, and answers IDENTIFY with READY then GUILD_CREATE', async () => {
    const server = await start({ heartbeatIntervalMs: 1000 });
    const socket = new WebSocket(`${server.gatewayUrl}?v=10&encoding=json`);
    const received = frames(socket);
    await once(socket, 'open');

    expect(await received.next()).toMatchObject({ op: 10, d: { heartbeat_interval: 1000 } });
    socket.send(JSON.stringify({ op: 1, d: null }));
    expect(await received.next()).toMatchObject({ op: 11 });
    socket.send(JSON.stringify({ op: 2, d: { token: 'raw-token', intents: 513, properties: {} } }));
    const ready = await received.next();
    expect(ready).toMatchObject({ op: 0, t: 'READY', s: 1, d: { v: 10, user: { id: server.botUser.id, bot: true } } });
    expect(await received.next()).toMatchObject({ op: 0, t: 'GUILD_CREATE', s: 2, d: { id: server.guildId } });
    socket.close();
  });

  it('refuses transport compression instead of silently speaking zlib-stream', async () => {
    const server = await start();
    const socket = new WebSocket(`${server.gatewayUrl}?v=10&encoding=json&compress=zlib-stream`);
    const [code] = (await once(socket, 'close')) as [number];
    expect(code).toBe(4000);
  });

  it('sends every guild to a session that names no shard, and closes with 4010 on an invalid shard', async () => {
    const server = await start({ guilds: 2 });
    const socket = new WebSocket(`${server.gatewayUrl}?v=10&encoding=json`);
    const received = frames(socket);
    await once(socket, 'open');
    await received.next(); // HELLO
    socket.send(JSON.stringify({ op: 2, d: { token: 'raw-token', intents: 513, properties: {} } }));
    const ready = await received.next();
    expect(ready).toMatchObject({
      t: 'READY',
      d: { guilds: server.guildIds.map((id) => ({ id, unavailable: true })) },
    });
    expect(await received.next()).toMatchObject({ t: 'GUILD_CREATE', d: { id: server.guildIds[0] } });
    expect(await received.next()).toMatchObject({ t: 'GUILD_CREATE', d: { id: server.guildIds[1] } });
    socket.close();

    const invalid = new WebSocket(`${server.gatewayUrl}?v=10&encoding=json`);
    await once(invalid, 'open');
    const closed = once(invalid, 'close');
    invalid.send(JSON.stringify({ op: 2, d: { token: 'raw-token', intents: 513, properties: {}, shard: [2, 2] } }));
    const [code] = (await closed) as [number];
    expect(code).toBe(4010);
  });
});

/** Every message and interaction a client receives, by id, in arrival order. */
interface Arrivals {
  /** Resolves with the ids once at least `count` have arrived. */
  first(count: number): Promise<string[]>;
}

function arrivals(client: Client): Arrivals {
  const ids: string[] = [];
  const waiting = new Set<{ readonly count: number; readonly resolve: (ids: string[]) => void }>();
  const arrived = (id: string): void => {
    ids.push(id);
    for (const waiter of waiting) {
      if (ids.length < waiter.count) continue;
      waiting.delete(waiter);
      waiter.resolve(ids.slice(0, waiter.count));
    }
  };
  client.on(Events.MessageCreate, (message) => arrived(message.id));
  client.on(Events.InteractionCreate, (interaction) => arrived(interaction.id));
  return {
    first: async (count) =>
      ids.length >= count ? ids.slice(0, count) : new Promise<string[]>((resolve) => waiting.add({ count, resolve })),
  };
}

/**
 * Both clients of a two-shard bot, shard 0 logged in first. A gateway connection delivers in
 * order, so what a client did NOT receive shows as the next event it did receive: that is how
 * these tests check routing without waiting for something not to happen.
 */
async function twoShards(server: FakeDiscord): Promise<[Client<true>, Client<true>]> {
  const first = await readyClient(server, { shards: 0, shardCount: 2 });
  const second = await readyClient(server, { shards: 1, shardCount: 2 });
  return [first, second];
}

function pairOf(ids: readonly string[]): [string, string] {
  const [a, b] = ids;
  if (a === undefined || b === undefined) throw new Error('expected two ids');
  return [a, b];
}

function firstChannelOf(server: FakeDiscord, guildId: string): string {
  const [channelId] = server.channelIdsOf(guildId);
  if (channelId === undefined) throw new Error(`guild ${guildId} has no channel`);
  return channelId;
}

describe('fake Discord guilds and shards', () => {
  it('spreads guilds over shards and recommends the configured shard count', async () => {
    const server = await start({ guilds: 3, shards: 2, channels: 2 });

    expect(server.guildIds).toHaveLength(3);
    expect(server.guildId).toBe(server.guildIds[0]);
    expect(server.guildIds.map((id) => shardOfGuild(id, 2))).toEqual([0, 1, 0]);
    expect(server.guildIds.map((id) => shardOfGuild(id, 3))).toEqual([0, 1, 2]);
    const channels = server.guildIds.flatMap((id) => server.channelIdsOf(id));
    expect(new Set(channels).size).toBe(6);
    for (const id of [...server.guildIds, ...channels]) expect(id).toMatch(/^\d{17,19}$/);
    expect(server.channelIds).toEqual(server.channelIdsOf(server.guildId));
    expect(() => server.channelIdsOf('123456789012345678')).toThrow(/no guild/);

    const gateway = (await (await call(server, 'GET', '/gateway/bot')).json()) as {
      shards: number;
      session_start_limit: { remaining: number; max_concurrency: number };
    };
    expect(gateway.shards).toBe(2);
    expect(gateway.session_start_limit.remaining).toBeGreaterThanOrEqual(2);
    expect(gateway.session_start_limit.max_concurrency).toBeGreaterThanOrEqual(1);
  });

  it("gives each shard's client READY and GUILD_CREATE for its own guild only", async () => {
    const server = await start({ guilds: 2, shards: 2 });
    const [guildA, guildB] = pairOf(server.guildIds);
    const identified = Promise.all([
      server.waitFor('identify', (info) => info.shard?.[0] === 0),
      server.waitFor('identify', (info) => info.shard?.[0] === 1),
    ]);

    const [first, second] = await twoShards(server);

    const [zero, one] = await identified;
    expect(zero).toMatchObject({ index: 0, shard: [0, 2] });
    expect(one).toMatchObject({ index: 1, shard: [1, 2] });
    expect([...first.guilds.cache.keys()]).toEqual([guildA]);
    expect([...second.guilds.cache.keys()]).toEqual([guildB]);
    expect(
      second.guilds.cache
        .get(guildB)
        ?.channels.cache.map((channel) => channel.id)
        .sort(),
    ).toEqual([...server.channelIdsOf(guildB)].sort());
    expect(server.sessions()).toEqual([
      { index: 0, sessionId: zero.sessionId, shard: [0, 2] },
      { index: 1, sessionId: one.sessionId, shard: [1, 2] },
    ]);
  });

  it("delivers a guild's messages to its shard only, and DMs to shard 0 only", async () => {
    const server = await start({ guilds: 2, shards: 2 });
    const [guildA, guildB] = pairOf(server.guildIds);
    const [first, second] = await twoShards(server);
    const inA = arrivals(first);
    const inB = arrivals(second);
    const mention = `<@${server.botUser.id}> hi`;

    const a1 = server.userSays({ channelId: firstChannelOf(server, guildA), content: mention });
    const b1 = server.userSays({ channelId: firstChannelOf(server, guildB), content: mention });
    const dm = server.dmSays({ content: 'psst' });
    const a2 = server.userSays({ channelId: firstChannelOf(server, guildA), content: mention });
    const b2 = server.userSays({ channelId: firstChannelOf(server, guildB), content: mention });

    expect(await inA.first(3)).toEqual([a1.id, dm.id, a2.id]);
    expect(await inB.first(2)).toEqual([b1.id, b2.id]);

    // The bot's own messages are echoed the same way: to the shard of the guild they are in.
    const echo = await sendableChannel(second, firstChannelOf(server, guildB)).send('from shard 1');
    const a3 = server.userSays({ channelId: firstChannelOf(server, guildA), content: mention });
    expect(await inB.first(3)).toEqual([b1.id, b2.id, echo.id]);
    expect(await inA.first(4)).toEqual([a1.id, dm.id, a2.id, a3.id]);
  });

  it('routes interactions like messages: by the guild of their channel, DMs to shard 0', async () => {
    const server = await start({ guilds: 2, shards: 2 });
    const [, guildB] = pairOf(server.guildIds);
    const [first, second] = await twoShards(server);
    const inA = arrivals(first);
    const inB = arrivals(second);

    const inGuildB = server.runCommand({ name: 'ask', channelId: firstChannelOf(server, guildB) });
    const inDm = server.runCommand({ name: 'ask', dm: true });
    const again = server.runCommand({ name: 'ask', channelId: firstChannelOf(server, guildB) });

    expect(await inA.first(1)).toEqual([inDm.id]);
    expect(await inB.first(2)).toEqual([inGuildB.id, again.id]);
  });

  it('hands one dispatch to the one session `session` names, whatever the routing says', async () => {
    const server = await start();
    // Two unsharded clients (discord.js identifies as [0, 1]): both see every event by default.
    const first = await readyClient(server);
    const second = await readyClient(server);
    expect(server.sessions().map((session) => [session.index, session.shard])).toEqual([
      [0, [0, 1]],
      [1, [0, 1]],
    ]);
    // The echo of the bot's message reaches both clients; wait for it so it is not counted below.
    const echoed = Promise.all(
      [first, second].map(async (client) => nextMessage(client, (m) => m.content === 'answer')),
    );
    const sent = await sendableChannel(first, server.channelId(0)).send({
      content: 'answer',
      components: [buttonRow('stop')],
    });
    await echoed;
    const seenByFirst = arrivals(first);
    const seenBySecond = arrivals(second);
    const mention = `<@${server.botUser.id}> hi`;

    const toSecond = server.userSays({ content: mention, session: 1 });
    const toFirst = server.userSays({ content: mention, session: 0 });
    const dmToSecond = server.dmSays({ content: 'psst', session: 1 });
    const commandToFirst = server.runCommand({ name: 'ask', session: 0 });
    const pressToSecond = server.pressButton({ messageId: sent.id, customId: 'stop', session: 1 });
    const toBoth = server.userSays({ content: mention });

    expect(await seenByFirst.first(3)).toEqual([toFirst.id, commandToFirst.id, toBoth.id]);
    expect(await seenBySecond.first(4)).toEqual([toSecond.id, dmToSecond.id, pressToSecond.id, toBoth.id]);
    const stored = server.messages.size;
    expect(() => server.userSays({ content: mention, session: 2 })).toThrow(/no connected session #2/);
    expect(server.messages.size).toBe(stored);
  });

  it('reports every closed gateway connection with its close code', async () => {
    const server = await start();
    const client = await readyClient(server);
    const [session] = server.sessions();
    const closed = server.waitFor('gatewayClose');

    await client.destroy();

    expect(await closed).toEqual({
      index: 0,
      sessionId: session?.sessionId,
      shard: [0, 1],
      code: 1000,
      connections: 0,
    });
    expect(server.sessions()).toEqual([]);
  });

  it('drops a session: discord.js reconnects, waits while the gateway is held, and identifies afresh', async () => {
    const server = await start();
    const client = await readyClient(server);
    const [before] = server.sessions();
    server.holdGateway();
    const closed = server.waitFor('gatewayClose');
    const heldOpen = server.waitFor('gatewayOpen', (event) => event.held);
    const reconnecting = once(client, Events.ShardReconnecting);

    server.dropSession(0);

    expect(await closed).toMatchObject({ index: 0, code: 4000, connections: 0 });
    await reconnecting;
    await heldOpen;
    // Connected again, but without HELLO nothing more happens.
    expect(server.sessions()).toEqual([]);
    expect(client.ws.shards.get(0)?.status).toBe(Status.Connecting);

    const identified = server.waitFor('identify');
    const ready = once(client, Events.ShardReady);
    server.releaseGateway();
    await identified;
    await ready;
    expect(server.sessions()).toHaveLength(1);
    expect(server.sessions()[0]?.sessionId).not.toBe(before?.sessionId);
    expect(client.ws.shards.get(0)?.status).toBe(Status.Ready);
  }, 15_000);
});

describe('fake Discord REST with a real discord.js client', () => {
  it('stores a reply with message_reference and allowed_mentions, and an edit updates it', async () => {
    const server = await start();
    const client = await readyClient(server);
    const question = nextMessage(client, (message) => !message.author.bot);
    const asked = server.userSays({ channelId: server.channelId(0), content: `<@${server.botUser.id}> question?` });
    // Discord echoes the bot's own messages over the gateway: the bot must ignore them.
    const echo = nextMessage(client, (message) => message.author.id === server.botUser.id);

    const reply = await (await question).reply('x');

    expect((await echo).id).toBe(reply.id);
    const stored = server.messages.get(reply.id);
    expect(stored?.content).toBe('x');
    expect(stored?.authorId).toBe(server.botUser.id);
    expect(stored?.mentionIds).toEqual([]);
    expect(stored?.createdBody).toMatchObject({
      content: 'x',
      allowed_mentions: { parse: [], replied_user: false },
      message_reference: { fail_if_not_exists: true },
    });
    expect(stored?.referencedMessageId).toBe(asked.id);
    expect(reply.reference?.messageId).toBe(asked.id);
    expect(reply.type).toBe(MessageType.Reply);

    const updated = server.waitFor('messageUpdate', (message) => message.id === reply.id);
    const edited = await reply.edit('x, then more');

    expect(edited.content).toBe('x, then more');
    expect(edited.editedTimestamp).not.toBeNull();
    expect((await updated).contents).toEqual(['x', 'x, then more']);
    expect(server.messages.get(reply.id)?.editCount).toBe(1);
    expect(server.messages.get(reply.id)?.lastEditBody).toMatchObject({ allowed_mentions: { parse: [] } });
  });

  it('rejects what Discord rejects, with the codes discord.js surfaces as DiscordAPIError', async () => {
    const server = await start();
    const client = await readyClient(server);
    const channel = sendableChannel(client, server.channelId(0));

    const tooLong = await rejection(channel.send('a'.repeat(2001)));
    expect(tooLong).toBeInstanceOf(DiscordAPIError);
    expect(tooLong).toMatchObject({ status: 400, code: 50035 });
    expect(tooLong).toMatchObject({
      rawError: { errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } },
    });

    const blank = await rejection(channel.send('   \n '));
    expect(blank).toMatchObject({ status: 400, code: 50006 });

    const sent = await channel.send('a'.repeat(2000));
    const deleted = server.waitFor('messageDelete', (message) => message.id === sent.id);
    await sent.delete();
    await deleted;
    const gone = await rejection(sent.edit('too late'));
    expect(gone).toBeInstanceOf(DiscordAPIError);
    expect(gone).toMatchObject({ status: 404, code: 10008 });
  });

  it('fails a reply to a deleted message unless failIfNotExists is false', async () => {
    const server = await start();
    const client = await readyClient(server);
    const question = nextMessage(client, (message) => !message.author.bot);
    const stored = server.userSays({ channelId: server.channelId(0), content: `<@${server.botUser.id}> bye` });
    const message = await question;
    server.deleteMessage(stored.id);

    expect(await rejection(message.reply('answer'))).toMatchObject({ status: 400, code: 50035 });
    const plain = await message.reply({ content: 'answer', failIfNotExists: false });
    expect(plain.reference).toBeNull();
  });

  it('takes extra routes that override built-in ones, e.g. to inject server errors', async () => {
    const server = await start({
      routes: [
        {
          method: 'PATCH',
          pattern: '/channels/:channelId/messages/:messageId',
          handle: () => ({ status: 502, body: { message: 'Bad Gateway', code: 0 } }),
        },
      ],
    });
    const client = await readyClient(server);
    const reply = await sendableChannel(client, server.channelId(0)).send('before');

    expect(await rejection(reply.edit('after'))).toMatchObject({ status: 502 });
    // discord.js retries a 5xx `retries` (3) times, immediately, before giving up.
    expect(edits(server).map((request) => request.status)).toEqual([502, 502, 502, 502]);
    expect(server.messages.get(reply.id)?.content).toBe('before');
  });

  it('lets discord.js pace six edits in one channel from the headers alone: no 429, all in order', async () => {
    const server = await start({ buckets: { channelMessages: { limit: 2, windowMs: 400 } } });
    const client = await readyClient(server);
    let clientSideWaits = 0;
    client.rest.on('rateLimited', () => {
      clientSideWaits += 1;
    });
    const reply = await sendableChannel(client, server.channelId(0)).send('edit 0');

    const texts = [1, 2, 3, 4, 5, 6].map((n) => `edit ${n}`);
    await Promise.all(texts.map(async (text) => reply.edit(text)));

    expect(server.rateLimitCount).toBe(0);
    expect(server.messages.get(reply.id)?.contents).toEqual(['edit 0', ...texts]);
    const patches = edits(server);
    expect(patches.map((request) => request.status)).toEqual([200, 200, 200, 200, 200, 200]);
    // The send took the window's first slot: creates and edits of a channel share one bucket.
    expect(patches.map((request) => request.headers['X-RateLimit-Remaining'])).toEqual(['0', '1', '0', '1', '0', '1']);
    // Fixed windows of 400 ms from the send: the fifth edit cannot arrive before the third window opens.
    const [send] = server.requests.filter((request) => request.route === 'POST /channels/:id/messages');
    expect((patches[4]?.at ?? 0) - (send?.at ?? 0)).toBeGreaterThanOrEqual(800);
    expect(clientSideWaits).toBeGreaterThan(0);
    // discord.js learns one bucket hash for the channel's creates and edits, so they queue together.
    const hash = (route: string) => client.rest.hashes.get(route)?.value;
    expect(hash('PATCH:/channels/:id/messages/:id')).toBe(hash('POST:/channels/:id/messages'));
  });

  it('makes discord.js wait out a 429 it could not foresee and retry, without failing the edit', async () => {
    // A long window, so a slow machine cannot let it expire before the client's edit arrives.
    const server = await start({ buckets: { channelMessages: { limit: 2, windowMs: 1000 } } });
    const client = await readyClient(server);
    const reply = await sendableChannel(client, server.channelId(0)).send('v0');
    // Someone else (another process of the bot, say) spends the rest of the channel's budget.
    const path = `/channels/${server.channelId(0)}/messages/${reply.id}`;
    await call(server, 'PATCH', path, { content: 'v1' });

    await reply.edit('v3');

    const statuses = edits(server).map((request) => request.status);
    expect(statuses).toEqual([200, 429, 200]);
    expect(server.rateLimitCount).toBe(1);
    expect(server.messages.get(reply.id)?.contents).toEqual(['v0', 'v1', 'v3']);
  });

  it('makes discord.js back off from a global 429 and retry', async () => {
    // Three sends in three channels (three buckets) exceed 2/s whether or not the second in
    // which GET /gateway/bot was counted at login is over.
    const server = await start({ globalLimitPerSecond: 2 });
    const client = await readyClient(server);

    const sent = await Promise.all(
      [0, 1, 2].map(async (index) => sendableChannel(client, server.channelId(index)).send(`hello ${index}`)),
    );

    expect(sent.map((message) => message.content)).toEqual(['hello 0', 'hello 1', 'hello 2']);
    const globals = server.requests.filter((request) => request.headers['X-RateLimit-Global'] === 'true');
    expect(globals.length).toBeGreaterThanOrEqual(1);
    expect(globals.every((request) => request.headers['X-RateLimit-Scope'] === 'global')).toBe(true);
    expect(server.rateLimitCount).toBe(globals.length);
  });
});

describe('fake Discord REST rate limits over plain fetch', () => {
  it('sends bucket headers, then a 429 with retry_after once the per-channel bucket is spent', async () => {
    const server = await start({ buckets: { channelMessages: { limit: 2, windowMs: 1000 } } });
    const path = `/channels/${server.channelId(0)}/messages`;
    const limited = server.waitFor('rateLimited');

    const first = await call(server, 'POST', path, { content: 'one' });
    const second = await call(server, 'POST', path, { content: 'two' });
    const third = await call(server, 'POST', path, { content: 'three' });
    const otherChannel = await call(server, 'POST', `/channels/${server.channelId(1)}/messages`, {
      content: 'elsewhere',
    });

    expect([first.status, second.status, third.status, otherChannel.status]).toEqual([200, 200, 429, 200]);
    expect(first.headers.get('x-ratelimit-limit')).toBe('2');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('1');
    expect(second.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(otherChannel.headers.get('x-ratelimit-remaining')).toBe('1');
    const resetAfter = (response: Response): number => Number(response.headers.get('x-ratelimit-reset-after'));
    expect(resetAfter(first)).toBeLessThanOrEqual(1);
    expect(resetAfter(second)).toBeLessThanOrEqual(resetAfter(first));
    expect(first.headers.get('x-ratelimit-reset-after')).toMatch(/^\d+\.\d{3}$/);
    expect(Number(first.headers.get('x-ratelimit-reset')) * 1000).toBeGreaterThan(Date.now() - 1000);
    expect(first.headers.get('x-ratelimit-bucket')).toBe(otherChannel.headers.get('x-ratelimit-bucket'));

    const body: unknown = await third.json();
    expect(body).toMatchObject({ message: 'You are being rate limited.', global: false });
    expect(body).toHaveProperty('retry_after', expect.any(Number));
    expect(third.headers.get('retry-after')).toBe('1');
    expect(third.headers.get('x-ratelimit-scope')).toBe('user');
    expect((await limited).status).toBe(429);
    expect(server.rateLimitCount).toBe(1);
  });

  it("counts a channel's message creates and edits against one bucket with one hash", async () => {
    const server = await start({ buckets: { channelMessages: { limit: 3, windowMs: 1000 } } });
    const messages = `/channels/${server.channelId(0)}/messages`;

    const created = await call(server, 'POST', messages, { content: 'one' });
    const { id } = (await created.json()) as { id: string };
    const edited = await call(server, 'PATCH', `${messages}/${id}`, { content: 'one, edited' });
    const second = await call(server, 'POST', messages, { content: 'two' });
    const refusedEdit = await call(server, 'PATCH', `${messages}/${id}`, { content: 'one, again' });
    const elsewhere = await call(server, 'POST', `/channels/${server.channelId(1)}/messages`, { content: 'other' });

    expect([created, edited, second, refusedEdit, elsewhere].map((response) => response.status)).toEqual([
      200, 200, 200, 429, 200,
    ]);
    const remaining = (response: Response) => response.headers.get('x-ratelimit-remaining');
    expect([created, edited, second].map(remaining)).toEqual(['2', '1', '0']);
    expect(remaining(elsewhere)).toBe('2');
    expect(edited.headers.get('x-ratelimit-bucket')).toBe(created.headers.get('x-ratelimit-bucket'));
    expect(server.messages.get(id)?.content).toBe('one, edited');
  });

  it('answers a global 429 once the per-second global limit is exceeded', async () => {
    const server = await start({ globalLimitPerSecond: 3 });
    const statuses: number[] = [];
    let globalResponse: Response | undefined;
    for (let i = 0; i < 4; i += 1) {
      const response = await call(server, 'GET', '/users/@me');
      statuses.push(response.status);
      globalResponse = response;
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(globalResponse?.headers.get('x-ratelimit-global')).toBe('true');
    expect(globalResponse?.headers.get('x-ratelimit-scope')).toBe('global');
    expect(await globalResponse?.json()).toMatchObject({ global: true });
  });

  it('delays responses by latencyMs, records unknown routes and refuses requests without a token', async () => {
    const server = await start({ latencyMs: 40 });
    const unknown = await call(server, 'GET', '/applications/@me/nothing-here');
    const noToken = await fetch(`${server.apiUrl}/v10/users/@me`);

    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 0 });
    expect(noToken.status).toBe(401);
    const [unknownRecord] = server.requests;
    expect(unknownRecord?.route).toBeUndefined();
    expect(unknownRecord?.path).toBe('/applications/@me/nothing-here');
    expect((unknownRecord?.respondedAt ?? 0) - (unknownRecord?.at ?? 0)).toBeGreaterThanOrEqual(39);
  });
});

describe('fake Discord slash-command interactions with a real discord.js client', () => {
  it('delivers runCommand as a ChatInputCommandInteraction with options, channel, user and permissions', async () => {
    const server = await start();
    const client = await readyClient(server);

    const { run, interaction } = await runCommand(server, client, {
      name: 'ask',
      channelId: server.channelId(1),
      options: [
        { name: 'question', type: ApplicationCommandOptionType.String, value: 'why is the sky blue?' },
        { name: 'private', type: ApplicationCommandOptionType.Boolean, value: true },
        { name: 'about', type: ApplicationCommandOptionType.User, value: server.humanUser.id },
      ],
      permissions:
        PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.ManageMessages,
    });

    expect(interaction.id).toBe(run.id);
    expect(interaction.commandName).toBe('ask');
    expect(interaction.options.getString('question')).toBe('why is the sky blue?');
    expect(interaction.options.getBoolean('private')).toBe(true);
    expect(interaction.options.getUser('about')?.id).toBe(server.humanUser.id);
    expect(interaction.channelId).toBe(server.channelId(1));
    expect(interaction.channel?.id).toBe(server.channelId(1));
    expect(interaction.user.id).toBe(server.humanUser.id);
    expect(interaction.inGuild()).toBe(true);
    expect(interaction.guildId).toBe(server.guildId);
    expect(interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages)).toBe(true);
    expect(interaction.appPermissions.has(PermissionFlagsBits.SendMessages)).toBe(true);
    expect(interaction.locale).toBe('en-US');
    expect(interaction.context).toBe(InteractionContextType.Guild);
    expect(interaction.authorizingIntegrationOwners.guildId).toBe(server.guildId);
    expect(run.token).toMatch(/^[\w-]{100,}$/);

    // Without `permissions` the member is an ordinary one: no moderation bits.
    const plain = await runCommand(server, client, { name: 'ask' });
    expect(plain.interaction.channelId).toBe(server.channelId(0));
    expect(plain.interaction.memberPermissions?.has(PermissionFlagsBits.SendMessages)).toBe(true);
    expect(plain.interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages)).toBe(false);
  });

  it('delivers a subcommand in a group, and a bare subcommand, with their values nested as Discord sends them', async () => {
    const server = await start();
    const client = await readyClient(server);
    const { Subcommand, SubcommandGroup, String: Text, User, Boolean: Flag } = ApplicationCommandOptionType;

    const grouped = await runCommand(server, client, {
      name: 'config',
      options: [
        {
          name: 'access',
          type: SubcommandGroup,
          options: [
            {
              name: 'add',
              type: Subcommand,
              options: [
                { name: 'list', type: Text, value: 'allow' },
                { name: 'who', type: User, value: server.humanUser.id },
                { name: 'block', type: Flag, value: false },
              ],
            },
          ],
        },
      ],
    });
    const { options } = grouped.interaction;
    expect(options.getSubcommandGroup(false)).toBe('access');
    expect(options.getSubcommand(false)).toBe('add');
    expect(options.getString('list')).toBe('allow');
    expect(options.getBoolean('block')).toBe(false);
    // Users named under a subcommand are resolved like top-level ones.
    expect(options.getUser('who')?.id).toBe(server.humanUser.id);
    expect(grouped.interaction.toString()).toBe(
      '/config access add list:allow who:' + server.humanUser.id + ' block:false',
    );

    const bare = await runCommand(server, client, { name: 'config', options: [{ name: 'show', type: Subcommand }] });
    expect(bare.interaction.options.getSubcommand(false)).toBe('show');
    expect(bare.interaction.options.getSubcommandGroup(false)).toBeNull();
    expect(bare.interaction.options.data).toEqual([
      expect.objectContaining({ name: 'show', type: Subcommand, options: [] }),
    ]);
  });

  it('refuses subcommand options that Discord could not send', async () => {
    const { Subcommand, SubcommandGroup, String: Text } = ApplicationCommandOptionType;
    const value = { name: 'list', type: Text, value: 'allow' } as const;
    const add = { name: 'add', type: Subcommand, options: [value] } as const;
    const server = await start();
    expect(() => server.runCommand({ name: 'config', options: [add, value] })).toThrow(/only option at its level/);
    expect(() => server.runCommand({ name: 'config', options: [value, add] })).toThrow(/only option at its level/);
    expect(() =>
      server.runCommand({
        name: 'config',
        options: [{ name: 'access', type: SubcommandGroup, options: [add, add] }],
      }),
    ).toThrow(/exactly one subcommand/);
    expect(() =>
      server.runCommand({ name: 'config', options: [{ name: 'access', type: SubcommandGroup, options: [value] }] }),
    ).toThrow(/exactly one subcommand/);
    expect(() =>
      server.runCommand({
        name: 'config',
        options: [{ name: 'add', type: Subcommand, options: [{ name: 'in', type: Subcommand }] }],
      }),
    ).toThrow(/only option at its level/);
    expect(() => server.runCommand({ name: 'config', options: [{ name: 'x', type: Subcommand, value: 'y' }] })).toThrow(
      /has no value/,
    );
  });

  it('stores deferReply (ephemeral) → editReply → followUp as the original and a follow-up', async () => {
    const server = await start();
    const client = await readyClient(server);
    const { run, interaction } = await runCommand(server, client, { name: 'ask' });
    const delivered: string[] = [];
    client.on(Events.MessageCreate, (message) => delivered.push(message.id));
    const acknowledged = server.waitFor('interactionCallback');

    await interaction.deferReply({ flags: MessageFlags.Ephemeral });

    const callback = await acknowledged;
    expect(callback).toMatchObject({
      interactionId: run.id,
      type: 5,
      flags: MessageFlags.Loading | MessageFlags.Ephemeral,
    });
    expect(callback.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(callback.elapsedMs).toBeLessThan(3000);
    expect(server.interactionMessages(run.id).map(({ content, flags }) => ({ content, flags }))).toEqual([
      { content: '', flags: MessageFlags.Loading | MessageFlags.Ephemeral },
    ]);

    const edited = await interaction.editReply('x');
    expect(edited.content).toBe('x');
    expect(edited.flags.has(MessageFlags.Ephemeral)).toBe(true);
    expect(edited.flags.has(MessageFlags.Loading)).toBe(false);

    const followUpDelivered = nextMessage(client, (message) => message.content === 'y');
    const followUp = await interaction.followUp('y');
    const echo = await followUpDelivered;

    const [original, second, ...rest] = server.interactionMessages(run.id);
    expect(rest).toEqual([]);
    expect(original).toMatchObject({
      content: 'x',
      contents: ['', 'x'],
      ephemeral: true,
      flags: MessageFlags.Ephemeral,
      channelId: run.channelId,
      authorId: server.botUser.id,
      interactionId: run.id,
    });
    expect(second).toMatchObject({ id: followUp.id, content: 'y', ephemeral: false, interactionId: run.id });
    // The ephemeral original never reached the gateway; the follow-up did, as an interaction message.
    expect(delivered).toEqual([followUp.id]);
    expect(echo.webhookId).toBe(server.applicationId);
    expect(echo.interactionMetadata?.id).toBe(run.id);
    expect(echo.interactionMetadata?.originalResponseMessageId).toBe(original?.id);

    const byRoute = (route: string): RecordedRequest[] => server.requests.filter((request) => request.route === route);
    expect(byRoute('POST /interactions/:id/:token/callback')).toMatchObject([
      { query: 'with_response=false', status: 204, channelId: run.channelId, body: { type: 5, data: { flags: 64 } } },
    ]);
    const webhookWrites = [
      ...byRoute('PATCH /webhooks/:id/:token/messages/:id'),
      ...byRoute('POST /webhooks/:id/:token'),
    ];
    expect(webhookWrites.map((request) => request.query)).toEqual(['', 'wait=true']);
    for (const request of webhookWrites) {
      expect(request.body).toMatchObject({ allowed_mentions: { parse: [], replied_user: false } });
      expect(request.requestHeaders['authorization']).toBeUndefined();
      expect(request.channelId).toBe(run.channelId);
    }
  });

  it('lets the first follow-up fill a still-loading deferral, as Discord does', async () => {
    const server = await start();
    const client = await readyClient(server);
    const { run, interaction } = await runCommand(server, client, { name: 'ask' });
    const placeholder = nextMessage(client, (message) => message.flags.has(MessageFlags.Loading));

    await interaction.deferReply();
    expect((await placeholder).content).toBe('');
    const first = await interaction.followUp('first');
    const second = await interaction.followUp('second');

    const [original, followUp] = server.interactionMessages(run.id);
    expect(first.id).toBe(original?.id);
    expect(original).toMatchObject({ content: 'first', flags: 0, ephemeral: false });
    expect(followUp).toMatchObject({ id: second.id, content: 'second' });
  });

  it('refuses a second response: discord.js checks itself, Discord answers 40060', async () => {
    const server = await start();
    const client = await readyClient(server);
    const { run, interaction } = await runCommand(server, client, { name: 'ask' });

    await interaction.deferReply();
    const again = await rejection(interaction.reply('second'));
    expect(again).toBeInstanceOf(DiscordjsError);
    expect(again).toMatchObject({ code: DiscordjsErrorCodes.InteractionAlreadyReplied });

    const raw = await callWithToken(server, 'POST', `/interactions/${run.id}/${run.token}/callback`, {
      type: 4,
      data: { content: 'second' },
    });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toEqual({ code: 40060, message: 'Interaction has already been acknowledged.' });
  });

  it('answers 10062 to a first response after the acknowledgement window', async () => {
    // A window of 0 ms makes every callback late, without waiting 3 s.
    const server = await start({ interactionAckTimeoutMs: 0 });
    const client = await readyClient(server);
    const { run, interaction } = await runCommand(server, client, { name: 'ask' });

    const late = await rejection(interaction.deferReply());

    expect(late).toBeInstanceOf(DiscordAPIError);
    expect(late).toMatchObject({ status: 404, code: 10062 });
    expect(interaction.deferred).toBe(false);
    expect(server.interactionMessages(run.id)).toEqual([]);
  });

  it('answers 401 / 50027 on webhook routes once the token is dead, by helper or by clock', async () => {
    const server = await start();
    const client = await readyClient(server);
    const { run, interaction } = await runCommand(server, client, { name: 'ask' });
    await interaction.deferReply();

    server.expireInteraction(run.id);

    expect(await rejection(interaction.editReply('too late'))).toMatchObject({ status: 401, code: 50027 });
    expect(await rejection(interaction.followUp('too late'))).toMatchObject({ status: 401, code: 50027 });

    server.interactionTokenTtlMs = 0;
    const timed = await runCommand(server, client, { name: 'ask' });
    await timed.interaction.deferReply(); // the 3 s acknowledgement window is still open
    expect(await rejection(timed.interaction.editReply('too late'))).toMatchObject({ status: 401, code: 50027 });
    // A 401 on an auth: false route must not make discord.js drop the bot token.
    expect((await sendableChannel(client, server.channelId(0)).send('still logged in')).content).toBe(
      'still logged in',
    );
  });

  it('delivers a DM interaction in a DM channel, and its reply over the gateway', async () => {
    const server = await start();
    const client = await readyClient(server);
    const { run, interaction } = await runCommand(server, client, {
      name: 'ask',
      dm: true,
      options: [{ name: 'question', type: ApplicationCommandOptionType.String, value: 'hi?' }],
    });

    expect(interaction.inGuild()).toBe(false);
    expect(interaction.guildId).toBeNull();
    expect(interaction.channelId).toBe(server.dmChannelId);
    expect(interaction.channel?.type).toBe(ChannelType.DM);
    expect(interaction.user.id).toBe(server.humanUser.id);
    expect(interaction.member).toBeNull();
    expect(interaction.memberPermissions).toBeNull();
    expect(interaction.context).toBe(InteractionContextType.BotDM);
    expect(interaction.options.getString('question')).toBe('hi?');

    const echoed = nextMessage(client, (message) => message.author.id === server.botUser.id);
    const response = await interaction.reply({ content: 'hello', withResponse: true });

    expect(response.resource?.message?.content).toBe('hello');
    expect(response.interaction.responseMessageId).toBe(response.resource?.message?.id);
    const echo = await echoed;
    expect(echo.channelId).toBe(server.dmChannelId);
    expect(echo.interactionMetadata?.id).toBe(run.id);
    expect(server.interactionMessages(run.id)).toMatchObject([{ content: 'hello', guildId: undefined }]);
    expect(server.requests.find((request) => request.route?.endsWith('/callback'))?.query).toBe('with_response=true');
  });
});

describe('fake Discord button interactions with a real discord.js client', () => {
  it('delivers pressButton as a ButtonInteraction on the message, with customId, user and permissions', async () => {
    const server = await start();
    const client = await readyClient(server);
    const sent = await sendableChannel(client, server.channelId(1)).send({
      content: 'answer',
      components: [buttonRow('stop', 'regenerate')],
    });
    expect(server.buttonsOf(sent.id)).toEqual(['stop', 'regenerate']);

    const { press, interaction } = await pressButton(server, client, {
      messageId: sent.id,
      customId: 'regenerate',
      permissions: PermissionFlagsBits.ViewChannel | PermissionFlagsBits.ManageMessages,
    });

    expect(press).toMatchObject({
      kind: 'button',
      customId: 'regenerate',
      messageId: sent.id,
      channelId: server.channelId(1),
      guildId: server.guildId,
      userId: server.humanUser.id,
    });
    expect(interaction.isButton()).toBe(true);
    expect(interaction.id).toBe(press.id);
    expect(interaction.type).toBe(InteractionType.MessageComponent);
    expect(interaction.componentType).toBe(ComponentType.Button);
    expect(interaction.customId).toBe('regenerate');
    expect(interaction.message.id).toBe(sent.id);
    expect(interaction.message.content).toBe('answer');
    expect(interaction.component).toMatchObject({ customId: 'regenerate', label: 'regenerate' });
    expect(interaction.user.id).toBe(server.humanUser.id);
    expect(interaction.channelId).toBe(server.channelId(1));
    expect(interaction.inGuild()).toBe(true);
    expect(interaction.guildId).toBe(server.guildId);
    expect(interaction.context).toBe(InteractionContextType.Guild);
    expect(interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages)).toBe(true);
    expect(interaction.appPermissions.has(PermissionFlagsBits.SendMessages)).toBe(true);

    // Another user, with the default permissions, becomes a member by pressing.
    const bystander = { id: '444444444444444444', username: 'bystander' };
    const other = await pressButton(server, client, { messageId: sent.id, customId: 'stop', user: bystander });
    expect(other.interaction.user.id).toBe(bystander.id);
    expect(other.interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages)).toBe(false);
  });

  it('acknowledges deferUpdate as type 6 without touching the message; @original then edits it', async () => {
    const server = await start();
    const client = await readyClient(server);
    const sent = await sendableChannel(client, server.channelId(0)).send({
      content: 'answer',
      components: [buttonRow('stop')],
    });
    const { press, interaction } = await pressButton(server, client, { messageId: sent.id, customId: 'stop' });
    const acknowledged = server.waitFor('interactionCallback');

    await interaction.deferUpdate();

    expect(await acknowledged).toMatchObject({
      interactionId: press.id,
      type: InteractionResponseType.DeferredMessageUpdate,
    });
    expect(server.messages.get(sent.id)).toMatchObject({ content: 'answer', editCount: 0 });
    expect(server.interactionMessages(press.id)).toEqual([]);

    // As on Discord, after a deferred update `@original` is the message the button is on.
    const updated = nextMessageUpdate(client, sent.id);
    const edited = await interaction.editReply({ content: 'stopped', components: [] });
    expect(edited.id).toBe(sent.id);
    expect((await updated).content).toBe('stopped');
    expect(server.messages.get(sent.id)?.contents).toEqual(['answer', 'stopped']);
    expect(server.buttonsOf(sent.id)).toEqual([]);
    expect(() => server.pressButton({ messageId: sent.id, customId: 'stop' })).toThrow(/no button 'stop'/);
  });

  it('applies update() as type 7: the message is edited and its buttons are gone', async () => {
    const server = await start();
    const client = await readyClient(server);
    const sent = await sendableChannel(client, server.channelId(0)).send({
      content: 'answer',
      components: [buttonRow('continue', 'regenerate')],
    });
    const { press, interaction } = await pressButton(server, client, { messageId: sent.id, customId: 'continue' });
    const acknowledged = server.waitFor('interactionCallback');
    const updated = nextMessageUpdate(client, sent.id);

    await interaction.update({ content: 'x', components: [] });

    expect(await acknowledged).toMatchObject({
      interactionId: press.id,
      type: InteractionResponseType.UpdateMessage,
      flags: 0,
    });
    const echo = await updated;
    expect(echo.content).toBe('x');
    expect(echo.components).toEqual([]);
    expect(server.messages.get(sent.id)).toMatchObject({ content: 'x', contents: ['answer', 'x'], editCount: 1 });
    expect(server.buttonsOf(sent.id)).toEqual([]);
    expect(server.interactionMessages(press.id)).toEqual([]);
    const callback = server.requests.find((request) => request.route?.endsWith('/callback'));
    expect(callback).toMatchObject({ status: 204, body: { type: 7, data: { content: 'x', components: [] } } });
    expect(() => server.pressButton({ messageId: sent.id, customId: 'regenerate' })).toThrow(/buttons: none/);
  });

  it('gives a button interaction its own messages through deferReply, editReply and followUp', async () => {
    const server = await start();
    const client = await readyClient(server);
    const sent = await sendableChannel(client, server.channelId(0)).send({
      content: 'answer',
      components: [buttonRow('continue')],
    });
    const { press, interaction } = await pressButton(server, client, { messageId: sent.id, customId: 'continue' });
    const acknowledged = server.waitFor('interactionCallback');

    await interaction.deferReply();
    expect(await acknowledged).toMatchObject({
      type: InteractionResponseType.DeferredChannelMessageWithSource,
      flags: MessageFlags.Loading,
    });
    const edited = await interaction.editReply({ content: 'more', components: [buttonRow('regenerate')] });
    const followUpEcho = nextMessage(client, (message) => message.content === 'even more');
    const followUp = await interaction.followUp('even more');

    const [original, second, ...rest] = server.interactionMessages(press.id);
    expect(rest).toEqual([]);
    expect(original).toMatchObject({ id: edited.id, content: 'more', interactionId: press.id, ephemeral: false });
    expect(second).toMatchObject({ id: followUp.id, content: 'even more', interactionId: press.id });
    expect(server.buttonsOf(edited.id)).toEqual(['regenerate']);
    // The pressed message is untouched and keeps its button.
    expect(server.messages.get(sent.id)).toMatchObject({ content: 'answer', editCount: 0 });
    expect(server.buttonsOf(sent.id)).toEqual(['continue']);
    const echo = await followUpEcho;
    expect(echo.type).toBe(MessageType.Default);
    expect(echo.reference).toBeNull();
    expect(echo.interactionMetadata).toMatchObject({
      id: press.id,
      type: InteractionType.MessageComponent,
      interactedMessageId: sent.id,
      originalResponseMessageId: original?.id,
    });

    // The interaction's own reply's buttons can be pressed in turn.
    const next = await pressButton(server, client, { messageId: edited.id, customId: 'regenerate' });
    expect(next.interaction.message.id).toBe(edited.id);
  });

  it('answers with an ephemeral reply only its user can see and press', async () => {
    const server = await start();
    const client = await readyClient(server);
    const sent = await sendableChannel(client, server.channelId(0)).send({
      content: 'answer',
      components: [buttonRow('stop')],
    });
    const bystander = { id: '444444444444444444', username: 'bystander' };
    const { press, interaction } = await pressButton(server, client, {
      messageId: sent.id,
      customId: 'stop',
      user: bystander,
    });

    const reply = await interaction.reply({
      content: 'Only the asker can stop this. Sure?',
      components: [buttonRow('confirm')],
      flags: MessageFlags.Ephemeral,
      withResponse: true,
    });

    const stored = server.interactionMessages(press.id)[0];
    expect(stored).toMatchObject({ ephemeral: true, content: 'Only the asker can stop this. Sure?' });
    expect(reply.resource?.message?.id).toBe(stored?.id);
    const privateId = stored?.id ?? '';
    expect(() => server.pressButton({ messageId: privateId, customId: 'confirm', user: server.humanUser })).toThrow(
      /cannot see/,
    );
    const confirm = await pressButton(server, client, { messageId: privateId, customId: 'confirm' });
    expect(confirm.interaction.user.id).toBe(bystander.id);
    expect(confirm.interaction.message.flags.has(MessageFlags.Ephemeral)).toBe(true);
    await confirm.interaction.update({ content: 'Fine.', components: [] });
    expect(server.messages.get(privateId)).toMatchObject({ content: 'Fine.', ephemeral: true });
  });

  it('delivers a press in a DM as a DM interaction, pressable by the recipient alone', async () => {
    const server = await start();
    const client = await readyClient(server);
    const dm = await client.users.createDM(server.humanUser.id);
    const sent = await dm.send({ content: 'answer', components: [buttonRow('regenerate')] });

    const { interaction } = await pressButton(server, client, { messageId: sent.id, customId: 'regenerate' });

    expect(interaction.inGuild()).toBe(false);
    expect(interaction.channelId).toBe(server.dmChannelId);
    expect(interaction.user.id).toBe(server.humanUser.id);
    expect(interaction.memberPermissions).toBeNull();
    expect(interaction.context).toBe(InteractionContextType.BotDM);
    expect(interaction.message.id).toBe(sent.id);
    await interaction.deferUpdate();
    const stranger = { id: '555555555555555555', username: 'stranger' };
    expect(() => server.pressButton({ messageId: sent.id, customId: 'regenerate', user: stranger })).toThrow(
      /cannot see/,
    );
  });

  it('refuses to press what is not there: unknown, deleted, missing or disabled buttons', async () => {
    const server = await start();
    const client = await readyClient(server);
    const channel = sendableChannel(client, server.channelId(0));
    const plain = await channel.send('no buttons');
    const disabled = await channel.send({
      content: 'done',
      components: [
        new ActionRowBuilder<ButtonBuilder>().addComponents(
          new ButtonBuilder().setCustomId('stop').setLabel('Stop').setStyle(ButtonStyle.Danger).setDisabled(true),
          new ButtonBuilder().setURL('https://example.com').setLabel('Docs').setStyle(ButtonStyle.Link),
        ),
      ],
    });
    const deleted = await channel.send({ content: 'bye', components: [buttonRow('stop')] });
    server.deleteMessage(deleted.id);

    expect(() => server.pressButton({ messageId: '1', customId: 'stop' })).toThrow(/no live message/);
    expect(() => server.pressButton({ messageId: deleted.id, customId: 'stop' })).toThrow(/no live message/);
    expect(() => server.pressButton({ messageId: plain.id, customId: 'stop' })).toThrow(/buttons: none/);
    expect(() => server.pressButton({ messageId: disabled.id, customId: 'stop' })).toThrow(/disabled/);
    // Link buttons have no custom_id: only the disabled one is listed.
    expect(server.buttonsOf(disabled.id)).toEqual(['stop']);
    expect(server.buttonsOf(deleted.id)).toEqual([]);
    expect([...server.messages.values()].every((message) => message.interactionId === undefined)).toBe(true);
  });

  it('keeps components across edits that do not mention them, in channel and webhook messages', async () => {
    const server = await start();
    const client = await readyClient(server);
    const message = await sendableChannel(client, server.channelId(0)).send('streaming…');
    expect(server.buttonsOf(message.id)).toEqual([]);

    await message.edit({ components: [buttonRow('stop')] });
    expect(server.buttonsOf(message.id)).toEqual(['stop']);
    await message.edit('streaming… more');
    expect(server.buttonsOf(message.id)).toEqual(['stop']);
    await message.edit({ content: 'done', components: [buttonRow('continue', 'regenerate')] });
    expect(server.buttonsOf(message.id)).toEqual(['continue', 'regenerate']);
    await message.edit({ components: [] });
    expect(server.messages.get(message.id)).toMatchObject({ content: 'done', components: [] });

    const { interaction } = await runCommand(server, client, { name: 'ask' });
    await interaction.reply({ content: 'answer', components: [buttonRow('stop')] });
    await interaction.editReply('answer, longer');
    const [original] = server.interactionMessages(interaction.id);
    expect(server.buttonsOf(original?.id ?? '')).toEqual(['stop']);
    await interaction.editReply({ components: [buttonRow('regenerate')] });
    expect(server.buttonsOf(original?.id ?? '')).toEqual(['regenerate']);
    const followUp = await interaction.followUp({ content: 'part 2', components: [buttonRow('continue')] });
    expect(server.buttonsOf(followUp.id)).toEqual(['continue']);
    await interaction.editReply({ message: followUp.id, components: [] });
    expect(server.buttonsOf(followUp.id)).toEqual([]);

    const duplicated = await rejection(
      sendableChannel(client, server.channelId(0)).send({ content: 'twice', components: [buttonRow('stop', 'stop')] }),
    );
    expect(duplicated).toMatchObject({
      status: 400,
      code: 50035,
      rawError: {
        errors: {
          components: {
            '0': { components: { '1': { custom_id: { _errors: [{ code: 'COMPONENT_CUSTOM_ID_DUPLICATED' }] } } } },
          },
        },
      },
    });
  });

  it('dispatches MESSAGE_DELETE for bot messages sent over REST and through the interaction webhook', async () => {
    const server = await start();
    const client = await readyClient(server);
    const sent = await sendableChannel(client, server.channelId(0)).send({
      content: 'answer',
      components: [buttonRow('stop')],
    });
    const { interaction } = await runCommand(server, client, { name: 'ask' });
    const echoed = nextMessage(client, (message) => message.content === 'public reply');
    await interaction.reply('public reply');
    const reply = await echoed;

    const sentGone = nextMessageDelete(client, sent.id);
    expect(server.deleteMessage(sent.id).deleted).toBe(true);
    await sentGone;
    const replyGone = nextMessageDelete(client, reply.id);
    server.deleteMessage(reply.id);
    await replyGone;
    expect(() => server.deleteMessage(reply.id)).toThrow(/no live message/);
  });

  it('answers 10062 to a deferUpdate after the acknowledgement window, and 50027 once the token is dead', async () => {
    const server = await start({ interactionAckTimeoutMs: 0 });
    const client = await readyClient(server);
    const sent = await sendableChannel(client, server.channelId(0)).send({
      content: 'a',
      components: [buttonRow('stop')],
    });
    const late = await pressButton(server, client, { messageId: sent.id, customId: 'stop' });

    expect(await rejection(late.interaction.deferUpdate())).toMatchObject({ status: 404, code: 10062 });

    server.interactionAckTimeoutMs = 3000;
    const { press, interaction } = await pressButton(server, client, { messageId: sent.id, customId: 'stop' });
    await interaction.deferUpdate();
    server.expireInteraction(press.id);
    expect(await rejection(interaction.editReply('too late'))).toMatchObject({ status: 401, code: 50027 });
    expect(await rejection(interaction.followUp('too late'))).toMatchObject({ status: 401, code: 50027 });
    expect(server.messages.get(sent.id)?.content).toBe('a');
  });
});

describe('fake Discord button interaction routes over plain fetch', () => {
  /** A bot message with one button, posted as discord.js would; resolves with its id. */
  async function postWithButton(server: FakeDiscord, customId: string): Promise<string> {
    const response = await call(server, 'POST', `/channels/${server.channelId(0)}/messages`, {
      content: 'answer',
      components: [{ type: 1, components: [{ type: 2, style: 1, label: customId, custom_id: customId }] }],
    });
    const body: unknown = await response.json();
    if (typeof body !== 'object' || body === null || !('id' in body) || typeof body.id !== 'string') {
      throw new Error(`POST answered ${response.status} without an id`);
    }
    return body.id;
  }

  function callback(server: FakeDiscord, press: FakeInteraction, body: unknown, query = ''): Promise<Response> {
    return callWithToken(server, 'POST', `/interactions/${press.id}/${press.token}/callback${query}`, body);
  }

  it('acknowledges a press once; after type 6, @original is the pressed message and follow-ups work', async () => {
    const server = await start();
    const messageId = await postWithButton(server, 'stop');
    const press = server.pressButton({ messageId, customId: 'stop' });

    const deferred = await callback(server, press, { type: 6 }, '?with_response=true');
    expect(await deferred.json()).toEqual({ interaction: { id: press.id, type: 3 }, resource: { type: 6 } });
    const again = await callback(server, press, { type: 7, data: { content: 'late' } });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ code: 40060 });

    const original = `/webhooks/${server.applicationId}/${press.token}/messages/@original`;
    expect(await (await callWithToken(server, 'GET', original)).json()).toMatchObject({ id: messageId });
    const followUp = await callWithToken(server, 'POST', `/webhooks/${server.applicationId}/${press.token}?wait=true`, {
      content: 'noted',
    });
    expect(await followUp.json()).toMatchObject({
      content: 'noted',
      type: MessageType.Default,
      interaction_metadata: { id: press.id, type: 3, interacted_message_id: messageId },
    });
    expect(server.interactionMessages(press.id).map((message) => message.content)).toEqual(['noted']);
  });

  it('answers type 7 with the updated message; refuses 6 and 7 for commands, and 7 on a deleted message', async () => {
    const server = await start();
    const messageId = await postWithButton(server, 'stop');
    const press = server.pressButton({ messageId, customId: 'stop' });

    const update = await callback(
      server,
      press,
      { type: 7, data: { content: 'stopped', components: [] } },
      '?with_response=true',
    );
    expect(await update.json()).toMatchObject({
      interaction: { id: press.id, type: 3, response_message_id: messageId, response_message_ephemeral: false },
      resource: { type: 7, message: { id: messageId, content: 'stopped', components: [] } },
    });

    const refused = await callback(server, server.runCommand({ name: 'ask' }), { type: 6 });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      code: 50035,
      errors: { type: { _errors: [{ code: 'BASE_TYPE_CHOICES', message: 'Value must be one of {4, 5}.' }] } },
    });

    const orphanMessageId = await postWithButton(server, 'go');
    const orphan = server.pressButton({ messageId: orphanMessageId, customId: 'go' });
    server.deleteMessage(orphanMessageId);
    const gone = await callback(server, orphan, { type: 7, data: { content: 'x' } });
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ code: 10008 });
    // A refused callback does not acknowledge: a reply is still accepted.
    expect((await callback(server, orphan, { type: 4, data: { content: 'It is gone.' } })).status).toBe(204);
  });

  it('refuses to press a button on a user message: only the app can put buttons there', async () => {
    const server = await start();
    const said = server.userSays({ content: 'hi' });
    expect(() => server.pressButton({ messageId: said.id, customId: 'x' })).toThrow(/buttons: none/);
  });
});

describe('fake Discord interaction routes over plain fetch', () => {
  it('rate-limits webhook routes per interaction token with headers and a 429; the callback has no bucket', async () => {
    const server = await start({ buckets: { interactionWebhook: { limit: 2, windowMs: 1000 } } });
    const run = server.runCommand({ name: 'ask' });
    const other = server.runCommand({ name: 'ask' });

    const callback = await callWithToken(
      server,
      'POST',
      `/interactions/${run.id}/${run.token}/callback?with_response=true`,
      {
        type: 4,
        data: { content: 'hi' },
      },
    );
    expect(callback.status).toBe(200);
    expect(callback.headers.get('x-ratelimit-bucket')).toBeNull();
    expect(await callback.json()).toMatchObject({
      interaction: { id: run.id, type: 2, response_message_loading: false, response_message_ephemeral: false },
      resource: {
        type: 4,
        message: { content: 'hi', webhook_id: server.applicationId, interaction_metadata: { id: run.id } },
      },
    });
    const deferred = await callWithToken(server, 'POST', `/interactions/${other.id}/${other.token}/callback`, {
      type: 5,
    });
    expect(deferred.status).toBe(204);

    const path = `/webhooks/${server.applicationId}/${run.token}/messages/@original`;
    const limited = server.waitFor('rateLimited');
    const first = await callWithToken(server, 'PATCH', path, { content: 'one' });
    const second = await callWithToken(server, 'PATCH', path, { content: 'two' });
    const third = await callWithToken(server, 'PATCH', path, { content: 'three' });
    const otherToken = await callWithToken(
      server,
      'PATCH',
      `/webhooks/${server.applicationId}/${other.token}/messages/@original`,
      { content: 'elsewhere' },
    );

    expect([first.status, second.status, third.status, otherToken.status]).toEqual([200, 200, 429, 200]);
    expect(first.headers.get('x-ratelimit-limit')).toBe('2');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('1');
    expect(second.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(otherToken.headers.get('x-ratelimit-remaining')).toBe('1');
    expect(third.headers.get('x-ratelimit-scope')).toBe('user');
    expect(third.headers.get('retry-after')).toBe('1');
    expect(await third.json()).toMatchObject({ message: 'You are being rate limited.', global: false });
    expect((await limited).route).toBe('PATCH /webhooks/:id/:token/messages/:id');
    expect(server.interactionMessages(run.id)[0]?.contents).toEqual(['hi', 'one', 'two']);
    expect(server.interactionMessages(other.id)[0]).toMatchObject({ content: 'elsewhere', flags: 0 });
  });

  it('validates callbacks and webhook requests like Discord', async () => {
    // Refused requests spend bucket slots too, as on Discord: room for all of them.
    const server = await start({ buckets: { interactionWebhook: { limit: 100, windowMs: 2000 } } });
    const run = server.runCommand({ name: 'ask' });
    const callbackPath = `/interactions/${run.id}/${run.token}/callback`;
    const original = `/webhooks/${server.applicationId}/${run.token}/messages/@original`;
    const codeOf = async (response: Response): Promise<[number, unknown]> => {
      const body: unknown = await response.json();
      return [response.status, typeof body === 'object' && body !== null && 'code' in body ? body.code : undefined];
    };

    expect(await codeOf(await callWithToken(server, 'PATCH', original, { content: 'early' }))).toEqual([404, 10015]);
    expect(
      await codeOf(await callWithToken(server, 'POST', `/interactions/${run.id}/not-the-token/callback`, { type: 5 })),
    ).toEqual([404, 10062]);
    const tooLong = { type: 4, data: { content: 'a'.repeat(2001) } };
    expect(await codeOf(await callWithToken(server, 'POST', callbackPath, tooLong))).toEqual([400, 50035]);
    expect(
      await codeOf(await callWithToken(server, 'POST', callbackPath, { type: 4, data: { content: ' ' } })),
    ).toEqual([400, 50006]);
    // Rejected callbacks did not acknowledge: a deferral is still accepted.
    expect((await callWithToken(server, 'POST', callbackPath, { type: 5 })).status).toBe(204);

    expect(await codeOf(await callWithToken(server, 'PATCH', original, {}))).toEqual([400, 50006]);
    expect(await codeOf(await callWithToken(server, 'PATCH', original, { content: 'a'.repeat(2001) }))).toEqual([
      400, 50035,
    ]);
    const unknownMessage = `/webhooks/${server.applicationId}/${run.token}/messages/${server.channelId(0)}`;
    expect(await codeOf(await callWithToken(server, 'PATCH', unknownMessage, { content: 'x' }))).toEqual([404, 10008]);
    const wrongApp = `/webhooks/${server.humanUser.id}/${run.token}/messages/@original`;
    expect(await codeOf(await callWithToken(server, 'GET', wrongApp))).toEqual([404, 10015]);
    const badToken = `/webhooks/${server.applicationId}/nope/messages/@original`;
    expect(await codeOf(await callWithToken(server, 'GET', badToken))).toEqual([401, 50027]);

    expect((await callWithToken(server, 'PATCH', original, { content: 'answer' })).status).toBe(200);
    expect(await (await callWithToken(server, 'GET', original)).json()).toMatchObject({ content: 'answer', flags: 0 });
    const silent = await callWithToken(server, 'POST', `/webhooks/${server.applicationId}/${run.token}`, {
      content: 'no wait',
      flags: MessageFlags.Ephemeral,
    });
    expect(silent.status).toBe(204);
    expect(server.interactionMessages(run.id)[1]).toMatchObject({ content: 'no wait', ephemeral: true });
    const deleted = server.waitFor('messageDelete');
    expect((await callWithToken(server, 'DELETE', original)).status).toBe(204);
    expect((await deleted).deleted).toBe(true);
    expect(await codeOf(await callWithToken(server, 'GET', original))).toEqual([404, 10008]);
  });
});

describe('fake Discord application commands', () => {
  const askCommand = new SlashCommandBuilder()
    .setName('ask')
    .setDescription('Ask Claude')
    .addStringOption((option) =>
      option.setName('question').setDescription('What to ask').setRequired(true).setMaxLength(2000),
    )
    .addBooleanOption((option) => option.setName('private').setDescription('Only you see the answer'))
    .toJSON();

  it('registers guild commands with PUT, lists them with GET, and runCommand uses their id', async () => {
    const server = await start();
    const client = await readyClient(server);
    const route = Routes.applicationGuildCommands(client.application.id, server.guildId);
    const registered = server.waitFor('commandsRegistered');

    const put = await client.rest.put(route, { body: [askCommand] });

    const [ask, ...others] = server.registeredCommands(server.guildId);
    expect(others).toEqual([]);
    expect(put).toEqual([ask]);
    expect(ask).toMatchObject({
      name: 'ask',
      type: 1,
      application_id: server.applicationId,
      guild_id: server.guildId,
      options: [
        { name: 'question', type: 3, required: true, max_length: 2000 },
        { name: 'private', type: 5 },
      ],
    });
    expect(ask?.id).toMatch(/^\d{17,19}$/);
    expect(ask?.version).toMatch(/^\d{17,19}$/);
    expect(await registered).toEqual({ guildId: server.guildId, commands: [ask] });
    expect(await client.rest.get(route)).toEqual(put);
    expect(server.registeredCommands()).toEqual([]);

    const { interaction } = await runCommand(server, client, { name: 'ask' });
    expect(interaction.commandId).toBe(ask?.id);
    expect(interaction.commandGuildId).toBe(server.guildId);

    // PUT replaces the set; a command of the same name keeps its id, and gets a new version.
    const replaced = await client.rest.put(route, { body: [{ ...askCommand, description: 'Ask Claude briefly' }] });
    expect(replaced).toMatchObject([{ id: ask?.id, description: 'Ask Claude briefly' }]);
    expect(server.registeredCommands(server.guildId)[0]?.version).not.toBe(ask?.version);
    await client.rest.put(route, { body: [] });
    expect(server.registeredCommands(server.guildId)).toEqual([]);
  });

  it('registers global commands through client.application.commands.set', async () => {
    const server = await start();
    const client = await readyClient(server);

    const commands = await client.application.commands.set([{ name: 'ping', description: 'Pong' }]);

    expect(commands.map((command) => command.name)).toEqual(['ping']);
    expect(server.registeredCommands()).toMatchObject([{ name: 'ping', application_id: server.applicationId }]);
    expect(server.registeredCommands()[0]).not.toHaveProperty('guild_id');
  });

  it('rejects an invalid command set with 50035 and every error, and an unknown guild with 10004', async () => {
    const server = await start();
    const client = await readyClient(server);
    const route = Routes.applicationGuildCommands(client.application.id, server.guildId);

    const invalid = await rejection(
      client.rest.put(route, {
        body: [
          { name: 'Ask Me', description: 'Ask' },
          {
            name: 'ok',
            description: '',
            options: [
              { type: 3, name: 'tone', description: 'Tone' },
              { type: 3, name: 'question', description: 'Q', required: true, max_length: 7000 },
              { type: 42, name: 'odd', description: 'Odd' },
            ],
          },
        ],
      }),
    );

    expect(invalid).toBeInstanceOf(DiscordAPIError);
    expect(invalid).toMatchObject({
      status: 400,
      code: 50035,
      rawError: {
        errors: {
          '0': { name: { _errors: [{ code: 'APPLICATION_COMMAND_INVALID_NAME' }] } },
          '1': {
            description: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH' }] },
            options: {
              _errors: [{ code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID' }],
              '1': { max_length: { _errors: [{ code: 'NUMBER_TYPE_MAX' }] } },
              '2': { type: { _errors: [{ code: 'BASE_TYPE_CHOICES' }] } },
            },
          },
        },
      },
    });
    expect(server.registeredCommands(server.guildId)).toEqual([]);

    const unknownGuild = await rejection(
      client.rest.put(Routes.applicationGuildCommands(client.application.id, '123456789012345678'), { body: [] }),
    );
    expect(unknownGuild).toMatchObject({ status: 404, code: 10004 });
  });
  it('registers subcommands, groups and choices, and refuses them mixed with values or with too many choices', async () => {
    const server = await start();
    const client = await readyClient(server);
    const route = Routes.applicationGuildCommands(client.application.id, server.guildId);
    const config = new SlashCommandBuilder()
      .setName('config')
      .setDescription('Settings')
      .addSubcommand((show) => show.setName('show').setDescription('Show'))
      .addSubcommandGroup((access) =>
        access
          .setName('access')
          .setDescription('Lists')
          .addSubcommand((add) =>
            add
              .setName('add')
              .setDescription('Add')
              .addStringOption((list) =>
                list
                  .setName('list')
                  .setDescription('Which list')
                  .setRequired(true)
                  .addChoices({ name: 'Allow', value: 'allow' }, { name: 'Block', value: 'block' }),
              ),
          ),
      )
      .toJSON();

    await client.rest.put(route, { body: [config] });
    expect(server.registeredCommands(server.guildId)).toMatchObject([
      {
        name: 'config',
        options: [
          { type: 1, name: 'show' },
          {
            type: 2,
            name: 'access',
            options: [
              {
                type: 1,
                name: 'add',
                options: [
                  {
                    type: 3,
                    name: 'list',
                    required: true,
                    choices: [
                      { name: 'Allow', value: 'allow' },
                      { name: 'Block', value: 'block' },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      },
    ]);

    const choices = Array.from({ length: 26 }, (_, index) => ({ name: `n${index}`, value: `v${index}` }));
    const invalid = await rejection(
      client.rest.put(route, {
        body: [
          {
            name: 'mixed',
            description: 'Mixed',
            options: [
              { type: 3, name: 'text', description: 'Text' },
              { type: 1, name: 'sub', description: 'Sub' },
            ],
          },
          {
            name: 'picky',
            description: 'Picky',
            options: [
              { type: 3, name: 'many', description: 'Many', choices },
              {
                type: 3,
                name: 'blank',
                description: 'Blank',
                choices: [{ name: '', value: 'x' }, { name: 'no value' }],
              },
            ],
          },
        ],
      }),
    );
    expect(invalid).toMatchObject({
      status: 400,
      code: 50035,
      rawError: {
        errors: {
          '0': { options: { '1': { _errors: [{ code: 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID' }] } } },
          '1': {
            options: {
              '0': { choices: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } },
              '1': {
                choices: {
                  '0': { name: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH' }] } },
                  '1': { value: { _errors: [{ code: 'BASE_TYPE_REQUIRED' }] } },
                },
              },
            },
          },
        },
      },
    });
    // The refused set replaced nothing.
    expect(server.registeredCommands(server.guildId).map((command) => command.name)).toEqual(['config']);
  });
});

describe('fake Discord channel permissions with a real discord.js client', () => {
  const { ViewChannel, SendMessages, SendMessagesInThreads, ReadMessageHistory } = PermissionFlagsBits;

  /** What discord.js's cache says the bot may do in a channel. */
  function botMay(client: Client<true>, channelId: string, permission: bigint): boolean | undefined {
    const channel = client.channels.cache.get(channelId);
    if (channel === undefined || channel.isDMBased()) return undefined;
    return channel.permissionsFor(client.user)?.has(permission);
  }

  it('gives the bot its managed role and lets discord.js compute its permissions from the cache', async () => {
    const server = await start();
    const client = await readyClient(server);
    const guild = client.guilds.cache.get(server.guildId);
    const me = guild?.members.me;
    expect(me?.roles.cache.some((role) => role.managed && role.tags?.botId === server.botUser.id)).toBe(true);
    const channel = guild?.channels.cache.get(server.channelId(0));
    expect(channel?.permissionsFor(client.user)?.has([ViewChannel, SendMessages, ReadMessageHistory])).toBe(true);
    expect(server.botPermissions(server.channelId(0)) & SendMessages).toBe(SendMessages);
  });

  it('denies the bot in one channel: CHANNEL_UPDATE reaches the cache, REST refuses with 50013 / 50001 / 160002', async () => {
    const server = await start();
    const client = await readyClient(server);
    const [closed, open] = [server.channelId(0), server.channelId(1)];

    const updated = once(client, Events.ChannelUpdate);
    server.denyBot(closed, SendMessages);
    await updated;
    expect(botMay(client, closed, SendMessages)).toBe(false);
    expect(botMay(client, closed, ViewChannel)).toBe(true);
    expect(await rejection(sendableChannel(client, closed).send('hello'))).toMatchObject({ status: 403, code: 50013 });
    await expect(sendableChannel(client, open).send('hello')).resolves.toBeDefined();

    server.denyBot(closed, ViewChannel);
    expect(await rejection(sendableChannel(client, closed).send('hello'))).toMatchObject({ status: 403, code: 50001 });

    server.denyBot(closed, ReadMessageHistory);
    const question = nextMessage(client, (message) => !message.author.bot);
    server.userSays({ channelId: closed, content: `<@${server.botUser.id}> hi` });
    const asked = await question;
    expect(await rejection(asked.reply('answer'))).toMatchObject({ status: 403, code: 160002 });
    await expect(sendableChannel(client, closed).send('not a reply')).resolves.toBeDefined();

    const restored = once(client, Events.ChannelUpdate);
    server.restoreBot(closed);
    await restored;
    await expect(asked.reply('answer')).resolves.toBeDefined();
    expect(server.messages.size).toBeGreaterThan(0);
  });

  it('reports the bot’s permissions in the channel as app_permissions; interaction responses still work', async () => {
    const server = await start();
    const client = await readyClient(server);
    server.denyBot(server.channelId(0), SendMessages);
    const { interaction } = await runCommand(server, client, { name: 'ask' });
    expect(interaction.appPermissions.has(SendMessages)).toBe(false);
    expect(interaction.appPermissions.has(ViewChannel)).toBe(true);
    await interaction.reply({ content: 'private', flags: MessageFlags.Ephemeral });
    const other = await runCommand(server, client, { name: 'ask', channelId: server.channelId(1) });
    expect(other.interaction.appPermissions.has(SendMessages)).toBe(true);
  });

  it('opens a thread that follows its parent: Send Messages in Threads decides posting there', async () => {
    const server = await start();
    const client = await readyClient(server);
    const created = once(client, Events.ThreadCreate);
    const threadId = server.createThread(server.channelId(0), 'questions');
    await created;
    const thread = client.channels.cache.get(threadId);
    expect(thread?.type).toBe(ChannelType.PublicThread);
    expect(thread?.isThread() === true && thread.parentId).toBe(server.channelId(0));

    const question = nextMessage(client, (message) => !message.author.bot);
    server.userSays({ channelId: threadId, content: `<@${server.botUser.id}> in a thread` });
    const asked = await question;
    expect(asked.channel.isThread()).toBe(true);
    await expect(asked.reply('answer')).resolves.toBeDefined();

    // Send Messages alone does not matter in a thread; Send Messages in Threads does.
    server.denyBot(server.channelId(0), SendMessages);
    await expect(asked.reply('still fine')).resolves.toBeDefined();
    const updated = once(client, Events.ChannelUpdate);
    server.denyBot(server.channelId(0), SendMessagesInThreads);
    await updated;
    expect(botMay(client, threadId, SendMessagesInThreads)).toBe(false);
    expect(await rejection(asked.reply('refused'))).toMatchObject({ status: 403, code: 50013 });
  });
});

describe('fake Discord roles, categories and replies with a real discord.js client', () => {
  it('lets a role grant permissions: discord.js computes member permissions from it, runCommand sends them', async () => {
    const server = await start();
    const bob = { id: '200000000000000002', username: 'bob' };
    const carol = { id: '200000000000000003', username: 'carol' };
    server.createRole([bob], server.guildId, PermissionFlagsBits.ManageGuild);
    server.createRole([carol], server.guildId, PermissionFlagsBits.Administrator);
    const client = await readyClient(server);
    const permissionsOf = async (author: { id: string; username: string }) => {
      const received = nextMessage(client, (message) => message.author.id === author.id);
      server.userSays({ author, content: `<@${server.botUser.id}> hi` });
      return (await received).member?.permissions;
    };

    expect((await permissionsOf(bob))?.has(PermissionFlagsBits.ManageGuild)).toBe(true);
    expect((await permissionsOf(bob))?.has(PermissionFlagsBits.SendMessages)).toBe(true);
    expect((await permissionsOf(server.humanUser))?.has(PermissionFlagsBits.ManageGuild)).toBe(false);
    expect((await permissionsOf(carol))?.has(PermissionFlagsBits.ManageGuild)).toBe(true);
    // The owner has every permission; humanUser is not the owner.
    expect((await permissionsOf(server.ownerUser))?.has(PermissionFlagsBits.ManageGuild)).toBe(true);
    expect(client.guilds.cache.get(server.guildId)?.ownerId).toBe(server.ownerUser.id);

    const asBob = await runCommand(server, client, { name: 'config', user: bob });
    expect(asBob.interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)).toBe(true);
    const asHuman = await runCommand(server, client, { name: 'config' });
    expect(asHuman.interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)).toBe(false);
    const asOwner = await runCommand(server, client, { name: 'config', user: server.ownerUser });
    expect(asOwner.interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)).toBe(true);
    // `permissions` still says exactly what the member has.
    const told = await runCommand(server, client, {
      name: 'config',
      permissions: PermissionFlagsBits.ViewChannel | PermissionFlagsBits.ManageGuild,
    });
    expect(told.interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)).toBe(true);
  });

  it('lists created roles and categories in GUILD_CREATE and carries member roles and replies on messages', async () => {
    const server = await start({ channels: 2 });
    const bob = { id: '200000000000000002', username: 'bob' };
    const roleId = server.createRole([bob]);
    const categoryId = server.createCategory([server.channelId(1)]);
    const client = await readyClient(server);
    const guild = client.guilds.cache.get(server.guildId);
    expect(guild?.roles.cache.has(roleId)).toBe(true);
    expect(guild?.channels.cache.get(categoryId)?.type).toBe(ChannelType.GuildCategory);
    const inCategory = guild?.channels.cache.get(server.channelId(1));
    expect(inCategory && 'parentId' in inCategory ? inCategory.parentId : undefined).toBe(categoryId);

    const first = nextMessage(client, (message) => message.author.id === server.humanUser.id);
    const original = server.userSays({ content: 'no role' });
    expect((await first).member?.roles.cache.has(roleId)).toBe(false);
    const second = nextMessage(client, (message) => message.author.id === bob.id);
    server.userSays({ author: bob, replyTo: original.id, content: 'with role' });
    const fromBob = await second;
    expect(fromBob.member?.roles.cache.has(roleId)).toBe(true);
    expect(fromBob.reference?.messageId).toBe(original.id);
  });
});

describe('fake Discord attachments and their loopback CDN', () => {
  /** A 3×2 PNG's signature and IHDR: enough for the fake (and Discord) to read its size. */
  const PNG = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
    Buffer.from('IHDR'),
    Buffer.from([0, 0, 0, 3, 0, 0, 0, 2, 8, 6, 0, 0, 0]),
  ]);

  it('puts attachments on the message, with URLs the CDN serves with type and length', async () => {
    const server = await start();
    const client = await readyClient(server);
    const received = nextMessage(client);
    server.userSays({
      content: `<@${server.botUser.id}> look`,
      attachments: [
        { filename: 'cat.png', contentType: 'image/png', data: PNG },
        { filename: 'notes one.txt', contentType: 'text/plain; charset=utf-8', data: 'hello file' },
      ],
    });
    const message = await received;
    const [image, text] = [...message.attachments.values()];
    expect(image).toMatchObject({ name: 'cat.png', contentType: 'image/png', size: PNG.length, width: 3, height: 2 });
    expect(text).toMatchObject({ name: 'notes one.txt', size: 10, width: null });
    expect(new URL(image?.url ?? '').origin).toBe(server.cdnOrigin);
    expect(new URL(server.apiUrl).host).toBe(new URL(server.cdnOrigin).host);
    expect(image?.proxyURL).toBe(image?.url);

    const png = await fetch(image?.url ?? '');
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(png.headers.get('content-length')).toBe(String(PNG.length));
    expect(Buffer.from(await png.arrayBuffer()).equals(PNG)).toBe(true);
    expect(await (await fetch(text?.url ?? '')).text()).toBe('hello file');
    expect(server.cdnRequests.map((request) => [request.filename, request.status])).toEqual([
      ['cat.png', 200],
      ['notes one.txt', 200],
    ]);
    // A path that names no attachment of the fake is a 404, and recorded as such.
    expect((await fetch(`${server.cdnOrigin}/attachments/1/2/x.png`)).status).toBe(404);
    expect(server.cdnRequests.at(-1)).toMatchObject({ attachmentId: undefined, status: 404 });
  });

  it('misbehaves as configured: a lying size, too many bytes, a stalled body, a missing file', async () => {
    const server = await start();
    const client = await readyClient(server);
    const received = nextMessage(client);
    server.userSays({
      content: `<@${server.botUser.id}> files`,
      attachments: [
        { filename: 'huge.pdf', contentType: 'application/pdf', data: 'tiny', size: 50_000_000 },
        { filename: 'more.txt', data: 'abcd', serve: 'oversize', oversizeBytes: 200_000 },
        { filename: 'slow.txt', data: 'abcdefgh', serve: 'stall' },
        { filename: 'gone.txt', data: 'x', serve: 'missing' },
      ],
    });
    const [huge, more, slow, gone] = [...(await received).attachments.values()];
    expect(huge?.size).toBe(50_000_000);
    expect(more?.size).toBe(4);
    // Nothing was downloaded by merely receiving the message: a product can check before it fetches.
    expect(server.cdnRequests).toEqual([]);

    const oversize = await fetch(more?.url ?? '');
    expect(oversize.headers.get('content-length')).toBeNull();
    const body = Buffer.from(await oversize.arrayBuffer());
    expect(body.length).toBe(200_000);
    expect(body.subarray(0, 4).toString()).toBe('abcd');

    const stalled = await fetch(slow?.url ?? '', { signal: AbortSignal.timeout(300) });
    expect(stalled.headers.get('content-length')).toBe('8');
    const reader = stalled.body?.getReader();
    const first = await reader?.read();
    expect(Buffer.from(first?.value ?? []).toString()).toBe('abcd');
    // The rest never comes: only the client's own timeout ends the wait.
    expect(await rejection(reader?.read() ?? Promise.resolve())).toMatchObject({ name: 'TimeoutError' });

    expect((await fetch(gone?.url ?? '')).status).toBe(404);
    expect(server.cdnRequests.map((request) => [request.filename, request.serve, request.status])).toEqual([
      ['more.txt', 'oversize', 200],
      ['slow.txt', 'stall', 200],
      ['gone.txt', 'missing', 404],
    ]);
    expect(server.cdnRequests.some((request) => request.filename === 'huge.pdf')).toBe(false);
  });

  it('carries attachments in DMs, and strips them with the content without the MessageContent intent', async () => {
    const server = await start();
    const client = await readyClient(server);
    const dm = nextMessage(client);
    server.dmSays({ content: '', attachments: [{ filename: 'a.txt', data: 'in a DM' }] });
    const inDm = await dm;
    expect(inDm.attachments.first()?.name).toBe('a.txt');

    const unmentioned = nextMessage(client);
    server.userSays({ content: 'see file', mentionBot: false, attachments: [{ filename: 'b.txt', data: 'b' }] });
    expect((await unmentioned).attachments.size).toBe(0);
  });
});

describe('fake Discord replies and threads started from a message', () => {
  it("delivers a user's reply to the bot's message with its reference and the referenced message", async () => {
    const server = await start();
    const client = await readyClient(server);
    const question = nextMessage(client, (message) => !message.author.bot);
    server.userSays({ content: `<@${server.botUser.id}> first` });
    const answer = await (await question).reply('an answer');

    const followUp = nextMessage(client, (message) => !message.author.bot);
    server.userSays({ content: 'and then?', replyTo: answer.id });
    const reply = await followUp;
    expect(reply.type).toBe(MessageType.Reply);
    expect(reply.reference?.messageId).toBe(answer.id);
    expect(reply.mentions.repliedUser?.id).toBe(server.botUser.id);
    expect(reply.mentions.has(client.user)).toBe(true);
    // Discord nests the replied-to message in the payload, as discord.js's raw packet shows.
    const raw = new Promise<unknown>((resolve) => {
      client.on(Events.Raw, (packet: { t?: string; d?: { id?: string } }) => {
        if (packet.t === 'MESSAGE_CREATE' && packet.d?.id === second.id) resolve(packet.d);
      });
    });
    const second = server.userSays({ content: 'more', replyTo: answer.id });
    expect(await raw).toMatchObject({
      message_reference: { message_id: answer.id, channel_id: server.channelId(0) },
      referenced_message: { id: answer.id, content: 'an answer', author: { id: server.botUser.id } },
    });
  });

  it('starts a thread from a message: same id, THREAD_CREATE, a channel for the bot and users', async () => {
    const server = await start();
    const client = await readyClient(server);
    const question = nextMessage(client, (message) => !message.author.bot);
    const stored = server.userSays({ content: `<@${server.botUser.id}> long question` });
    const asked = await question;

    const announced = server.waitFor('threadCreate');
    const thread = await asked.startThread({ name: 'long question' });
    expect(thread.id).toBe(stored.id);
    expect(thread.parentId).toBe(server.channelId(0));
    expect(thread.type).toBe(ChannelType.PublicThread);
    expect(thread.ownerId).toBe(server.botUser.id);
    expect(await announced).toMatchObject({
      threadId: stored.id,
      parentId: server.channelId(0),
      name: 'long question',
    });
    expect(server.threadsCreated).toHaveLength(1);
    const fetched = await asked.fetch(true);
    expect(fetched.hasThread).toBe(true);
    expect(fetched.thread?.id).toBe(thread.id);

    await expect(thread.send('answer in the thread')).resolves.toBeDefined();
    const inThread = nextMessage(client, (message) => !message.author.bot);
    server.userSays({ channelId: thread.id, content: 'follow-up', mentionBot: false });
    const followUp = await inThread;
    expect(followUp.channel.isThread()).toBe(true);
    expect(followUp.channel.isThread() && followUp.channel.parentId).toBe(server.channelId(0));
    // Without the MessageContent intent an unmentioned follow-up arrives empty; a mention keeps it.
    expect(followUp.content).toBe('');
    const mentioned = nextMessage(client, (message) => !message.author.bot);
    server.userSays({ channelId: thread.id, content: `<@${server.botUser.id}> again` });
    expect((await mentioned).content).toBe(`<@${server.botUser.id}> again`);
  });

  it('gives thread follow-ups their content when the client has the MessageContent intent', async () => {
    const server = await start();
    const client = await readyClient(server, { intents: [...INTENTS, GatewayIntentBits.MessageContent] });
    const question = nextMessage(client);
    server.userSays({ content: `<@${server.botUser.id}> q` });
    const thread = await (await question).startThread({ name: 'q' });
    const inThread = nextMessage(client, (message) => message.channelId === thread.id);
    server.userSays({ channelId: thread.id, content: 'no mention needed', mentionBot: false });
    expect((await inThread).content).toBe('no mention needed');
  });

  it('refuses what Discord refuses: bad names, a second thread, a DM, a thread, no permission', async () => {
    const server = await start();
    const channel = server.channelId(0);
    const first = server.userSays({ content: 'one' });
    const path = `/channels/${channel}/messages/${first.id}/threads`;
    const tooLong = await call(server, 'POST', path, { name: 'x'.repeat(101) });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.json()).toMatchObject({
      code: 50035,
      errors: { name: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH' }] } },
    });
    expect(await (await call(server, 'POST', path, { name: '' })).json()).toMatchObject({ code: 50035 });
    expect(await (await call(server, 'POST', path, {})).json()).toMatchObject({
      errors: { name: { _errors: [{ code: 'BASE_TYPE_REQUIRED' }] } },
    });
    expect(await (await call(server, 'POST', path, { name: 'ok', auto_archive_duration: 5 })).json()).toMatchObject({
      errors: { auto_archive_duration: { _errors: [{ code: 'BASE_TYPE_CHOICES' }] } },
    });
    expect(server.threadsCreated).toEqual([]);

    const created = await call(server, 'POST', path, { name: 'x'.repeat(100), auto_archive_duration: 60 });
    expect(created.status).toBe(200);
    expect(await created.json()).toMatchObject({
      id: first.id,
      type: ChannelType.PublicThread,
      parent_id: channel,
      thread_metadata: { auto_archive_duration: 60 },
    });
    expect(await (await call(server, 'POST', path, { name: 'again' })).json()).toMatchObject({ code: 160004 });
    const unknown = await call(server, 'POST', `/channels/${channel}/messages/1/threads`, { name: 'n' });
    expect(await unknown.json()).toMatchObject({ code: 10008 });
    const dm = server.dmSays({ content: 'dm' });
    const inDm = await call(server, 'POST', `/channels/${server.dmChannelId}/messages/${dm.id}/threads`, { name: 'n' });
    expect(await inDm.json()).toMatchObject({ code: 50024 });
    const inThread = server.userSays({ channelId: first.id, content: 'in thread' });
    const nested = await call(server, 'POST', `/channels/${first.id}/messages/${inThread.id}/threads`, { name: 'n' });
    expect(await nested.json()).toMatchObject({ code: 50024 });

    const second = server.userSays({ content: 'two' });
    server.denyBot(channel, PermissionFlagsBits.CreatePublicThreads);
    const denied = await call(server, 'POST', `/channels/${channel}/messages/${second.id}/threads`, { name: 'n' });
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ code: 50013 });
    expect(server.threadsCreated.map((thread) => thread.threadId)).toEqual([first.id]);
  });
});
