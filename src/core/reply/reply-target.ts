import type { MessageView } from './message-view.js';

// What the core needs from a platform to show an answer: a first message replying to the question,
// follow-up messages after it, edits and deletions. Adapters (Discord now, Slack later) implement it.
// A target belongs to one answer and renders its controls for that answer. Posts and deletions go
// through the write budget of the bucket they hit inside the target (only the platform knows which
// one); edits are budgeted by the caller, which picks their kind, under the message's `budgetKey`.

export interface PostedMessage {
  readonly id: string;
  /** The rate-limit bucket its edits draw on, e.g. its channel. `edit` itself takes no slot. */
  readonly budgetKey: string;
  /** Where the platform finds it again after a restart, to mark an interrupted answer. */
  readonly locator: string;
  /** Replaces what the message shows; rejects with a PlatformError (platform-errors.ts) when refused. */
  edit(view: MessageView): Promise<void>;
  delete(): Promise<void>;
}

export interface ReplyTarget {
  /** Where the reply is, for the logs. */
  readonly channelId: string;
  /** Posts the first message of the reply (through its bucket's budget, as a post). */
  start(view: MessageView): Promise<PostedMessage>;
  /** Posts a message that continues the reply (through its bucket's budget, as a post). */
  followUp(view: MessageView): Promise<PostedMessage>;
  /**
   * When messages posted so far stop being editable (epoch ms), e.g. an interaction token expiring.
   * Before then the reply is sealed: what is shown stays, and the rest continues in new messages —
   * or, when `continuesAfterDeadline` is false, the answer ends there with a notice.
   */
  readonly deadline?: { readonly at: number; readonly continuesAfterDeadline: boolean };
}
