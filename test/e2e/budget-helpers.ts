import { expect } from 'vitest';
import type { Clock } from '../../src/core/ports/clock.js';
import type { AnthropicScript } from '../fakes/fake-anthropic.js';
import type { FakeDiscord, FakeInteraction, FakeUser, StoredMessage } from '../fakes/fake-discord.js';

// What the budget and /usage end-to-end tests share: people who are not the fake guild's owner (the
// owner has every permission, Manage Server included, so budgets never apply to them), answers with
// known token counts, a clock the test moves, and ways to read the bot's replies.

export const alice: FakeUser = { id: '300000000000000001', username: 'alice' };
export const bob: FakeUser = { id: '300000000000000002', username: 'bob' };
export const carol: FakeUser = { id: '300000000000000003', username: 'carol' };

/** An answer for which Claude reports exactly these tokens (no cache): `input + output` budget tokens. */
export function costing(input: number, output: number, text = `An answer worth ${input + output} tokens.`) {
  return { text, chunkSize: 6, inputTokens: input, outputTokens: output } satisfies AnthropicScript;
}

const HOUR_MS = 3600_000;

const DAY_MS = 24 * HOUR_MS;

/**
 * The latest 10:00:00.000 UTC (today's, or yesterday's before ten): a clock started there makes a
 * budget refusal say "It resets at midnight UTC, in 14 h" for the first minute of the test, and the
 * rate window the minute that starts there. Never ahead of real time, so Discord's interaction clocks
 * (which the bot reads from real time) never look expired to it.
 */
export function lastTenAm(now = Date.now()): { readonly at: number; readonly date: string } {
  const today = Math.floor(now / DAY_MS) * DAY_MS + 10 * HOUR_MS;
  const at = today <= now ? today : today - DAY_MS;
  return { at, date: new Date(at).toISOString().slice(0, 10) };
}

export interface MovableClock extends Clock {
  /** Moves the bot's wall clock on by `ms`; durations (`elapsed`) are not affected. */
  advance(ms: number): void;
}

/** The system's time, shifted so that it reads `startAt` now; it runs on from there. */
export function movableClock(startAt: number): MovableClock {
  let offset = startAt - Date.now();
  return {
    now: () => Date.now() + offset,
    elapsed: () => performance.now(),
    advance: (ms) => {
      offset += ms;
    },
  };
}

/** How long from ten (lastTenAm) until the next UTC midnight, plus a minute. */
export const PAST_MIDNIGHT_MS = 14 * HOUR_MS + 60_000;

/** The bot's replies to `question` (a refusal, or its answer's first message). */
export function repliesTo(discord: FakeDiscord, question: StoredMessage): string[] {
  return [...discord.messages.values()]
    .filter((message) => message.authorId === discord.botUser.id && message.referencedMessageId === question.id)
    .map((message) => message.content);
}

/** Resolves with the bot's first reply to `question`, once it is posted (at once if it already is). */
export async function firstReply(discord: FakeDiscord, question: StoredMessage): Promise<string> {
  const [existing] = repliesTo(discord, question);
  if (existing !== undefined) return existing;
  const reply = await discord.waitFor('messageCreate', (message) => message.referencedMessageId === question.id);
  return reply.content;
}

/** The interaction's private reply, once the bot has responded. */
export async function privateReply(discord: FakeDiscord, interaction: FakeInteraction): Promise<StoredMessage> {
  await discord.waitFor('interactionCallback', (event) => event.interactionId === interaction.id);
  const [message] = discord.interactionMessages(interaction.id);
  if (!message) throw new Error(`no response to interaction ${interaction.id}`);
  expect(message.ephemeral).toBe(true);
  return message;
}

/** What the person refused for a daily budget is told, at 10:00 UTC. */
export function overBudgetAtTen(
  whose: 'You have' | 'This channel has' | 'This server has',
  used: string,
  limit: string,
) {
  return `⏳ ${whose} used today’s budget: ${used} of ${limit} tokens. It resets at midnight UTC, in 14 h.`;
}
