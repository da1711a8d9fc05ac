import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { PostedMessage } from '../reply/reply-target.js';
import type { StreamingReplies } from '../ports/storage.js';

// Keeps a streaming reply on record, so that a restart after a crash can find it. Updates are chained
// so that the record is taken off only after the last of them has landed.

export interface ReplyRecord {
  /** The reply has a new message: record where its messages are. */
  note(messages: () => Promise<readonly PostedMessage[]>): void;
  /** The reply has ended: take it off the record. */
  clear(): Promise<void>;
}

export function createReplyRecord(
  streaming: StreamingReplies,
  reply: { readonly answerId: string; readonly channelId: string; readonly owner: string },
  logger: Logger,
  clock: Clock,
): ReplyRecord {
  const startedAt = clock.now();
  const warn = (message: string) => (error: unknown) => logger.warn({ err: error, ...reply }, message);
  let updates: Promise<void> = Promise.resolve();
  return {
    note(messages) {
      updates = updates
        .then(async () => {
          const locators = (await messages()).map((message) => message.locator);
          await streaming.put({ ...reply, locators, startedAt });
          logger.debug({ answerId: reply.answerId, messages: locators.length }, 'reply on record');
        })
        .catch(warn('could not put a reply on record'));
    },
    async clear() {
      await updates;
      await streaming.remove(reply.answerId).catch(warn('could not take a reply off record'));
    },
  };
}
