import { describe, expect, it } from 'vitest';
import { recordUsage } from '../../../src/core/budget/usage-recorder.js';
import { G1, C1, NOON, U1, U2, createCommandHarness, line } from './command-harness.js';

// /usage as a member and an admin run it: the real report over the counters the answers fill.

describe('/usage', () => {
  it('tells anyone, privately, their use today as counted', async () => {
    const { command, storage } = createCommandHarness();
    const question = { id: 'q', channelId: C1, guildId: G1, authorId: U1, text: 'hi', remember: true };
    const usage = { inputTokens: 1000, outputTokens: 234, cacheReadTokens: 5000, cacheCreationTokens: 0 };
    await recordUsage(storage.usage, question, usage, NOON);
    const said = await command('usage', { isAdmin: false });
    expect(said).toHaveLength(1);
    expect(line(said, 'You:')).toBe('You: 1,734 of 10,000 tokens');
    expect(said[0]).not.toContain('This server today');
  });

  it('shows an admin the server’s totals too', async () => {
    const { command, storage } = createCommandHarness();
    const question = { id: 'q', channelId: C1, guildId: G1, authorId: U2, text: 'hi', remember: true };
    await recordUsage(
      storage.usage,
      question,
      { inputTokens: 0, outputTokens: 70, cacheReadTokens: 0, cacheCreationTokens: 0 },
      NOON,
    );
    const said = await command('usage');
    expect(line(said, 'You:')).toBe('You: 0 of 10,000 tokens');
    expect(line(said, '**This server today**')).toBe('**This server today**: 70 tokens');
    expect(line(said, '**Top members**')).toBe(`**Top members**: 1. <@${U2}> 70`);
  });
});
