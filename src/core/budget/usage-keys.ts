// The names of the usage counters and rankings, per UTC day: one place, so what is counted is what
// budgets and /usage read.

export const usageKeys = {
  total: (date: string) => `total:${date}`,
  channel: (channelId: string, date: string) => `channel:${channelId}:${date}`,
  user: (userId: string, date: string) => `user:${userId}:${date}`,
  guild: (guildId: string, date: string) => `guild:${guildId}:${date}`,
  /** A guild's channels ranked by the budget units (see budget-tokens.ts) they used that day. */
  guildChannels: (guildId: string, date: string) => `guild:${guildId}:channels:${date}`,
  /** A guild's members ranked by the budget units they used that day. */
  guildUsers: (guildId: string, date: string) => `guild:${guildId}:users:${date}`,
} as const;

/** The request-rate window of a user (across processes). */
export const requestKey = (userId: string) => `user:${userId}`;
