// The operator's limits on spending; undefined: unlimited.

export interface BudgetLimits {
  /** Questions (and Regenerate / Continue presses) one person may ask per minute. */
  readonly userRequestsPerMinute: number | undefined;
  /** Budget tokens (see budget-tokens.ts) per UTC day. */
  readonly userDailyTokens: number | undefined;
  readonly channelDailyTokens: number | undefined;
  readonly guildDailyTokens: number | undefined;
}

export const NO_LIMITS: BudgetLimits = {
  userRequestsPerMinute: undefined,
  userDailyTokens: undefined,
  channelDailyTokens: undefined,
  guildDailyTokens: undefined,
};
