import type { MessageView } from './message-view.js';
import type { PostedMessage } from './reply-target.js';

// What the platform gives back of a reply that has ended, from the strings kept of it. An ended
// answer keeps no platform objects (they would hold the platform's caches in memory for as long as
// the answer's buttons may be pressed); whatever later edits or deletes its messages — Regenerate
// reusing the first one, taking its buttons away — reopens them through this port.

export interface ReplyReopener {
  /** The message `locator` points at (PostedMessage.locator), as a message of answer `answerId`. */
  message(locator: string, answerId: string): PostedMessage;
  /**
   * Posts a message continuing answer `answerId`'s reply in channel `channelId`, after the message
   * `after` points at (where the platform places replies by message, e.g. Slack's threads).
   */
  followUp(channelId: string, view: MessageView, answerId: string, after: string): Promise<PostedMessage>;
}
