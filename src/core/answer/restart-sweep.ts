import type { Logger } from '../ports/logger.js';
import type { Storage, StreamingReply } from '../ports/storage.js';
import { isUnreachable } from '../reply/platform-errors.js';

// After a crash, replies that were streaming are still on record. At start each platform takes the
// ones that are its own, in turn: once the reply's channel is free (a dead owner's lease runs out; a
// living owner keeps it and removes the record itself), its messages are ended with the notice that
// the answer was interrupted, and the record is removed — also when that fails, so nothing loops.

export interface RestartSweepDeps {
  readonly storage: Storage;
  /** This process: its own replies are not interrupted. */
  readonly owner: string;
  readonly logger: Logger;
  /** How long to wait for a channel whose previous owner may still be alive. */
  readonly waitMs: number;
  /** Aborted when the bot stops: the sweep gives up its waits. */
  readonly signal: AbortSignal;
  /** Whether the reply is this platform's, in a place this process serves. */
  servedHere(reply: StreamingReply): Promise<boolean>;
  /** Ends the reply's messages with the interrupted notice. */
  markInterrupted(reply: StreamingReply): Promise<void>;
  /** The core's class for the platform's failure, so an expected one (gone, forbidden) logs quieter. */
  toCoreError(error: unknown): unknown;
}

export async function sweepInterruptedReplies(deps: RestartSweepDeps): Promise<number> {
  let swept = 0;
  for (const reply of await deps.storage.streaming.list()) {
    if (deps.signal.aborted) break;
    if (reply.owner === deps.owner || !(await deps.servedHere(reply))) continue;
    if (await sweepOne(deps, reply)) swept += 1;
  }
  if (swept > 0) deps.logger.info({ swept }, 'marked interrupted replies');
  return swept;
}

async function sweepOne(deps: RestartSweepDeps, reply: StreamingReply): Promise<boolean> {
  const giveUp = AbortSignal.any([deps.signal, AbortSignal.timeout(deps.waitMs)]);
  const lease = await deps.storage.locks.acquire(reply.channelId, giveUp).catch(() => null);
  if (!lease) return false; // still held: its owner is alive and will finish the reply itself
  try {
    const current = (await deps.storage.streaming.list()).find((entry) => entry.answerId === reply.answerId);
    if (!current || current.owner !== reply.owner) return false;
    await deps.markInterrupted(current);
    await deps.storage.streaming.remove(reply.answerId);
    return true;
  } catch (error) {
    const mapped = deps.toCoreError(error);
    // A reply deleted since, or a token past its lifetime, is expected after a long outage.
    const details = { err: mapped, channelId: reply.channelId };
    if (isUnreachable(mapped)) deps.logger.info(details, 'could not mark an interrupted reply');
    else deps.logger.warn(details, 'could not mark an interrupted reply');
    await deps.storage.streaming.remove(reply.answerId).catch(() => undefined);
    return false;
  } finally {
    await lease.release().catch(() => undefined);
  }
}
