import type { Question } from '../prompt/question.js';
import { queueText } from '../user-text.js';

// Admission by queue length: a question that would wait behind too many others is refused before
// anything is posted or asked, so a flood costs no model call. The caps protect the channel, so they
// apply to everyone, admins included.

export interface QueueCaps {
  /** Most answers waiting in one channel behind the one streaming. */
  readonly perChannel: number;
  /**
   * Most answers one person may have waiting, in all channels; undefined: no cap. A question that
   * would stream at once (its channel is quiet) is never refused.
   */
  readonly perUser: number | undefined;
}

/** What the caps count: answers of this process (the registry's counts). */
export interface QueueCounts {
  busy(channelId: string): boolean;
  waitingIn(channelId: string): number;
  waitingFor(authorId: string): number;
}

/** Why `question` may not join the queue, in the user's words; null when it may. */
export function queueRefusal(counts: QueueCounts, question: Question, caps: QueueCaps): string | null {
  // A question in a quiet channel streams at once: it never waits, so no cap holds it back.
  const { channelId } = question;
  if (!counts.busy(channelId)) return null;
  if (counts.waitingIn(channelId) >= caps.perChannel) return queueText.channelBusy;
  const mine = counts.waitingFor(question.authorId);
  if (caps.perUser !== undefined && mine >= caps.perUser) return queueText.youAreWaiting(mine);
  return null;
}
