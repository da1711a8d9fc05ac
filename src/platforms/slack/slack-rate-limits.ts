import { webApi } from '@slack/bolt';
import { RateLimitedError } from '../../core/reply/platform-errors.js';
import type { WriteBudgets } from '../../core/reply/write-budgets.js';
import { workspaceBudgetKey } from './slack-thread.js';

// Who decides when a Slack call goes again after a 429. Left to itself the WebClient waits the
// Retry-After inside the call and pauses its whole queue, unseen by the core's write budgets: a stale
// edit would land late and the newest text wait behind it. So the client rejects rate-limited calls
// (WebAPIRateLimitedError with the Retry-After); the answer's writes map it to the core's
// RateLimitedError, whose budget holds the workspace for that long and then sends the newest text
// (latest wins, the final edit tried again). Calls outside an answer (auth.test at start, a short
// reply in a thread) get a bounded retry after the Retry-After instead (`retryRateLimited`).
// Network failures and 5xx are still retried by the client, a few times and quickly: an answer
// should not fail on one dropped connection, nor hang for the default half hour of retries.

/** The WebClient's retries of network failures and HTTP errors (never 429s): about 1.75 s in all. */
export const SLACK_CLIENT_RETRIES = { retries: 3, factor: 2, minTimeout: 250, maxTimeout: 1_000 };

// Tries of an answer's post (each at its own budget slot): a question's reply must appear.
const POST_TRIES = 5;
// Tries of a call outside an answer, and the longest Retry-After worth waiting for there.
const OTHER_CALL_TRIES = 3;
const OTHER_CALL_MAX_WAIT_MS = 30_000;

/**
 * The Web API client's options: Slack's URL, 429s left to us, quick retries of network failures.
 * Not for the Socket Mode client (Bolt would hand it these unless told otherwise): without a
 * `retryConfig` it retries apps.connections.open a hundred times, and a reconnect needs that.
 */
export function slackClientOptions(apiUrl: string, fetch?: webApi.FetchFunction): webApi.WebClientOptions {
  return {
    slackApiUrl: apiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: SLACK_CLIENT_RETRIES,
    ...(fetch === undefined ? {} : { fetch }),
  };
}

/**
 * Posts at the workspace's next post slot. A 429 holds the workspace's write budget for its
 * Retry-After, and the post goes again at its next slot: a question's reply must appear.
 */
export async function pacedPost<T>(budgets: WriteBudgets, teamId: string, post: () => Promise<T>): Promise<T> {
  const budget = budgets.for(workspaceBudgetKey(teamId));
  for (let tried = 1; ; tried += 1) {
    await budget.acquire('post');
    try {
      return await post();
    } catch (error) {
      if (!(error instanceof RateLimitedError) || tried >= POST_TRIES) throw error;
      if (error.retryAfterMs !== undefined) budgets.rateLimited(workspaceBudgetKey(teamId), error.retryAfterMs);
    }
  }
}

/** Runs a call outside an answer; a 429 is waited out (its Retry-After, if short) and tried again. */
export async function retryRateLimited<T>(call: () => Promise<T>, tries = OTHER_CALL_TRIES): Promise<T> {
  for (let tried = 1; ; tried += 1) {
    try {
      return await call();
    } catch (error) {
      const waitMs = error instanceof webApi.WebAPIRateLimitedError ? error.retryAfter * 1000 : undefined;
      if (waitMs === undefined || waitMs > OTHER_CALL_MAX_WAIT_MS || tried >= tries) throw error;
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}
