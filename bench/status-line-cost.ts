import { answerText } from './answer-text.js';
import type { BenchConfig } from './bench-config.js';
import { exact, percentile } from './percentiles.js';
import { startHarness } from '../test/e2e/harness.js';
import type { AnthropicScript } from '../test/fakes/fake-anthropic.js';

// What the status line costs: the same answer streamed plain, after Claude thinks for a while, and
// after a web search (with a citation), each in a channel of its own with the realistic channel
// budget, counting the edits each reply took. The real bot and SDK against the fakes, in this
// process (edit counts, not timings), with THINKING=on and WEB_SEARCH=on.

export type StatusKind = 'plain' | 'thinking' | 'search';

export interface StatusCost {
  readonly kind: StatusKind;
  /** Edits of each answer's reply (the placeholder's post not counted). */
  readonly edits: readonly number[];
  readonly medianEdits: number;
  /** Median edits over the plain answer's. */
  readonly extra: number;
}

const KINDS: readonly StatusKind[] = ['plain', 'thinking', 'search'];
const median = (values: readonly number[]) => percentile(values.map(exact), 0.5).value;
// Thinking deltas arrive about this often (the status ticks on its own regardless).
const THINKING_DELTA_MS = 100;

function script(kind: StatusKind, config: BenchConfig): AnthropicScript {
  const { stream, status } = config;
  const text = answerText(stream.answerChars);
  const pace = { chunkSize: stream.chunkChars, delayMs: stream.deltaMs, ttftMs: stream.ttftMs };
  const page = { url: 'https://example.com/streaming', title: 'Streaming replies' };
  if (kind === 'plain') return { text, ...pace };
  if (kind === 'thinking') {
    const deltas = Array.from({ length: Math.max(1, Math.round(status.thinkingMs / THINKING_DELTA_MS)) }, () => 'hmm ');
    return {
      ...pace,
      blocks: [{ thinking: deltas.join(''), deltas, delayMs: THINKING_DELTA_MS }, { text }],
    };
  }
  return {
    ...pace,
    blocks: [
      { search: { query: 'how do streaming replies work', results: [page], resultDelayMs: status.searchMs } },
      { text, citations: [{ url: page.url, title: page.title }] },
    ],
  };
}

export async function statusLineCost(config: BenchConfig): Promise<StatusCost[]> {
  const samples = config.status.answers;
  const harness = await startHarness({
    discord: {
      channels: samples * KINDS.length + 1,
      latencyMs: config.discord.latencyMs,
      buckets: { channelMessages: config.discord.channelBucket },
    },
    env: { THINKING: 'on', WEB_SEARCH: 'on' },
  });
  try {
    const edits = new Map<StatusKind, number[]>(KINDS.map((kind) => [kind, []]));
    let channel = 0;
    for (let sample = 0; sample < samples; sample += 1) {
      for (const kind of KINDS) {
        harness.anthropic.enqueue(script(kind, config));
        harness.discord.userSays({
          channelId: harness.discord.channelIds[channel],
          content: harness.mention(`q${channel}: explain how streaming replies work`),
        });
        channel += 1;
        const report = (await harness.answered(channel))[channel - 1];
        edits.get(kind)?.push(report?.edits ?? Number.NaN);
      }
    }
    const plain = median(edits.get('plain') ?? []);
    return KINDS.map((kind) => {
      const counted = edits.get(kind) ?? [];
      return { kind, edits: counted, medianEdits: median(counted), extra: median(counted) - plain };
    });
  } finally {
    await harness.close();
  }
}
