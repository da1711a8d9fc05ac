import { once } from 'node:events';
import {
  ChannelType,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  MessageType,
  Partials,
  type Message,
  type SendableChannels,
} from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, type RawData } from 'ws';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions, type RecordedRequest } from './fake-discord.js';

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

/** A real discord.js client, configured as the bot will be, logged in and ready. */
async function readyClient(server: FakeDiscord): Promise<Client<true>> {
  const client = new Client({
    intents: INTENTS,
    partials: [Partials.Channel],
    allowedMentions: { parse: [], repliedUser: false },
    rest: { api: server.apiUrl },
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
    const server = await start({ buckets: { editMessage: { limit: 2, windowMs: 400 } } });
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
    expect(patches.map((request) => request.headers['X-RateLimit-Remaining'])).toEqual(['1', '0', '1', '0', '1', '0']);
    // Three fixed windows of 400 ms: the fifth edit cannot arrive before the third window opens.
    expect((patches[4]?.at ?? 0) - (patches[0]?.at ?? 0)).toBeGreaterThanOrEqual(800);
    expect(clientSideWaits).toBeGreaterThan(0);
  });

  it('makes discord.js wait out a 429 it could not foresee and retry, without failing the edit', async () => {
    // A long window, so a slow machine cannot let it expire before the client's edit arrives.
    const server = await start({ buckets: { editMessage: { limit: 2, windowMs: 1000 } } });
    const client = await readyClient(server);
    const reply = await sendableChannel(client, server.channelId(0)).send('v0');
    // Someone else (another process of the bot, say) spends the channel's edit budget.
    const path = `/channels/${server.channelId(0)}/messages/${reply.id}`;
    await call(server, 'PATCH', path, { content: 'v1' });
    await call(server, 'PATCH', path, { content: 'v2' });

    await reply.edit('v3');

    const statuses = edits(server).map((request) => request.status);
    expect(statuses).toEqual([200, 200, 429, 200]);
    expect(server.rateLimitCount).toBe(1);
    expect(server.messages.get(reply.id)?.contents).toEqual(['v0', 'v1', 'v2', 'v3']);
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
    const server = await start({ buckets: { createMessage: { limit: 2, windowMs: 1000 } } });
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
