import type {
  EphemeralMessage,
  FakeSlackUser,
  MessageContent,
  SlackMessageSnapshot,
  StoredSlackMessage,
  StreamRecord,
} from './types.js';

// Slack ids are a type letter and upper-case alphanumerics; the fake's are recognisable as fake.
export const TEAM_ID = 'T0FAKETEAM';
export const TEAM_DOMAIN = 'fake-team';
export const APP_ID = 'A0FAKEAPP';
export const BOT_ID = 'B0FAKEBOT';

/** A message `ts`: seconds, a dot, six digits; unique and increasing within the workspace. */
export class TsClock {
  // 2024-11-30T20:53:20Z, as in the examples of the brief ("1733000000.000100").
  #next = 1_733_000_000_000_100;

  next(): string {
    const micros = this.#next;
    this.#next += 100;
    return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }
}

export interface ChannelRecord {
  readonly id: string;
  readonly name: string;
  /** 'channel' for public channels, 'im' for a DM with `user`. */
  readonly type: 'channel' | 'im';
  readonly user: string | undefined;
  readonly messages: StoredSlackMessage[];
}

/** One workspace: the app's bot user, humans, channels, and every message with its history. */
export class Workspace {
  readonly clock = new TsClock();
  readonly botUser: FakeSlackUser = { id: 'U0FAKEBOT', name: 'streamcord' };
  readonly humanUser: FakeSlackUser = { id: 'U0FAKEUSER1', name: 'alice' };
  readonly users = new Map<string, FakeSlackUser>();
  readonly channels = new Map<string, ChannelRecord>();
  readonly ephemerals: EphemeralMessage[] = [];
  /** Latest `assistant.threads.setStatus` per `channel/thread_ts` ('' clears it). */
  readonly statuses = new Map<string, string>();
  #userCount = 1;
  #eventCount = 0;

  constructor(publicChannels: number) {
    this.users.set(this.botUser.id, this.botUser);
    this.users.set(this.humanUser.id, this.humanUser);
    for (let index = 1; index <= publicChannels; index += 1) {
      const id = `C0FAKECHAN${index}`;
      this.channels.set(id, { id, name: `channel-${index}`, type: 'channel', user: undefined, messages: [] });
    }
  }

  /** Numbers the events this workspace sends, for their `event_id`. */
  nextEventNumber(): number {
    this.#eventCount += 1;
    return this.#eventCount;
  }

  addUser(name: string): FakeSlackUser {
    this.#userCount += 1;
    const user = { id: `U0FAKEUSER${this.#userCount}`, name };
    this.users.set(user.id, user);
    return user;
  }

  /** The user's DM with the app, opened on first use as when a user first writes to it. */
  dmOf(userId: string): ChannelRecord {
    const id = `D${userId.slice(1)}`;
    let channel = this.channels.get(id);
    if (channel === undefined) {
      channel = { id, name: id, type: 'im', user: userId, messages: [] };
      this.channels.set(id, channel);
    }
    return channel;
  }

  /** A channel id, or a user id (Slack posts to the user's DM with the app then). */
  resolveChannel(id: string): ChannelRecord | undefined {
    if (id.startsWith('U') && this.users.has(id)) return this.dmOf(id);
    return this.channels.get(id);
  }

  addMessage(
    channel: ChannelRecord,
    init: {
      readonly threadTs: string | undefined;
      readonly user: string | undefined;
      readonly content: MessageContent;
      readonly stream?: StreamRecord;
    },
  ): StoredSlackMessage {
    const message: StoredSlackMessage = {
      channel: channel.id,
      ts: this.clock.next(),
      threadTs: init.threadTs,
      user: init.user,
      botId: init.user === undefined ? BOT_ID : undefined,
      content: init.content,
      edits: [init.content],
      stream: init.stream,
      deleted: false,
    };
    channel.messages.push(message);
    return message;
  }

  findMessage(channelId: string, ts: string): StoredSlackMessage | undefined {
    return this.channels.get(channelId)?.messages.find((message) => message.ts === ts);
  }
}

export function snapshot(message: StoredSlackMessage): SlackMessageSnapshot {
  return structuredClone({ ...message });
}

/** A message as the Web API returns it (`message` of chat.postMessage, items of conversations.*). */
export function apiMessage(message: StoredSlackMessage, replies = 0): Record<string, unknown> {
  const { content } = message;
  const author: Record<string, unknown> =
    message.user === undefined
      ? { bot_id: message.botId, app_id: APP_ID, user: 'U0FAKEBOT' }
      : { user: message.user, client_msg_id: `fake-${message.ts}` };
  return {
    type: 'message',
    ts: message.ts,
    ...author,
    team: TEAM_ID,
    text: content.text ?? content.markdownText ?? '',
    ...(content.blocks === undefined ? {} : { blocks: content.blocks }),
    ...(message.threadTs === undefined ? {} : { thread_ts: message.threadTs }),
    ...(replies > 0 ? { thread_ts: message.ts, reply_count: replies } : {}),
    ...(message.edits.length > 1 && message.stream === undefined
      ? { edited: { user: 'U0FAKEBOT', ts: message.ts } }
      : {}),
  };
}
