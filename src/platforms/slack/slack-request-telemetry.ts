import { AsyncLocalStorage } from 'node:async_hooks';
import type { webApi } from '@slack/bolt';
import type { Telemetry } from '../../core/ports/telemetry.js';
import type { WriteTallies, WriteTally } from '../../core/reply/write-tally.js';

// What the Web API client's responses tell: every write by kind and result and every 429, for the
// metrics (streamcord_slack_*), and each answer's 429s for its report. Only the client sees its
// responses (a 429 retried by us is a new call), so a fetch of its own watches them. An answer's
// writes run in an async context (its tally), still current when the client's fetch runs: the client
// starts a request at once (its queue has room for 100), and retries on timers, which keep the context.

type WriteKind = Parameters<Telemetry['platformWrite']>[0];

// The Web API methods that write, by kind; any other method the bot calls only reads.
const WRITES: Readonly<Record<string, WriteKind>> = {
  'chat.postMessage': 'post',
  'chat.startStream': 'post',
  'chat.postEphemeral': 'post',
  'chat.update': 'edit',
  'chat.appendStream': 'edit',
  'chat.stopStream': 'edit',
  'chat.delete': 'delete',
  'assistant.threads.setStatus': 'other',
  'assistant.threads.setSuggestedPrompts': 'other',
  'assistant.threads.setTitle': 'other',
  'views.open': 'other',
  'views.publish': 'other',
  'views.update': 'other',
};

/** What a Web API method writes, or undefined for a read. */
export function slackWriteKindOf(method: string): WriteKind | undefined {
  return WRITES[method];
}

export interface SlackRateLimitTallies {
  /** A tally for one answer. */
  readonly tally: WriteTallies;
  /** A 429 arrived: counted for the answer whose write it answered, if any. */
  rateLimited(): void;
}

export function slackRateLimitTallies(): SlackRateLimitTallies {
  const writing = new AsyncLocalStorage<{ value: number }>();
  return {
    tally(): WriteTally {
      const count = { value: 0 };
      return {
        run: (write) => writing.run(count, write),
        get rateLimited() {
          return count.value;
        },
      };
    },
    rateLimited() {
      const count = writing.getStore();
      if (count) count.value += 1;
    },
  };
}

/**
 * A fetch for the WebClient that tells of every response it gets (each try of a retried call):
 * each write by kind and result (`{ ok: false }` with HTTP 200 is an error, as Slack means it), every
 * 429 (to the metrics and to the answer's tally).
 */
export function tellingFetch(
  telemetry: Pick<Telemetry, 'platformWrite' | 'platformRateLimited'>,
  tallies: Pick<SlackRateLimitTallies, 'rateLimited'>,
  fetchFn: typeof fetch = globalThis.fetch,
): webApi.FetchFunction {
  return async (url, init) => {
    const response = await fetchFn(url, init);
    if (response.status === 429) {
      telemetry.platformRateLimited();
      tallies.rateLimited();
    }
    const kind = slackWriteKindOf(new URL(url).pathname.split('/').at(-1) ?? '');
    if (kind !== undefined) tellWrite(telemetry, kind, response.clone());
    return response;
  };
}

function tellWrite(telemetry: Pick<Telemetry, 'platformWrite'>, kind: WriteKind, response: Response): void {
  if (response.status === 429) return telemetry.platformWrite(kind, 'rate_limited');
  if (response.status !== 200) return telemetry.platformWrite(kind, 'error');
  // Read aside from the client's own copy of the body, so the call does not wait for it.
  response
    .json()
    .then((body: unknown) => (body as { ok?: unknown }).ok === true)
    .catch(() => false)
    .then((ok) => telemetry.platformWrite(kind, ok ? 'ok' : 'error'))
    .catch(() => undefined);
}
