import { App, LogLevel, SocketModeReceiver, type ButtonAction, type Logger } from '@slack/bolt';
import { ErrorCode, WebClient, WebClientEvent, type WebClientOptions } from '@slack/web-api';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startFakeSlack, streamedText, type FakeSlack } from './fake-slack.js';

const fakes: FakeSlack[] = [];
const apps: App[] = [];
const rawSockets: WebSocket[] = [];

afterEach(async () => {
  // The app first: its Socket Mode client closes cleanly while the fake still answers.
  await Promise.all(apps.splice(0).map((app) => app.stop()));
  for (const socket of rawSockets.splice(0)) socket.terminate();
  await Promise.all(fakes.map((fake) => fake.connectionsClosed()));
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

async function fakeSlack(options?: Parameters<typeof startFakeSlack>[0]): Promise<FakeSlack> {
  const fake = await startFakeSlack(options);
  fakes.push(fake);
  return fake;
}

// A retry right away after a 429's Retry-After (the default policy adds 1 s or more on top).
const FAST_RETRIES = { retries: 2, minTimeout: 0, maxTimeout: 1 };

function webClient(fake: FakeSlack, options: WebClientOptions = {}, token = fake.botToken): WebClient {
  return new WebClient(token, {
    slackApiUrl: fake.apiUrl,
    retryConfig: FAST_RETRIES,
    logLevel: LogLevel.ERROR,
    ...options,
  });
}

/** Bolt in Socket Mode as the product will run it: the fake's URL is the only thing it is told. */
async function boltApp(fake: FakeSlack, setup: (app: App) => void): Promise<App> {
  const app = new App({
    token: fake.botToken,
    appToken: fake.appToken,
    socketMode: true,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: fake.apiUrl },
  });
  setup(app);
  apps.push(app);
  await app.start();
  return app;
}

function quietLogger(): Logger {
  let level = LogLevel.ERROR;
  const ignore = (): void => undefined;
  return {
    debug: ignore,
    info: ignore,
    warn: ignore,
    error: ignore,
    setLevel: (next) => (level = next),
    getLevel: () => level,
    setName: ignore,
  };
}

/** A plain websocket for wire-level checks; afterEach terminates it. */
function rawSocket(url: string): WebSocket {
  const socket = new WebSocket(url);
  // A refused upgrade also emits 'error'; the test looks at 'unexpected-response' instead.
  socket.on('error', () => undefined);
  rawSockets.push(socket);
  return socket;
}

const STOP_BUTTON = (value: string) =>
  ({ type: 'button', action_id: 'stop', value, text: { type: 'plain_text', text: 'Stop' } }) as const;

/** The error a WebClient call rejects with, for its code and Slack's body. */
async function rejection(call: Promise<unknown>): Promise<{ code: unknown; data: { error?: unknown } }> {
  try {
    await call;
  } catch (error: unknown) {
    return error as { code: unknown; data: { error?: unknown } };
  }
  throw new Error('expected the call to fail');
}

describe('fake Slack: Socket Mode with the real Bolt App', () => {
  it('connects with the app token, delivers an app_mention and a DM, and records the acks', async () => {
    const fake = await fakeSlack();
    const mentions: string[] = [];
    await boltApp(fake, (app) => {
      app.event('app_mention', async ({ event, say }) => {
        mentions.push(event.text);
        await say({ text: `echo ${event.text}`, thread_ts: event.ts });
      });
      app.message(async ({ message, say }) => {
        if (message.subtype === undefined && message.channel_type === 'im') await say(`dm echo ${message.text ?? ''}`);
      });
    });

    expect(fake.callsOf('apps.connections.open').map((call) => call.token)).toEqual(['app']);
    expect(fake.openConnections).toEqual([1]);

    const replied = fake.waitFor('messagePosted', (message) => message.threadTs !== undefined);
    const { message, envelope } = fake.userMentions({ text: 'hello there' });
    const ack = await fake.waitForAck(envelope.envelopeId);
    expect(ack).toMatchObject({ known: true, connection: 1 });
    expect(mentions).toEqual([`<@${fake.botUser.id}> hello there`]);
    const reply = await replied;
    expect(reply).toMatchObject({ channel: fake.channelId(0), threadTs: message.ts, botId: 'B0FAKEBOT' });
    expect(reply.content.text).toBe(`echo <@${fake.botUser.id}> hello there`);
    expect(fake.callsOf('auth.test').every((call) => call.token === 'bot')).toBe(true);

    const dmReply = fake.waitFor('messagePosted', (posted) => posted.channel === fake.dmChannelOf());
    const dm = fake.userDMs({ text: 'psst' });
    await fake.waitForAck(dm.envelope.envelopeId);
    expect((await dmReply).content.text).toBe('dm echo psst');
    expect(fake.messagesIn(fake.dmChannelOf()).map((posted) => posted.content.text)).toEqual(['psst', 'dm echo psst']);
  });

  it("streams Bolt's sayStream() into the mention's thread, with the recipients and status Bolt fills in", async () => {
    const fake = await fakeSlack();
    const pieces = ['Native ', 'streaming ', 'through Bolt.'];
    // The listener's own outcome, so a refused call fails the test at once instead of timing out.
    let settle: (error?: unknown) => void = () => undefined;
    const handled = new Promise<void>((resolve, reject) => {
      settle = (error) =>
        error === undefined ? resolve() : reject(new Error('the listener failed', { cause: error }));
    });
    await boltApp(fake, (app) => {
      app.event('app_mention', async ({ sayStream, setStatus }) => {
        try {
          await setStatus?.('is thinking…');
          const streamer = sayStream?.({ buffer_size: 1 });
          for (const piece of pieces) await streamer?.append({ markdown_text: piece });
          await streamer?.stop();
          settle();
        } catch (error: unknown) {
          settle(error);
        }
      });
    });

    const stopped = fake.waitFor('streamStopped');
    const { message } = fake.userMentions({ text: 'stream please' });
    await handled;
    const streamed = await stopped;
    expect(fake.statusOf(fake.channelId(0), message.ts)).toBe('is thinking…');
    expect(streamed).toMatchObject({ threadTs: message.ts, stream: { state: 'stopped' } });
    expect(streamed.stream?.recipientUserId).toBe(fake.humanUser.id);
    expect(streamed.stream?.recipientTeamId).toBe(fake.teamId);
    expect(fake.textOf(fake.channelId(0), streamed.ts)).toBe(pieces.join(''));
  });

  it('delivers a slash command whose ack carries a response, and serves its response_url', async () => {
    const fake = await fakeSlack();
    await boltApp(fake, (app) => {
      app.command('/ask', async ({ command, ack, respond }) => {
        await ack({ response_type: 'ephemeral', text: 'thinking…' });
        await respond({ response_type: 'in_channel', text: `answer to ${command.text} from ${command.user_id}` });
      });
    });

    const responded = fake.waitFor('responseUrlPost');
    const { envelope, responseUrl } = fake.runSlashCommand({ command: '/ask', text: 'why?' });
    const ack = await fake.waitForAck(envelope.envelopeId);
    expect(ack.payload).toEqual({ response_type: 'ephemeral', text: 'thinking…' });
    const post = await responded;
    expect(post.envelopeId).toBe(envelope.envelopeId);
    expect(post.body).toMatchObject({ response_type: 'in_channel', text: `answer to why? from ${fake.humanUser.id}` });
    expect(responseUrl.startsWith(fake.origin)).toBe(true);
    expect(fake.messagesIn(fake.channelId(0)).map((message) => message.content.text)).toEqual([
      `answer to why? from ${fake.humanUser.id}`,
    ]);
  });

  it('delivers a button press on a message the app posted, and refuses a button that is not there', async () => {
    const fake = await fakeSlack();
    const pressed: { actionId: string; value: string | undefined; messageTs: string | undefined }[] = [];
    const app = await boltApp(fake, (bolt) => {
      bolt.action('stop', async ({ ack, action, body }) => {
        await ack();
        if (action.type === 'button' && body.type === 'block_actions') {
          const button = action as ButtonAction;
          pressed.push({
            actionId: button.action_id,
            value: button.value,
            messageTs: body.container['message_ts'] as string,
          });
        }
      });
    });
    const posted = await app.client.chat.postMessage({
      channel: fake.channelId(0),
      text: 'streaming…',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: 'streaming…' } },
        {
          type: 'actions',
          elements: [STOP_BUTTON('answer-1')],
        },
      ],
    });
    const ts = posted.ts ?? '';

    const { envelope } = fake.pressButton({ channel: fake.channelId(0), messageTs: ts, actionId: 'stop' });
    const ack = await fake.waitForAck(envelope.envelopeId);
    expect(ack).toMatchObject({ known: true, payload: {} });
    expect(pressed).toEqual([{ actionId: 'stop', value: 'answer-1', messageTs: ts }]);
    expect(() => fake.pressButton({ channel: fake.channelId(0), messageTs: ts, actionId: 'regenerate' })).toThrow(
      /no button 'regenerate'/,
    );

    // A Stop button sent as a `blocks` chunk of a native stream can be pressed while it streams.
    const parent = fake.userPosts({ text: 'q' });
    const stream = await app.client.chat.startStream({
      channel: fake.channelId(0),
      thread_ts: parent.ts,
      recipient_user_id: fake.humanUser.id,
      recipient_team_id: fake.teamId,
      chunks: [
        { type: 'markdown_text', text: 'partial' },
        { type: 'blocks', blocks: [{ type: 'actions', elements: [STOP_BUTTON('answer-2')] }] },
      ],
    });
    const streaming = fake.pressButton({ channel: fake.channelId(0), messageTs: stream.ts ?? '', actionId: 'stop' });
    await fake.waitForAck(streaming.envelope.envelopeId);
    expect(pressed.at(-1)).toEqual({ actionId: 'stop', value: 'answer-2', messageTs: stream.ts });
  });

  it('sends disconnect (refresh_requested): the client opens a new URL and events follow it there', async () => {
    const fake = await fakeSlack();
    const texts: string[] = [];
    // Bolt does not pass clientPingTimeout from App options; the reconnect delay is that timeout
    // (5 s by default), so a test builds the receiver itself to reconnect quickly.
    const receiver = new SocketModeReceiver({
      appToken: fake.appToken,
      clientPingTimeout: 1_000,
      // The dropped connection is logged as an error by the client; expected here, so kept quiet.
      logger: quietLogger(),
      installerOptions: { clientOptions: { slackApiUrl: fake.apiUrl } },
    });
    const app = new App({
      token: fake.botToken,
      receiver,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.apiUrl },
    });
    app.event('app_mention', ({ event }) => {
      texts.push(event.text);
      return Promise.resolve();
    });
    apps.push(app);
    await app.start();

    const closed = fake.waitFor('socketClose', (event) => event.connection === 1);
    const reopened = fake.waitFor('socketOpen', (event) => event.connection === 2);
    fake.disconnect('refresh_requested');
    await closed;
    await reopened;
    expect(fake.callsOf('apps.connections.open')).toHaveLength(2);

    const { envelope } = fake.userMentions({ text: 'still there?' });
    expect(envelope.connection).toBe(2);
    expect(await fake.waitForAck(envelope.envelopeId)).toMatchObject({ connection: 2, known: true });
    expect(texts).toEqual([`<@${fake.botUser.id}> still there?`]);

    // A connection cut without a close frame: the client notices and comes back the same way.
    const third = fake.waitFor('socketOpen', (event) => event.connection === 3);
    fake.dropConnections();
    await third;
    expect(fake.callsOf('apps.connections.open')).toHaveLength(3);
    expect(fake.openConnections).toEqual([3]);
    // Only an ack shows the client has taken `hello` there: stopping it before then leaves
    // socket-mode's reconnect promise rejected with nobody listening (an unhandled rejection).
    const after = fake.userMentions({ text: 'and now?' });
    expect(await fake.waitForAck(after.envelope.envelopeId)).toMatchObject({ connection: 3 });
  });

  it('speaks the Socket Mode frames on the wire, and gives each apps.connections.open URL to one connection', async () => {
    const fake = await fakeSlack();
    const opened = await webClient(fake, {}, fake.appToken).apps.connections.open();
    const url = opened.url ?? '';
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/socket\?ticket=/);

    const socket = rawSocket(url);
    const frames: unknown[] = [];
    const nextFrame = (): Promise<unknown> =>
      new Promise((resolve) => socket.once('message', (data: Buffer) => resolve(JSON.parse(data.toString()))));
    frames.push(await nextFrame());
    expect(frames[0]).toMatchObject({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0FAKEAPP' } });

    const framed = nextFrame();
    const { envelope } = fake.runSlashCommand({ command: '/ask', text: 'raw' });
    expect(await framed).toMatchObject({
      envelope_id: envelope.envelopeId,
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: { command: '/ask', text: 'raw', user_id: fake.humanUser.id, channel_id: fake.channelId(0) },
    });
    socket.send(JSON.stringify({ envelope_id: envelope.envelopeId, payload: { text: 'ok' } }));
    expect(await fake.waitForAck(envelope.envelopeId)).toMatchObject({ known: true, payload: { text: 'ok' } });

    // The same URL again: refused at the upgrade (fails fast if the fake let it open).
    const again = rawSocket(url);
    const outcome = await new Promise<number | string>((resolve) => {
      again.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      again.once('open', () => resolve('opened'));
    });
    expect(outcome).toBe(401);
  });
  it('redelivers an event as Slack retries it: same event_id, retry_attempt counted up', async () => {
    const fake = await fakeSlack();
    const seen: { eventId: unknown; retryNum: number | undefined }[] = [];
    await boltApp(fake, (app) => {
      app.event('app_mention', ({ body, context }) => {
        seen.push({ eventId: body.event_id, retryNum: context.retryNum });
        return Promise.resolve();
      });
    });
    const first = fake.userMentions({ text: 'once' });
    await fake.waitForAck(first.envelope.envelopeId);
    const again = fake.redeliver(first.envelope.envelopeId);
    await fake.waitForAck(again.envelopeId);
    expect(again).toMatchObject({ retryAttempt: 1, type: 'events_api' });
    expect(seen).toEqual([
      { eventId: first.envelope.payload['event_id'], retryNum: 0 },
      { eventId: first.envelope.payload['event_id'], retryNum: 1 },
    ]);
  });

  it("delivers over HTTP with Slack's signature to Bolt's HTTP receiver, whose answers are the acks", async () => {
    const fake = await fakeSlack();
    const signingSecret = 'fake-signing-secret';
    const seen: { text: string; retryNum: number | undefined }[] = [];
    const app = new App({
      token: fake.botToken,
      signingSecret,
      logger: quietLogger(),
      clientOptions: { slackApiUrl: fake.apiUrl },
    });
    app.event('app_mention', ({ event, context }) => {
      seen.push({ text: event.text, retryNum: context.retryNum });
      return Promise.resolve();
    });
    app.command('/ask', async ({ ack, command }) => ack({ response_type: 'ephemeral', text: `got ${command.text}` }));
    const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
    apps.push(app);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
    fake.useHttpEvents({ url, signingSecret });

    const mention = fake.userMentions({ text: 'over http' });
    expect(mention.envelope.transport).toBe('http');
    expect(await fake.waitForAck(mention.envelope.envelopeId)).toMatchObject({ httpStatus: 200, known: true });
    const retried = fake.redeliver(mention.envelope.envelopeId);
    await fake.waitForAck(retried.envelopeId);
    expect(seen).toEqual([
      { text: `<@${fake.botUser.id}> over http`, retryNum: undefined },
      { text: `<@${fake.botUser.id}> over http`, retryNum: 1 },
    ]);

    const command = fake.runSlashCommand({ command: '/ask', text: 'why' });
    expect(await fake.waitForAck(command.envelope.envelopeId)).toMatchObject({
      httpStatus: 200,
      payload: { response_type: 'ephemeral', text: 'got why' },
    });

    fake.useHttpEvents({ url, signingSecret: 'not-the-secret' });
    const forged = fake.userMentions({ text: 'forged' });
    expect(await fake.waitForAck(forged.envelope.envelopeId)).toMatchObject({ httpStatus: 401, known: false });
    expect(seen).toHaveLength(2);
  });

  it('sends the channel message event before app_mention when the app subscribes to message.channels', async () => {
    const fake = await fakeSlack({ events: ['app_mention', 'message.channels'] });
    const opened = await webClient(fake, {}, fake.appToken).apps.connections.open();
    const socket = rawSocket(opened.url ?? '');
    const frames: { type?: string; payload?: { event?: Record<string, unknown> } }[] = [];
    const third = new Promise<void>((resolve) =>
      socket.on('message', (data: Buffer) => {
        frames.push(JSON.parse(data.toString()) as (typeof frames)[number]);
        if (frames.length === 3) resolve();
      }),
    );
    await fake.waitFor('socketOpen');
    const { message } = fake.userMentions({ text: 'hi' });
    await third;
    expect(frames.map((frame) => frame.type)).toEqual(['hello', 'events_api', 'events_api']);
    expect(frames[1]?.payload?.event).toMatchObject({ type: 'message', channel_type: 'channel', ts: message.ts });
    expect(frames[2]?.payload?.event).toMatchObject({ type: 'app_mention', ts: message.ts, user: fake.humanUser.id });
    expect(frames[2]?.payload?.event).not.toHaveProperty('channel_type');
  });
});

