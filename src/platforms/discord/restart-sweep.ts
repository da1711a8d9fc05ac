import { Routes } from 'discord.js';
import type { Client, Message, TextBasedChannel } from 'discord.js';
import { interruptedContent } from '../../core/answer/interrupted-reply.js';
import type { Logger } from '../../core/ports/logger.js';
import type { Storage, StreamingReply } from '../../core/ports/storage.js';
import { isUnreachable } from '../../core/reply/platform-errors.js';
import { toCoreError } from './discord-errors.js';
import type { WriteBudgets } from '../../core/reply/write-budgets.js';
import { parseLocator } from './message-locator.js';
import type { MessageLocation } from './message-locator.js';
import { channelBudgetKey, webhookBudgetKey } from './rate-limit-buckets.js';

// After a crash, replies that were streaming are still on record. At start each is taken in turn:
// once its channel is free (a dead owner's lease runs out; a living owner keeps it and removes the
// record itself), its last message is edited to say the answer was interrupted.

export interface SweepDeps {
  readonly client: Client<true>;
  readonly storage: Storage;
  readonly owner: string;
  readonly logger: Logger;
  /** The notice is an answer's last edit: it takes a final slot of its bucket's budget. */
  readonly budgets: WriteBudgets;
  /** How long to wait for a channel whose previous owner may still be alive. */
  readonly waitMs: number;
  /** Aborted when the bot stops: the sweep gives up its waits. */
  readonly signal: AbortSignal;
}

export async function sweepInterrupted(deps: SweepDeps): Promise<number> {
  let swept = 0;
  for (const reply of await deps.storage.streaming.list()) {
    if (deps.signal.aborted) break;
    if (reply.owner === deps.owner) continue;
    const channel = await channelServedHere(deps.client, reply.channelId);
    if (!channel) continue;
    if (await sweepOne(deps, reply)) swept += 1;
  }
  if (swept > 0) deps.logger.info({ swept }, 'marked interrupted replies');
  return swept;
}

async function sweepOne(deps: SweepDeps, reply: StreamingReply): Promise<boolean> {
  const giveUp = AbortSignal.any([deps.signal, AbortSignal.timeout(deps.waitMs)]);
  const lease = await deps.storage.locks.acquire(reply.channelId, giveUp).catch(() => null);
  if (!lease) return false; // still held: its owner is alive and will finish the reply itself
  try {
    const current = (await deps.storage.streaming.list()).find((entry) => entry.answerId === reply.answerId);
    if (!current || current.owner !== reply.owner) return false;
    const last = parseLocator(current.locators.at(-1) ?? '');
    if (last) await markInterrupted(deps.client, deps.budgets, last);
    await deps.storage.streaming.remove(reply.answerId);
    return true;
  } catch (error) {
    const mapped = toCoreError(error);
    // A reply deleted since, or a token past its 15 minutes, is expected after a long outage.
    const details = { err: mapped, channelId: reply.channelId };
    if (isUnreachable(mapped)) deps.logger.info(details, 'could not mark an interrupted reply');
    else deps.logger.warn(details, 'could not mark an interrupted reply');
    await deps.storage.streaming.remove(reply.answerId).catch(() => undefined);
    return false;
  } finally {
    await lease.release().catch(() => undefined);
  }
}

// A channel is this process's if it is one of its shard's guild channels, or a DM on shard 0.
async function channelServedHere(client: Client<true>, channelId: string): Promise<TextBasedChannel | null> {
  const cached = client.channels.cache.get(channelId);
  if (cached) return cached.isTextBased() ? cached : null;
  if (client.shard && !client.shard.ids.includes(0)) return null;
  const fetched = await client.channels.fetch(channelId).catch(() => null);
  return fetched?.isDMBased() && fetched.isTextBased() ? fetched : null;
}

async function markInterrupted(client: Client<true>, budgets: WriteBudgets, location: MessageLocation): Promise<void> {
  if (location.kind === 'channel') {
    const channel = await client.channels.fetch(location.channelId);
    if (!channel?.isTextBased()) return;
    const message: Message = await channel.messages.fetch(location.messageId);
    await budgets.for(channelBudgetKey(location.channelId)).acquire('final');
    await message.edit({ content: interruptedContent(message.content), components: [] });
    return;
  }
  // An interaction response: reachable through its webhook while the token lives (15 minutes).
  const route = Routes.webhookMessage(location.applicationId, location.token, location.messageId);
  const shown = (await client.rest.get(route, { auth: false })) as { content?: string };
  await budgets.for(webhookBudgetKey(location.token)).acquire('final');
  await client.rest.patch(route, {
    auth: false,
    body: { content: interruptedContent(shown.content ?? ''), components: [], allowed_mentions: { parse: [] } },
  });
}
