import { describe, expect, it } from 'vitest';
import type { PlatformWrite, PlatformWriteResult } from '../../../../src/core/ports/telemetry.js';
import {
  slackRateLimitTallies,
  slackWriteKindOf,
  tellingFetch,
} from '../../../../src/platforms/slack/slack-request-telemetry.js';

// A fetch answering each Web API method as told, and what the telemetry heard.
function watched(answers: Record<string, Response>) {
  const writes: [PlatformWrite, PlatformWriteResult][] = [];
  let rateLimited = 0;
  const tallies = slackRateLimitTallies();
  const fetchFn: typeof globalThis.fetch = (url) => {
    const method = (url instanceof Request ? url.url : url.toString()).split('/').at(-1) ?? '';
    return Promise.resolve(answers[method]?.clone() ?? new Response('{"ok":true}'));
  };
  const telemetry = {
    platformWrite: (kind: PlatformWrite, result: PlatformWriteResult) => writes.push([kind, result]),
    platformRateLimited: () => (rateLimited += 1),
  };
  const fetch = tellingFetch(telemetry, tallies, fetchFn);
  const call = (method: string) => fetch(`http://127.0.0.1/api/${method}`, { method: 'POST' });
  return { writes, tallies, call, rateLimited: () => rateLimited };
}

const json = (body: unknown) => new Response(JSON.stringify(body));
const tooMany = () => new Response('', { status: 429, headers: { 'Retry-After': '2' } });
// The body is read aside; the telemetry hears of it a few ticks later.
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('Slack request telemetry', () => {
  it('names what each Web API method writes, and nothing for a read', () => {
    expect(slackWriteKindOf('chat.startStream')).toBe('post');
    expect(slackWriteKindOf('chat.appendStream')).toBe('edit');
    expect(slackWriteKindOf('chat.update')).toBe('edit');
    expect(slackWriteKindOf('chat.delete')).toBe('delete');
    expect(slackWriteKindOf('assistant.threads.setStatus')).toBe('other');
    expect(slackWriteKindOf('auth.test')).toBeUndefined();
    expect(slackWriteKindOf('conversations.replies')).toBeUndefined();
  });

  it('tells each write by result ({ ok: false } is an error) and every 429, reads included', async () => {
    const seen = watched({
      'chat.update': json({ ok: false, error: 'message_not_found' }),
      'chat.appendStream': tooMany(),
      'auth.test': tooMany(),
    });
    await seen.call('chat.postMessage');
    await seen.call('chat.update');
    await seen.call('chat.appendStream');
    await seen.call('auth.test');
    await settled();
    expect(seen.writes).toEqual(
      expect.arrayContaining([
        ['post', 'ok'],
        ['edit', 'error'],
        ['edit', 'rate_limited'],
      ]),
    );
    expect(seen.writes).toHaveLength(3);
    expect(seen.rateLimited()).toBe(2);
  });

  it('counts a 429 for the answer whose write met it, and only for it', async () => {
    const seen = watched({ 'chat.appendStream': tooMany() });
    const mine = seen.tallies.tally();
    const other = seen.tallies.tally();
    await mine.run(() => seen.call('chat.appendStream'));
    await other.run(() => seen.call('chat.postMessage'));
    await seen.call('chat.appendStream');
    expect(mine.rateLimited).toBe(1);
    expect(other.rateLimited).toBe(0);
  });
});
