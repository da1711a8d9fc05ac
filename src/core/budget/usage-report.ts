import type { Clock } from '../ports/clock.js';
import type { Ranked, TokenCounts, UsageStore } from '../ports/storage.js';
import type { BudgetLimits } from './budget-limits.js';
import { budgetTokens, cacheReadShare, unitsToTokens } from './budget-tokens.js';
import { formatCount, timeUntil } from './budget-text.js';
import { usageDay } from './usage-day.js';
import { usageKeys } from './usage-keys.js';

// /usage: a person's own use today against their limits; for an admin, the guild's too: its total,
// its top channels and members, and how much of its input came from the prompt cache. The numbers
// are the counters, as Claude reported them.

export interface UsageViewer {
  readonly userId: string;
  readonly channelId: string;
  /** null in a DM: no guild section. */
  readonly guildId: string | null;
  readonly isAdmin: boolean;
}

/** How the platform names a channel and a person in text (mentions that ping nobody). */
export interface Names {
  readonly channel: (id: string) => string;
  readonly user: (id: string) => string;
}

export interface UsageReportDeps {
  readonly usage: UsageStore;
  readonly limits: BudgetLimits;
  readonly clock: Clock;
  readonly names: Names;
}

const TOP = 5;

export async function usageReport(deps: UsageReportDeps, viewer: UsageViewer): Promise<string> {
  const now = deps.clock.now();
  const { date, resetsAt } = usageDay(now);
  const { usage, limits } = deps;
  const { guildId } = viewer;
  const [mine, channel, guild] = await usage.getMany([
    usageKeys.user(viewer.userId, date),
    usageKeys.channel(viewer.channelId, date),
    ...(guildId ? [usageKeys.guild(guildId, date)] : []),
  ]);
  const lines = [
    `**Your use today** (UTC, resets ${timeUntil(resetsAt, now)})`,
    againstLimit('You', mine, limits.userDailyTokens),
    breakdown(mine),
  ];
  if (limits.channelDailyTokens !== undefined)
    lines.push(againstLimit('This channel', channel, limits.channelDailyTokens));
  if (guild && limits.guildDailyTokens !== undefined)
    lines.push(againstLimit('This server', guild, limits.guildDailyTokens));
  if (limits.userRequestsPerMinute !== undefined) {
    lines.push(`You may ask up to ${formatCount(limits.userRequestsPerMinute)} questions a minute.`);
  }
  if (viewer.isAdmin) lines.push('', ...(await adminLines(deps, guildId, guild, date)));
  return lines.join('\n');
}

function againstLimit(who: string, counts: TokenCounts | undefined, limit: number | undefined): string {
  const used = formatCount(budgetTokens(counts ?? ZERO));
  return limit === undefined
    ? `${who}: ${used} tokens (no daily limit)`
    : `${who}: ${used} of ${formatCount(limit)} tokens`;
}

function breakdown(counts: TokenCounts | undefined): string {
  const { input, output, cacheRead, cacheCreation } = counts ?? ZERO;
  return `-# ${formatCount(input)} input · ${formatCount(output)} output · ${formatCount(cacheRead)} cache read (counted at 0.1×) · ${formatCount(cacheCreation)} cache write (1.25×)`;
}

async function adminLines(
  deps: UsageReportDeps,
  guildId: string | null,
  guild: TokenCounts | undefined,
  date: string,
): Promise<string[]> {
  if (guildId === null || guild === undefined) return ['Server totals are shown when /usage is run in a server.'];
  const [channels, users] = await Promise.all([
    deps.usage.top(usageKeys.guildChannels(guildId, date), TOP),
    deps.usage.top(usageKeys.guildUsers(guildId, date), TOP),
  ]);
  const share = Math.round(cacheReadShare(guild) * 100);
  return [
    `**This server today**: ${formatCount(budgetTokens(guild))} tokens`,
    breakdown(guild),
    `Cache-read share: ${share}% of input tokens came from the prompt cache.`,
    `**Top channels**: ${ranking(channels, deps.names.channel)}`,
    `**Top members**: ${ranking(users, deps.names.user)}`,
  ];
}

function ranking(ranked: readonly Ranked[], name: (id: string) => string): string {
  if (ranked.length === 0) return 'none yet';
  return ranked
    .map((entry, index) => `${index + 1}. ${name(entry.member)} ${formatCount(unitsToTokens(entry.score))}`)
    .join(' · ');
}

const ZERO: TokenCounts = { input: 0, output: 0, cacheRead: 0, cacheCreation: 0 };
