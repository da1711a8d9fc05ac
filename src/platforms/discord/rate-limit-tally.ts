import { AsyncLocalStorage } from 'node:async_hooks';
import { RESTEvents } from 'discord.js';
import type { APIRequest, REST, ResponseLike } from 'discord.js';
import type { WriteTallies, WriteTally } from '../../core/reply/write-tally.js';

// Counts each answer's 429s exactly. discord.js retries a 429 inside the call that made the request
// and tells no caller about it; only its 'response' event shows every response, 429s included. That
// event is emitted inside the request's own async chain (the call awaits the handler's queue, then the
// fetch, then emits), so an async context entered around a write is still current there: the 429 is
// counted for the answer whose write received it, even while other answers' requests share the
// bucket's queue. Counting per bucket instead would charge an answer with the 429s of everything else
// written to its channel meanwhile (hints, refusals, the next question's placeholder).

export interface RateLimitTallies {
  /** A tally for one answer. */
  readonly tally: WriteTallies;
  /** Stops listening to the REST client. */
  stop(): void;
}

interface Count {
  value: number;
}

export function tallyRateLimits(rest: REST): RateLimitTallies {
  const writing = new AsyncLocalStorage<Count>();
  const onResponse = (_request: APIRequest, response: ResponseLike) => {
    const count = response.status === 429 ? writing.getStore() : undefined;
    if (count) count.value += 1;
  };
  rest.on(RESTEvents.Response, onResponse);
  return {
    tally(): WriteTally {
      const count: Count = { value: 0 };
      return {
        run: (write) => writing.run(count, write),
        get rateLimited() {
          return count.value;
        },
      };
    },
    stop: () => rest.off(RESTEvents.Response, onResponse),
  };
}
