import type { Logger } from '../ports/logger.js';

// One log line per question that is not answered, where it was decided: where it was asked and why,
// never its text. Refusals are routine (the user is told why), so they go at info; one nobody is told
// about, because the person was told a moment ago, goes at debug, so that repeating a mention cannot
// fill the log.

export type RefusalReason =
  /** The bot may not post in the channel (the gate warns once an hour per channel). */
  | 'missing-permissions'
  /** The access lists refuse the person here; `access` says which. */
  | 'not-allowed'
  /** A mention with nothing to ask. */
  | 'empty'
  /** A budget is used up; `budget`, `limit` and `used` say which and how far. */
  | 'over-budget'
  /** Too many questions wait already. */
  | 'queue-full';

export interface RefusalPlace {
  /** Null (or absent) in a direct message. */
  readonly guildId?: string | null;
  readonly channelId: string;
}

export type RefusalLevel = 'debug' | 'info' | 'warn';

export function logRefusal(
  logger: Logger,
  place: RefusalPlace,
  reason: RefusalReason,
  details: Record<string, unknown> = {},
  level: RefusalLevel = 'info',
): void {
  logger[level]({ guildId: place.guildId ?? null, channelId: place.channelId, reason, ...details }, 'question refused');
}
