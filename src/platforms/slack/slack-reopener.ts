import type { webApi } from '@slack/bolt';
import type { ReplyReopener } from '../../core/reply/reply-reopener.js';
import type { WriteBudgets } from '../../core/reply/write-budgets.js';
import { slackReplyTarget, updatableMessage } from './slack-reply-target.js';
import { locatedMessage, threadOfKey } from './slack-thread.js';
import type { StreamingSupport } from './streaming-support.js';

// An ended Slack answer's messages, found again from their locators: by then every stream has
// stopped, so they are changed with chat.update.

export function createSlackReopener(
  client: webApi.WebClient,
  budgets: WriteBudgets,
  streaming: StreamingSupport,
): ReplyReopener {
  return {
    message(locator) {
      const located = locatedMessage(locator);
      if (located === undefined) throw new Error(`not a Slack message locator: ${locator}`);
      return updatableMessage(client, located.thread, located.ts);
    },
    followUp(channelId, view) {
      const thread = threadOfKey(channelId);
      if (thread === undefined) return Promise.reject(new Error(`not a Slack conversation: ${channelId}`));
      // No recipient is known any more; a follow-up after the end is a plain post.
      return slackReplyTarget({ client, budgets, streaming }, { thread, userId: '' }).followUp(view);
    },
  };
}
