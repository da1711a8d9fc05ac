import { ChannelType, PermissionFlagsBits } from 'discord.js';
import type { PermissionsBitField, PermissionsString } from 'discord.js';

// Threads (THREADS=auto), as decisions on what discord.js tells about a message: whether its answer
// opens a thread of its own, and whether a message in a thread the bot opened is a question without
// a mention. message-routing.ts acts on them.

export type ThreadsMode = 'off' | 'auto';

// Opening a thread on a message needs Create Public Threads in the channel, and posting the answer in
// it Send Messages in Threads (a thread follows its parent's permissions). The channel gate checks the
// rest (View Channel, Read Message History) for the thread as it does for any channel.
const TO_OPEN_A_THREAD = [PermissionFlagsBits.CreatePublicThreads, PermissionFlagsBits.SendMessagesInThreads];

// Only these channels have public threads started from a message.
const THREADED_CHANNELS: readonly ChannelType[] = [ChannelType.GuildText, ChannelType.GuildAnnouncement];

/** Where a question asked by mention is answered. */
export type AnswerPlace =
  /**
   * In the channel, replying to the question: today's way, where no thread is wanted or possible.
   * `missing`: what the bot lacks to open one here although threads are on (the log says so).
   */
  | { readonly kind: 'here'; readonly missing: readonly PermissionsString[] }
  /** In a new public thread on the question. */
  | { readonly kind: 'thread' };

export interface PlaceQuery {
  readonly mode: ThreadsMode;
  readonly channelType: ChannelType;
  /** The bot's permissions in the channel; null when unknown (then the request decides). */
  readonly permissions: Readonly<PermissionsBitField> | null;
}

export function answerPlace(query: PlaceQuery): AnswerPlace {
  if (query.mode === 'off' || !THREADED_CHANNELS.includes(query.channelType)) return { kind: 'here', missing: [] };
  const missing = query.permissions?.missing(TO_OPEN_A_THREAD) ?? [];
  return missing.length === 0 ? { kind: 'thread' } : { kind: 'here', missing };
}

export interface FollowUpQuery {
  readonly mode: ThreadsMode;
  /** Whether the bot reads every message's content (MESSAGE_CONTENT_INTENT). */
  readonly messageContent: boolean;
  readonly botId: string;
  /** The thread's creator, or null when the message is not in a thread. */
  readonly threadOwnerId: string | null;
  /** Whether the message carries anything to ask: words or files. */
  readonly hasContent: boolean;
  /** People the message mentions (a reply with its ping counts), the bot left out. */
  readonly mentionsOthers: boolean;
}

/**
 * Whether a message that does not mention the bot is a question anyway: in a thread the bot opened,
 * when the bot can read it (without the intent, Discord sends such messages with no content). A
 * message that mentions someone else is left to them.
 */
export function isThreadFollowUp(query: FollowUpQuery): boolean {
  return (
    query.mode === 'auto' &&
    query.messageContent &&
    query.threadOwnerId === query.botId &&
    query.hasContent &&
    !query.mentionsOthers
  );
}
