import { startHarness } from '../test/e2e/harness.js';

// How much of a conversation's input the prompt cache serves: ten turns in one channel, each answer
// about 1500 characters, the real bot and SDK against the fake API, which caches like the real one
// (everything up to the last message, prompts under 1024 tokens not at all).

export interface CacheTurn {
  readonly turn: number;
  readonly input: number;
  readonly cacheRead: number;
  readonly cacheCreation: number;
}

export async function conversationCache(turns = 10): Promise<CacheTurn[]> {
  const harness = await startHarness();
  try {
    const answer = (turn: number) =>
      Array.from({ length: 60 }, (_, index) => `Turn ${turn}, point ${index}: more detail.`).join(' ');
    const rows: CacheTurn[] = [];
    for (let turn = 1; turn <= turns; turn += 1) {
      harness.anthropic.enqueue({ text: answer(turn), chunkSize: 40 });
      harness.discord.userSays({ content: harness.mention(`Question number ${turn}?`) });
      const report = (await harness.answered(turn))[turn - 1];
      rows.push({
        turn,
        input: report?.inputTokens ?? 0,
        cacheRead: report?.cacheReadTokens ?? 0,
        cacheCreation: report?.cacheCreationTokens ?? 0,
      });
    }
    return rows;
  } finally {
    await harness.close();
  }
}

export function cacheShare(rows: readonly CacheTurn[]): number {
  const read = rows.reduce((sum, row) => sum + row.cacheRead, 0);
  const total = rows.reduce((sum, row) => sum + row.input + row.cacheRead + row.cacheCreation, 0);
  return total === 0 ? 0 : read / total;
}

export function printConversationCache(rows: readonly CacheTurn[]): void {
  console.log(`\nPrompt cache over a ${rows.length}-turn conversation in one channel (input tokens per request)\n`);
  console.log('turn  uncached  cache read  cache write');
  for (const row of rows) {
    console.log(
      `${String(row.turn).padStart(4)}  ${String(row.input).padStart(8)}  ${String(row.cacheRead).padStart(10)}  ${String(row.cacheCreation).padStart(11)}`,
    );
  }
  console.log(`cache-read share of all input tokens: ${(cacheShare(rows) * 100).toFixed(1)} %`);
}
