import type { AnswerOutcome } from './answer-outcome.js';
import type { MessageView } from '../reply/message-view.js';
import type { PostedMessage, ReplyTarget } from '../reply/reply-target.js';
import type { Question } from '../prompt/question.js';

// The answers buttons can still act on: every answer that is running, and each channel's latest
// answer. An answer superseded by a newer one in its channel is forgotten once it has ended, so the
// registry stays as small as the number of busy channels.

export interface AnswerRecord {
  readonly question: Question;
  readonly target: ReplyTarget;
  readonly controller: AbortController;
  /** Waiting for its turn or streaming. */
  running: boolean;
  /** Holds the channel's turn and is streaming. */
  streaming: boolean;
  /** The reply's messages and what the last one shows, once known. */
  messages: readonly PostedMessage[];
  lastView: MessageView | null;
  /** Everything answered so far, continuations included; set when it ends. */
  answerText: string;
  outcome: AnswerOutcome | null;
}

export interface AnswerRegistry {
  get(id: string): AnswerRecord | undefined;
  running(): AnswerRecord[];
  /** The answer streaming in a channel now, if any. */
  streamingIn(channelId: string): AnswerRecord | undefined;
  /**
   * Adds a running answer. A remembered one becomes its channel's latest; the one it displaces is
   * returned if it has ended, so its buttons can be taken away.
   */
  register(record: AnswerRecord): AnswerRecord | undefined;
  isLatest(record: AnswerRecord): boolean;
  /** Marks an answer ended; it is kept only while it is its channel's latest. */
  ended(record: AnswerRecord): void;
}

export function createAnswerRegistry(): AnswerRegistry {
  const byId = new Map<string, AnswerRecord>();
  const latest = new Map<string, AnswerRecord>();

  const isLatest = (record: AnswerRecord) => latest.get(record.question.channelId) === record;
  const forgetIfDone = (record: AnswerRecord) => {
    if (!record.running && !isLatest(record) && byId.get(record.question.id) === record) {
      byId.delete(record.question.id);
    }
  };

  return {
    get: (id) => byId.get(id),
    running: () => [...byId.values()].filter((record) => record.running),
    streamingIn: (channelId) =>
      [...byId.values()].find((record) => record.streaming && record.question.channelId === channelId),
    register(record) {
      byId.set(record.question.id, record);
      if (!record.question.remember) return undefined;
      const displaced = latest.get(record.question.channelId);
      latest.set(record.question.channelId, record);
      if (!displaced || displaced === record) return undefined;
      forgetIfDone(displaced);
      return displaced.running ? undefined : displaced;
    },
    isLatest,
    ended(record) {
      record.running = false;
      record.streaming = false;
      forgetIfDone(record);
    },
  };
}
