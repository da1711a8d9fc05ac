import { PermissionFlagsBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { EVERYONE_PERMISSIONS } from '../fakes/discord/permissions.js';
import type { FakeUser } from '../fakes/fake-discord.js';
import { alice, carol, lastTenAm, movableClock, privateReply } from './budget-helpers.js';
import { startHarness } from './harness.js';
import type { Harness } from './harness.js';

// /usage end to end: the numbers it shows are the tokens Claude reported (the fake's scripted usage,
// through the real SDK), to a member their own, to an admin also the server's.

let harness: Harness;

afterEach(async () => {
  await harness.close();
});

const dave: FakeUser = { id: '300000000000000004', username: 'dave' };
const MANAGE_SERVER = EVERYONE_PERMISSIONS | PermissionFlagsBits.ManageGuild;

const LIMITS = {
  USER_DAILY_TOKENS: '100000',
  CHANNEL_DAILY_TOKENS: '200000',
  GUILD_DAILY_TOKENS: '300000',
  USER_REQUESTS_PER_MINUTE: '10',
};

/**
 * Alice asks twice in the first channel: her first answer writes the prompt cache, her second reads
 * it back. Carol asks once in each of the other two. The fake reports exactly these tokens; in budget
 * tokens (cache writes 1.25×, reads 0.1×) Alice used 2,323.75 + 229.55 = 2,553.3, shown as 2,554;
 * Carol 50.5 + 51.5 = 102 (rounding each answer up would make it 103); the server 2,655.3: 2,656.
 */
async function aDayOfUse(harness: Harness) {
  const { discord, anthropic } = harness;
  const [first, second, third] = [discord.channelId(0), discord.channelId(1), discord.channelId(2)];
  anthropic.enqueue(
    { text: 'A first answer.', inputTokens: 120, outputTokens: 700, cacheCreationTokens: 1203 },
    { text: 'A second answer.', inputTokens: 15, outputTokens: 48, cacheReadTokens: 1203, cacheCreationTokens: 37 },
    { text: 'For Carol.', inputTokens: 40, outputTokens: 10, cacheReadTokens: 5 },
    { text: 'For Carol again.', inputTokens: 41, outputTokens: 10, cacheReadTokens: 5 },
  );
  const asked: Array<[FakeUser, string, string]> = [
    [alice, first, 'Explain caching.'],
    [alice, first, 'And its price?'],
    [carol, second, 'Just one thing.'],
    [carol, third, 'And another.'],
  ];
  for (const [index, [author, channelId, text]] of asked.entries()) {
    discord.userSays({ author, channelId, content: harness.mention(text) });
    await harness.answered(index + 1);
  }
  return { first, second, third };
}

describe('/usage', () => {
  it('shows a member privately their own use today and their limits, as Claude reported it', async () => {
    harness = await startHarness({ env: LIMITS, clock: movableClock(lastTenAm().at) });
    const { discord } = harness;
    const { first } = await aDayOfUse(harness);

    const reply = await privateReply(discord, discord.runCommand({ name: 'usage', user: alice, channelId: first }));
    expect(reply.content).toBe(
      [
        '**Your use today** (UTC, resets in 14 h)',
        'You: 2,554 of 100,000 tokens',
        '-# 135 input · 748 output · 1,203 cache read (counted at 0.1×) · 1,240 cache write (1.25×)',
        'This channel: 2,554 of 200,000 tokens',
        'This server: 2,656 of 300,000 tokens',
        'You may ask up to 10 questions a minute.',
      ].join('\n'),
    );
    expect(harness.anthropic.requests).toHaveLength(4);
  });

  it('shows an admin also the server: its total, top channels and members, and the cache-read share', async () => {
    harness = await startHarness({ env: LIMITS, clock: movableClock(lastTenAm().at) });
    const { discord } = harness;
    const { first, second, third } = await aDayOfUse(harness);

    const command = { name: 'usage', user: dave, channelId: second, permissions: MANAGE_SERVER };
    const reply = await privateReply(discord, discord.runCommand(command));
    expect(reply.content).toBe(
      [
        '**Your use today** (UTC, resets in 14 h)',
        'You: 0 of 100,000 tokens',
        '-# 0 input · 0 output · 0 cache read (counted at 0.1×) · 0 cache write (1.25×)',
        'This channel: 51 of 200,000 tokens',
        'This server: 2,656 of 300,000 tokens',
        'You may ask up to 10 questions a minute.',
        '',
        '**This server today**: 2,656 tokens',
        '-# 216 input · 768 output · 1,213 cache read (counted at 0.1×) · 1,240 cache write (1.25×)',
        // 1,213 of 216 + 1,213 + 1,240 input tokens.
        'Cache-read share: 45% of input tokens came from the prompt cache.',
        `**Top channels**: 1. <#${first}> 2,554 · 2. <#${third}> 52 · 3. <#${second}> 51`,
        `**Top members**: 1. <@${alice.id}> 2,554 · 2. <@${carol.id}> 102`,
      ].join('\n'),
    );
    // Names, not pings.
    expect(reply.mentionIds).toEqual([]);

    // The same person without Manage Server sees only their own.
    const member = await privateReply(discord, discord.runCommand({ ...command, permissions: EVERYONE_PERMISSIONS }));
    expect(member.content).not.toContain('This server today');
    expect(member.content).not.toContain('Top members');
  });
});
