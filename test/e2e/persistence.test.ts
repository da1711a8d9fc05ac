import { afterEach, describe, expect, it } from 'vitest';
import { usageDay } from '../../src/core/budget/usage-day.js';
import { usageKeys } from '../../src/core/budget/usage-keys.js';
import { startHarness } from './harness.js';
import type { Harness } from './harness.js';

// What lasts across restarts, and what prompt caching saves, end to end with the real client and SDK.

let harness: Harness;

afterEach(async () => {
  await harness.close();
});

describe('persistence', () => {
  it('keeps every channel’s conversation across a restart', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    anthropic.enqueue({ text: 'Paris.' }, { text: 'About 2 million.' });
    discord.userSays({ content: harness.mention('Capital of France?') });
    await harness.answered(1);

    await harness.restartBot();
    discord.userSays({ content: harness.mention('How many people live there?') });
    await harness.answered(2);
    expect(anthropic.requests[1]?.body.messages.map((message) => message.content)).toEqual([
      'Capital of France?',
      'Paris.',
      'How many people live there?',
    ]);
  });
});

describe('prompt caching', () => {
  it('marks the conversation for caching and records what the cache saved', async () => {
    harness = await startHarness();
    const { discord, anthropic } = harness;
    // Long enough for the cache's 1024-token minimum.
    const essay = Array.from({ length: 700 }, (_, index) => `sentence ${index}.`).join(' ');
    anthropic.enqueue({ text: essay }, { text: 'A summary.' }, { text: 'A title.' });
    discord.userSays({ content: harness.mention('Write an essay.') });
    await harness.answered(1);
    discord.userSays({ content: harness.mention('Summarise it.') });
    await harness.answered(2);
    const question = discord.userSays({ content: harness.mention('Give it a title.') });
    const [first, second, third] = await harness.answered(3);

    expect(anthropic.requests.map((request) => request.body.cache_control)).toEqual([
      { type: 'ephemeral' },
      { type: 'ephemeral' },
      { type: 'ephemeral' },
    ]);
    // The second request is the first long enough to be cached; the third reads it back.
    expect(second?.cacheCreationTokens).toBeGreaterThan(1000);
    expect(third?.cacheReadTokens).toBe(second?.cacheCreationTokens);

    const { date } = usageDay(Date.now());
    const { usage } = harness.bot.storage;
    const recorded = await usage.get(usageKeys.total(date));
    expect(recorded.cacheRead).toBe(third?.cacheReadTokens);
    expect(recorded.output).toBe([first, second, third].reduce((sum, report) => sum + (report?.outputTokens ?? 0), 0));
    expect(await usage.get(usageKeys.channel(question.channelId, date))).toEqual(recorded);
    expect(await usage.get(usageKeys.user(question.authorId, date))).toEqual(recorded);
  });
});
