import type { Clock } from '../../core/ports/clock.js';

// Slack delivers an event again when it did not see the ack in time (over HTTP with
// X-Slack-Retry-Num, in Socket Mode with retry_attempt), with the same event_id: at once, after a
// minute, after five. The ids seen lately are kept so that a redelivery never answers twice; the set
// is bounded both in time (`keepMs`, past Slack's last retry) and in size (`max`, oldest out first).

export interface RecentEventsOptions {
  readonly clock: Clock;
  readonly keepMs: number;
  readonly max: number;
}

export interface RecentEvents {
  /** True the first time `eventId` is seen within `keepMs`; false for a redelivery. */
  firstDelivery(eventId: string): boolean;
  readonly size: number;
}

export function createRecentEvents(options: RecentEventsOptions): RecentEvents {
  // In order of first sight, so the expired ones are at the front.
  const seenAt = new Map<string, number>();
  const forgetExpired = (now: number) => {
    for (const [id, at] of seenAt) {
      if (now - at < options.keepMs && seenAt.size <= options.max) break;
      seenAt.delete(id);
    }
  };
  return {
    firstDelivery(eventId) {
      const now = options.clock.now();
      forgetExpired(now);
      if (seenAt.has(eventId)) return false;
      seenAt.set(eventId, now);
      forgetExpired(now);
      return true;
    },
    get size() {
      return seenAt.size;
    },
  };
}
