import type { Logger } from '../ports/logger.js';
import type { ChannelLease, ChannelLocks } from '../ports/storage.js';
import type { Control } from '../reply/message-view.js';
import type { ReplyStream } from '../reply/reply-stream.js';

// Two steps of an answer that must not fail it: taking its channel, and showing its end.

/**
 * Waits for the channel; being stopped meanwhile ends the wait. If the lock itself fails, answering
 * anyway beats leaving the question unanswered.
 */
export async function takeChannel(
  locks: ChannelLocks,
  channelId: string,
  signal: AbortSignal,
  logger: Logger,
): Promise<ChannelLease | null> {
  try {
    return await locks.acquire(channelId, signal);
  } catch (error) {
    if (!signal.aborted) logger.error({ err: error, channelId }, 'could not lock the channel');
    return null;
  }
}

/** Shows exactly `display` with `controls`; the final edit is the one that must land, so it gets one more try. */
export async function showEnd(
  reply: Pick<ReplyStream, 'finish'>,
  display: string,
  controls: Control[],
  channelId: string,
  logger: Logger,
): Promise<void> {
  try {
    await reply.finish(display, controls);
  } catch (error) {
    logger.warn({ err: error, channelId }, 'final edit failed; retrying');
    await reply.finish(display, controls).catch((retryError: unknown) => {
      logger.error({ err: retryError, channelId }, 'final edit failed twice');
    });
  }
}