describe('fake Slack: Web API with the real WebClient', () => {
  it('streams with chatStream(): one message whose final text is exactly what was appended', async () => {
    const fake = await fakeSlack();
    const client = webClient(fake);
    const parent = fake.userPosts({ text: 'tell me a story' });
    const pieces = ['Once upon ', 'a time, ', 'a **fake** ', 'Slack streamed ', 'an answer.'];
    const appended: string[] = [];
    fake.events.on('streamAppended', (event) => appended.push(streamedText(event.chunks)));

    const streamer = client.chatStream({
      channel: fake.channelId(0),
      thread_ts: parent.ts,
      recipient_team_id: fake.teamId,
      recipient_user_id: fake.humanUser.id,
      buffer_size: 12,
    });
    // One append meets a 429: the streamer's WebClient waits it out and the text still adds up.
    fake.rateLimit('chat.appendStream', { retryAfterSeconds: 1 });
    for (const piece of pieces) await streamer.append({ markdown_text: piece });
    const stopped = await streamer.stop({
      blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: 'done' }] }],
    });

    const [started] = fake.callsOf('chat.startStream');
    expect(started?.params).toMatchObject({ thread_ts: parent.ts, recipient_user_id: fake.humanUser.id });
    const appends = fake.callsOf('chat.appendStream');
    expect(appends.map((call) => call.status)).toEqual([429, 200, ...appends.slice(2).map(() => 200)]);
    expect(appends[1]?.params).toEqual(appends[0]?.params);
    expect(fake.callsOf('chat.stopStream')).toHaveLength(1);
    const ts = streamer.ts ?? '';
    expect(stopped.ts).toBe(ts);
    expect(fake.textOf(fake.channelId(0), ts)).toBe(pieces.join(''));
    // Buffered by the streamer (12 characters here), so fewer, larger chunks; in order, nothing lost.
    expect(appended.length).toBeLessThan(pieces.length);
    expect(appended.join('')).toBe(pieces.join(''));
    const thread = fake.messagesIn(fake.channelId(0), parent.ts);
    expect(thread.map((message) => message.ts)).toEqual([parent.ts, ts]);
    expect(thread[1]?.stream).toMatchObject({ state: 'stopped', mode: 'chunks' });
    expect(thread[1]?.content.blocks).toEqual([{ type: 'context', elements: [{ type: 'mrkdwn', text: 'done' }] }]);
  });

  it('enforces the stream rules Slack documents', async () => {
    const fake = await fakeSlack();
    const client = webClient(fake);
    const channel = fake.channelId(0);
    const parent = fake.userPosts({ text: 'q' });
    const errorOf = async (call: Promise<unknown>): Promise<unknown> => (await rejection(call)).data.error;

    expect(await errorOf(client.chat.startStream({ channel, thread_ts: parent.ts, markdown_text: 'x' }))).toBe(
      'missing_recipient_user_id',
    );
    const recipients = { recipient_user_id: fake.humanUser.id, recipient_team_id: fake.teamId };
    expect(
      await errorOf(
        client.chat.startStream({ channel, thread_ts: parent.ts, markdown_text: 'x'.repeat(12_001), ...recipients }),
      ),
    ).toBe('msg_too_long');
    const { ts = '' } = await client.chat.startStream({
      channel,
      thread_ts: parent.ts,
      markdown_text: 'Hi',
      ...recipients,
    });
    expect(
      await errorOf(client.chat.appendStream({ channel, ts, chunks: [{ type: 'markdown_text', text: '!' }] })),
    ).toBe('streaming_mode_mismatch');
    expect(await errorOf(client.chat.update({ channel, ts, text: 'edited' }))).toBe('streaming_state_conflict');
    await client.chat.appendStream({ channel, ts, markdown_text: ' there' });
    fake.stopStreamAsUser(channel, ts);
    expect(await errorOf(client.chat.appendStream({ channel, ts, markdown_text: '!' }))).toBe('stopped_by_user');
    expect(fake.textOf(channel, ts)).toBe('Hi there');

    // A DM needs no recipients; an expired stream takes no more appends.
    const dm = fake.dmChannelOf();
    const question = fake.userPosts({ channel: dm, text: 'q' });
    const direct = await client.chat.startStream({ channel: dm, thread_ts: question.ts, markdown_text: 'a' });
    fake.expireStream(dm, direct.ts ?? '');
    expect(await errorOf(client.chat.stopStream({ channel: dm, ts: direct.ts ?? '' }))).toBe(
      'message_not_in_streaming_state',
    );
  });

  it('keeps each chat.update of a posted message and shows the latest', async () => {
    const fake = await fakeSlack();
    const client = webClient(fake);
    const channel = fake.channelId(1);
    const posted = await client.chat.postMessage({ channel, markdown_text: 'a' });
    const ts = posted.ts ?? '';
    expect(posted.message).toMatchObject({ ts, text: 'a', bot_id: 'B0FAKEBOT' });
    await client.chat.update({ channel, ts, markdown_text: 'ab' });
    await client.chat.update({ channel, ts, markdown_text: 'abc' });

    const message = fake.message(channel, ts);
    expect(message.edits.map((edit) => edit.markdownText)).toEqual(['a', 'ab', 'abc']);
    expect(fake.textOf(channel, ts)).toBe('abc');
    expect(fake.callsOf('chat.update').map((call) => call.contentType)).toEqual([
      'application/x-www-form-urlencoded',
      'application/x-www-form-urlencoded',
    ]);
    expect((await rejection(client.chat.postMessage({ channel, text: 'x'.repeat(4_001) }))).data.error).toBe(
      'msg_too_long',
    );
    const conflict = await rejection(client.chat.postMessage({ channel, text: 'a', markdown_text: 'b' }));
    expect(conflict.data.error).toBe('markdown_text_conflict');
    expect((await rejection(client.chat.update({ channel, ts, text: 'x'.repeat(4_001) }))).data.error).toBe(
      'msg_too_long',
    );
    await client.chat.delete({ channel, ts });
    expect(fake.messagesIn(channel)).toEqual([]);
  });

  it('answers 429 with Retry-After, which the real client waits out before retrying', async () => {
    const fake = await fakeSlack();
    const client = webClient(fake);
    const waits: number[] = [];
    client.on(WebClientEvent.RATE_LIMITED, (seconds: number) => waits.push(seconds));
    fake.rateLimit('chat.postMessage', { retryAfterSeconds: 1 });

    const posted = await client.chat.postMessage({ channel: fake.channelId(0), text: 'after the wait' });
    const calls = fake.callsOf('chat.postMessage');
    expect(calls.map((call) => [call.status, call.retryAfter])).toEqual([
      [429, 1],
      [200, undefined],
    ]);
    expect(calls[0]?.response).toEqual({ ok: false, error: 'ratelimited' });
    expect(waits).toEqual([1]);
    // The retry came no sooner than Retry-After said (a little slack for timer rounding).
    expect((calls[1]?.at ?? 0) - (calls[0]?.respondedAt ?? 0)).toBeGreaterThanOrEqual(990);
    expect(fake.textOf(fake.channelId(0), posted.ts ?? '')).toBe('after the wait');

    fake.rateLimit('chat.update', { retryAfterSeconds: 7 });
    const refusing = webClient(fake, { rejectRateLimitedCalls: true });
    const error = await rejection(refusing.chat.update({ channel: fake.channelId(0), ts: posted.ts ?? '', text: 'x' }));
    expect(error).toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 7 });
  });

  it('answers 429 by itself past a method budget (per channel for chat.postMessage), and delays answers by latencyMs', async () => {
    const fake = await fakeSlack({
      rateLimits: {
        'chat.update': { limit: 2, windowMs: 60_000 },
        'chat.postMessage': { limit: 1, windowMs: 60_000, perChannel: true },
      },
    });
    const client = webClient(fake, { rejectRateLimitedCalls: true });
    const [first, second] = [fake.channelId(0), fake.channelId(1)];
    const { ts = '' } = await client.chat.postMessage({ channel: first, text: 'a' });
    expect(await rejection(client.chat.postMessage({ channel: first, text: 'b' }))).toMatchObject({
      code: ErrorCode.RateLimitedError,
      retryAfter: 60,
    });
    await client.chat.postMessage({ channel: second, text: 'c' });
    await client.chat.update({ channel: first, ts, text: 'a1' });
    await client.chat.update({ channel: first, ts, text: 'a2' });
    expect((await rejection(client.chat.update({ channel: first, ts, text: 'a3' }))).code).toBe(
      ErrorCode.RateLimitedError,
    );
    expect(fake.textOf(first, ts)).toBe('a2');

    fake.latencyMs = 150;
    await client.chat.delete({ channel: first, ts });
    const [deleted] = fake.callsOf('chat.delete');
    expect((deleted?.respondedAt ?? 0) - (deleted?.at ?? 0)).toBeGreaterThanOrEqual(140);
  });

  it('refuses chat.startStream as a test says (feature_not_enabled), surfacing as a platform error', async () => {
    const fake = await fakeSlack();
    const client = webClient(fake);
    const parent = fake.userPosts({ channel: fake.dmChannelOf(), text: 'q' });
    fake.refuse('chat.startStream', 'feature_not_enabled');

    const streamer = client.chatStream({ channel: fake.dmChannelOf(), thread_ts: parent.ts });
    const error = await rejection(streamer.append({ markdown_text: 'x'.repeat(300) }));
    expect(error.code).toBe(ErrorCode.PlatformError);
    expect(error.data.error).toBe('feature_not_enabled');
    expect(fake.messagesIn(fake.dmChannelOf())).toHaveLength(1);

    fake.restore('chat.startStream');
    fake.refuse('chat.startStream', 'unknown_method', { times: 1 });
    expect(
      (await rejection(client.chat.startStream({ channel: fake.dmChannelOf(), thread_ts: parent.ts }))).data.error,
    ).toBe('unknown_method');
    const started = await client.chat.startStream({
      channel: fake.dmChannelOf(),
      thread_ts: parent.ts,
      markdown_text: 'ok',
    });
    expect(fake.textOf(fake.dmChannelOf(), started.ts ?? '')).toBe('ok');
  });

  it('checks tokens like Slack: not_authed, invalid_auth, and the right token kind per method', async () => {
    const fake = await fakeSlack();
    const channel = fake.channelId(0);
    expect((await rejection(webClient(fake, {}, 'xoxb-wrong').auth.test())).data.error).toBe('invalid_auth');
    expect((await rejection(webClient(fake, {}, '').chat.postMessage({ channel, text: 'x' }))).data.error).toBe(
      'not_authed',
    );
    expect((await rejection(webClient(fake).apps.connections.open())).data.error).toBe('not_allowed_token_type');
    expect(
      (await rejection(webClient(fake, {}, fake.appToken).chat.postMessage({ channel, text: 'x' }))).data.error,
    ).toBe('not_allowed_token_type');
    expect((await rejection(webClient(fake).apiCall('chat.fly'))).data.error).toBe('unknown_method');
    expect(await webClient(fake).auth.test()).toMatchObject({
      ok: true,
      user_id: fake.botUser.id,
      team_id: fake.teamId,
    });
  });

  it('takes JSON bodies with a bearer token, sets assistant statuses, and reads threads back', async () => {
    const fake = await fakeSlack();
    const channel = fake.channelId(0);
    const parent = fake.userPosts({ text: 'q' });
    const response = await fetch(`${fake.apiUrl}assistant.threads.setStatus`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8', Authorization: `Bearer ${fake.botToken}` },
      body: JSON.stringify({
        channel_id: channel,
        thread_ts: parent.ts,
        status: 'is thinking…',
        loading_messages: ['…'],
      }),
    });
    expect(await response.json()).toEqual({ ok: true });
    expect(fake.statusOf(channel, parent.ts)).toBe('is thinking…');

    const client = webClient(fake);
    await client.chat.postMessage({ channel, thread_ts: parent.ts, text: 'answer' });
    const replies = await client.conversations.replies({ channel, ts: parent.ts });
    expect(replies.messages?.map((message) => message.text)).toEqual(['q', 'answer']);
    expect((await client.users.info({ user: fake.humanUser.id })).user?.name).toBe('alice');
  });
});
