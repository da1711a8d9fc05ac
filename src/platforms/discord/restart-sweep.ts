import { Routes } from 'discord.js';
import type { Client, Message, TextBasedChannel } from 'discord.js';
import { interruptedContent } from '../../core/answer/interrupted-reply.js';
import type { Logger } from '../../core/ports/logger.js';
import type { Storage } from '../../core/ports/storage.js';
import { sweepInterruptedReplies } from '../../core/answer/restart-sweep.js';
import { toCoreError } from './discord-errors.js';
import type { WriteBudgets } from '../../core/reply/write-budgets.js';
import { parseLocator } from './message-locator.js';
import type { MessageLocation } from './message-locator.js';
import { channelBudgetKey, webhookBudgetKey } from './rate-limit-buckets.js';

// After a crash, the replies Discord was streaming are still on record: the core's sweep takes
// those in this process's channels (records of other platforms, e.g. Slack's `slack:…` keys, are
// never Discord channel ids) and the last message of each is edited to say it was interrupted.

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

// Discord's channel ids are snowflakes: digits only.
const DISCORD_CHANNEL_ID = /^\d+$/;

export function sweepInterrupted(deps: SweepDeps): Promise<number> {
  const { client, budgets } = deps;
  return sweepInterruptedReplies({
    ...deps,
    servedHere: async (reply) =>
      DISCORD_CHANNEL_ID.test(reply.channelId) && (await channelServedHere(client, reply.channelId)) !== null,
    markInterrupted: async (reply) => {
      const last = parseLocator(reply.locators.at(-1) ?? '');
      if (last) await markInterrupted(client, budgets, last);
    },
    toCoreError,
  });
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
