// A question as the core sees it, whichever way it was asked.

export interface Question {
  /** The answer's id, unique per question; Regenerate and Continue keep it. */
  readonly id: string;
  /** The conversation: its history and its turn order. */
  readonly channelId: string;
  readonly authorId: string;
  /** A stable hash of the author, never the raw id: what the model provider is told (metadata.user_id). */
  readonly authorRef?: string;
  readonly text: string;
  /** False for a private question: it reads the conversation but adds nothing to it. */
  readonly remember: boolean;
}
