import { isAbortReason } from './answer-outcome.js';
import type { AbortReason } from './answer-outcome.js';
import type { ReplyStream } from '../reply/reply-stream.js';
import type { ReplyTarget } from '../reply/reply-target.js';
import type { Clock } from '../ports/clock.js';

// The small watchers around one stream: why it was aborted, and the deadline of its messages.

export function abortReason(signal: AbortSignal): AbortReason | undefined {
  const reason: unknown = signal.reason;
  return signal.aborted && isAbortReason(reason) ? reason : undefined;
}

/** Before the reply's messages stop being editable: seal them and go on in new messages, or end here. */
export function watchDeadline(
  target: Pick<ReplyTarget, 'deadline'>,
  reply: Pick<ReplyStream, 'seal'>,
  controller: AbortController,
  clock: Clock,
) {
  if (!target.deadline) return undefined;
  const { at, continuesAfterDeadline } = target.deadline;
  return setTimeout(
    () => (continuesAfterDeadline ? reply.seal() : controller.abort({ cause: 'expired' })),
    Math.max(0, at - clock.now()),
  );
}
