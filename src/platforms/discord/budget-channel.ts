import type { Channel } from 'discord.js';

// A thread's tokens count toward its parent channel's budget (CHANNEL_DAILY_TOKENS) and /usage
// ranking: otherwise a thread per question would make the channel's limit bind nothing.

export function budgetChannelId(channelId: string, channel: Channel | null): string {
  return channel?.isThread() ? (channel.parentId ?? channelId) : channelId;
}
