// What the core needs from a platform to show an answer: a first message replying to the question,
// follow-up messages after it, and edits. Adapters (Discord now, Slack later) implement it.

export interface PostedMessage {
  readonly id: string;
  /** Replaces the content; rejects with MessageGoneError if the message was deleted. */
  edit(content: string): Promise<void>;
}

export interface ReplyTarget {
  /** The conversation this reply belongs to: its edit budget and its history. */
  readonly channelId: string;
  /** Posts the first message of the reply. */
  start(content: string): Promise<PostedMessage>;
  /** Posts a message that continues the reply. */
  followUp(content: string): Promise<PostedMessage>;
}

/** The platform says the message no longer exists: further edits are pointless. */
export class MessageGoneError extends Error {
  override readonly name = 'MessageGoneError';
}
