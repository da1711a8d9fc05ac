import type { ReplyReopener } from '../../core/reply/reply-reopener.js';
import { postToThread, updatableMessage } from './slack-reply-target.js';
import type { SlackReplyDeps } from './slack-reply-target.js';
import { locatedMessage, threadOfKey } from './slack-thread.js';

// An ended Slack answer's messages, found again from their locators: by then every stream has
// stopped, so they are changed with chat.update.

export function createSlackReopener(deps: SlackReplyDeps): ReplyReopener {
  const { client } = deps;
  return {
    message(locator, answerId) {
      const located = locatedMessage(locator);
      if (located === undefined) throw new Error(`not a Slack message locator: ${locator}`);
      return updatableMessage(client, located.thread, located.ts, answerId);
    },
    followUp(channelId, view, answerId, after) {
      // An /ask answer's conversation is its channel's: its thread is the one its first message is in.
      const thread = locatedMessage(after)?.thread ?? threadOfKey(channelId);
      if (thread === undefined) return Promise.reject(new Error(`not a Slack conversation: ${channelId}`));
      // A follow-up after the end streams nothing: a plain post.
      return postToThread(deps, thread, view, answerId);
    },
  };
}
