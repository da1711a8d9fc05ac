import { MessageReferenceType, cleanContent } from 'discord.js';
import type { Message, PublicThreadChannel, SendableChannels } from 'discord.js';
import type { AnswerJob } from '../../core/answer/answer-job.js';
import type { Clock } from '../../core/ports/clock.js';
import type { ConversationStore } from '../../core/ports/conversation-store.js';
import type { Logger } from '../../core/ports/logger.js';
import { exchangeOfReply } from '../../core/prompt/conversation-chain.js';
import type { Question } from '../../core/prompt/question.js';
import type { ReplyTarget } from '../../core/reply/reply-target.js';
import type { WriteBudgets } from '../../core/reply/write-budgets.js';
import { THREAD_FALLBACK_NAME } from '../../core/user-text.js';
import { channelAccess } from './channel-permissions.js';
import type { ChannelAccessQuery } from './channel-permissions.js';
import { messageReplyTarget, sendToChannel } from './message-target.js';
import { createOncePerKey } from './once-per-key.js';
import { threadName } from './thread-name.js';
import { answerPlace, isThreadFollowUp } from './thread-routing.js';
import type { ThreadsMode } from './thread-routing.js';

// Where a message's question belongs and where its answer goes: the conversation it continues (its
// channel or thread, from the answer it replies to when it is a branch), the permissions the answer
// needs there, and, once the question is admitted, the reply target: a reply in the channel, or a
// thread opened on the question (THREADS=auto). A thread that cannot be opened costs the question
// nothing: it is answered in the channel, and the log says why.

// A channel where the bot may not open threads is logged again after this long.
const LOG_AGAIN_AFTER_MS = 60 * 60 * 1000;
const REMEMBERED_CHANNELS = 1000;

export interface MessageRoutingDeps {
  readonly threads: ThreadsMode;
  /** MESSAGE_CONTENT_INTENT: the bot reads messages that do not mention it. */
  readonly messageContent: boolean;
  readonly conversations: Pick<ConversationStore, 'load'>;
  readonly budgets: WriteBudgets;
  readonly logger: Logger;
  readonly clock: Clock;
}

export interface Route {
  /** The question's conversation: its channel, or the thread it will open (whose id is the question's). */
  readonly channelId: string;
  /** What the channel gate checks: the permissions the answer needs where it will be posted. */
  readonly access: ChannelAccessQuery;
  /** The exchange whose answer the message replies to (a branch); undefined otherwise. */
  readonly parentId: string | undefined;
  /** The admitted question's job: a thread is opened on it now, when the answer goes in one. */
  job(question: Question): Promise<AnswerJob>;
}

export interface MessageRouting {
  /** Whether a message that does not mention the bot is a question anyway (a thread follow-up). */
  followsUp(message: Message): boolean;
  route(message: Message, channel: SendableChannels): Promise<Route>;
}

export function createMessageRouting(deps: MessageRoutingDeps): MessageRouting {
  const { budgets, logger } = deps;
  const cannotOpen = createOncePerKey({ clock: deps.clock, everyMs: LOG_AGAIN_AFTER_MS, max: REMEMBERED_CHANNELS });

  const inChannel = (message: Message, channel: SendableChannels) => (question: Question) =>
    Promise.resolve({
      question: { ...question, channelId: message.channelId },
      target: messageReplyTarget(message, channel, question.id, budgets),
    });

  async function inThread(message: Message, channel: SendableChannels, question: Question): Promise<AnswerJob> {
    // A question that is only a file is named after the file.
    const fallback = question.attachments?.[0]?.name ?? THREAD_FALLBACK_NAME;
    const name = threadName(cleanContent(question.text, channel), fallback);
    try {
      const thread = await message.startThread({ name });
      return { question: { ...question, channelId: thread.id }, target: threadTarget(thread, question.id, budgets) };
    } catch (error) {
      const fields = { err: error, guildId: message.guildId, channelId: message.channelId, answerId: question.id };
      logger.warn(fields, 'could not open a thread; answering in the channel');
      return inChannel(message, channel)(question);
    }
  }

  // A reply to a message of a remembered answer in this conversation; a reply to anyone else's
  // message is no branch (it may carry files for the question), and costs no storage read.
  async function branchParent(message: Message): Promise<string | undefined> {
    const reference = message.reference;
    if (reference?.type !== MessageReferenceType.Default || reference.messageId === undefined) return undefined;
    if (reference.channelId !== message.channelId || message.mentions.repliedUser?.id !== message.client.user.id) {
      return undefined;
    }
    try {
      return exchangeOfReply(await deps.conversations.load(message.channelId), reference.messageId)?.id;
    } catch (error) {
      logger.warn({ err: error, channelId: message.channelId }, 'could not read the conversation; no branch');
      return undefined;
    }
  }

  return {
    followsUp(message) {
      const botId = message.client.user.id;
      const { channel } = message;
      return isThreadFollowUp({
        mode: deps.threads,
        messageContent: deps.messageContent,
        botId,
        threadOwnerId: channel.isThread() ? channel.ownerId : null,
        hasContent: message.content.trim() !== '' || message.attachments.size > 0,
        mentionsOthers: message.mentions.users.some((user) => user.id !== botId),
      });
    },
    async route(message, channel) {
      const access = await channelAccess(channel);
      const parentId = await branchParent(message);
      // A branch continues its conversation where it is; only a new question opens a thread.
      const place =
        parentId === undefined
          ? answerPlace({ mode: deps.threads, channelType: channel.type, permissions: access.permissions })
          : ({ kind: 'here', missing: [] } as const);
      if (place.kind === 'thread') {
        const job = (question: Question) => inThread(message, channel, question);
        return { channelId: message.id, access: { ...access, thread: true }, parentId, job };
      }
      if (place.missing.length > 0) {
        const level = cannotOpen.due(message.channelId) ? 'warn' : 'debug';
        const fields = { guildId: message.guildId, channelId: message.channelId, missing: place.missing };
        logger[level](fields, 'may not open threads here; answering in the channel');
      }
      return { channelId: message.channelId, access, parentId, job: inChannel(message, channel) };
    },
  };
}

/** The answer in a thread of its own: its first message opens the thread, no reply reference needed. */
function threadTarget(thread: PublicThreadChannel, answerId: string, budgets: WriteBudgets): ReplyTarget {
  const post: ReplyTarget['start'] = (view) => sendToChannel(thread, view, answerId, budgets);
  return { channelId: thread.id, start: post, followUp: post };
}
