import { parseArgs } from 'node:util';
import { startHarness } from '../test/e2e/harness.js';
import type { Harness } from '../test/e2e/harness.js';
import type { StoredMessage } from '../test/fakes/fake-discord.js';

// Streams answers through the real bot (discord.js + Anthropic SDK) against the loopback fakes with
// Discord's observed per-channel budget and a realistic REST latency, and prints what a user would
// see: how many edits each answer cost, 429s, and how long after `message_stop` the final text showed.

const { values } = parseArgs({
  options: {
    answers: { type: 'string', default: '5' }, // concurrent answers, one per channel
    deltas: { type: 'string', default: '1000' }, // text deltas (≈ tokens) per answer
    rate: { type: 'string', default: '100' }, // deltas per second
    ttft: { type: 'string', default: '300' }, // model time to first token, ms
    latency: { type: 'string', default: '50' }, // Discord REST latency, ms
    asks: { type: 'string', default: '50' }, // /ask commands timed for the acknowledgement
  },
});
const answers = Number(values.answers);
const deltas = Number(values.deltas);
const rate = Number(values.rate);
const ttftMs = Number(values.ttft);
const latencyMs = Number(values.latency);
const asks = Number(values.asks);

interface Sample {
  edits: number;
  restCalls: number;
  lagMs: number;
  firstTextMs: number;
}

async function main(): Promise<void> {
  const harness = await startHarness({
    discord: { channels: answers, latencyMs },
    env: { MAX_TOKENS: String(deltas + 10), IDLE_TIMEOUT_MS: '60000' },
  });
  try {
    const samples = await run(harness);
    print(samples, harness.discord.rateLimitCount);
    printAcks(await acknowledgements(harness));
  } finally {
    await harness.close();
  }
}

async function run(harness: Harness): Promise<Sample[]> {
  const { discord, anthropic } = harness;
  const text = Array.from({ length: deltas }, (_, index) => `tok${index % 10} `).join('');
  for (let index = 0; index < answers; index += 1) {
    anthropic.enqueue({ text, chunkSize: 5, delayMs: 1000 / rate, ttftMs });
  }
  discord.clearRecords();
  const questions = discord.channelIds.map((channelId) =>
    discord.userSays({ channelId, content: harness.mention('write a long answer') }),
  );
  await harness.answered(answers);

  const stops = new Map<number, number>();
  const firsts = new Map<number, number>();
  for (let index = 0; index < answers; index += 1) {
    stops.set(index, (await anthropic.waitFor('messageStop', (mark) => mark.index === index)).at);
    firsts.set(index, (await anthropic.waitFor('firstDelta', (mark) => mark.index === index)).at);
  }
  // Requests reach Claude in the order the channels were asked, one per channel.
  return questions.map((question, index) => sample(harness, question, stops.get(index) ?? 0, firsts.get(index) ?? 0));
}

function sample(harness: Harness, question: StoredMessage, stopAt: number, firstDeltaAt: number): Sample {
  const channelRequests = harness.discord.requests.filter((request) => request.channelId === question.channelId);
  const replyIds = new Set(harness.replyMessages(question).map((message) => message.id));
  const writes = channelRequests.filter((request) => request.method === 'PATCH' || request.method === 'POST');
  const edits = writes.filter(
    (request) => request.method === 'PATCH' && replyIds.has(request.path.split('/').at(-1) ?? ''),
  );
  const lastWrite = writes.at(-1);
  const firstText = edits.find((request) => request.status === 200);
  return {
    edits: edits.length,
    restCalls: channelRequests.length,
    lagMs: (lastWrite?.respondedAt ?? Number.NaN) - stopAt,
    firstTextMs: (firstText?.respondedAt ?? Number.NaN) - firstDeltaAt,
  };
}

// INTERACTION_CREATE leaving the fake gateway → the deferral arriving at the fake REST, one /ask at a time.
async function acknowledgements(harness: Harness): Promise<number[]> {
  const { discord, anthropic } = harness;
  const elapsed: number[] = [];
  for (let index = 0; index < asks; index += 1) {
    anthropic.enqueue({ text: 'ok' });
    const interaction = discord.runCommand({
      name: 'ask',
      options: [{ name: 'prompt', type: 3, value: `question ${index}` }],
    });
    const ack = await discord.waitFor('interactionCallback', (event) => event.interactionId === interaction.id);
    elapsed.push(ack.elapsedMs);
    await harness.answered(answers + index + 1);
  }
  return elapsed;
}

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}

function printAcks(elapsed: number[]): void {
  console.log(`\n/ask acknowledgement over ${elapsed.length} commands (INTERACTION_CREATE → deferral request)\n`);
  console.log(
    `median ${median(elapsed).toFixed(1)} ms, p95 ${percentile(elapsed, 0.95).toFixed(1)} ms, max ${Math.max(...elapsed).toFixed(1)} ms (Discord's limit: 3000 ms)`,
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function print(samples: Sample[], rateLimited: number): void {
  const seconds = deltas / rate;
  console.log(
    `\n${answers} answers at once (one per channel), ${deltas} deltas each at ${rate}/s (${seconds.toFixed(1)} s), ` +
      `TTFT ${ttftMs} ms, Discord REST latency ${latencyMs} ms, edit bucket 5 per 5 s per channel\n`,
  );
  const rows: [string, string][] = [
    ['edits per answer (median)', median(samples.map((s) => s.edits)).toFixed(0)],
    ['REST calls per answer (median)', median(samples.map((s) => s.restCalls)).toFixed(0)],
    ['message_stop → final edit visible, ms (median)', median(samples.map((s) => s.lagMs)).toFixed(0)],
    ['message_stop → final edit visible, ms (max)', Math.max(...samples.map((s) => s.lagMs)).toFixed(0)],
    ['first delta → first text visible, ms (median)', median(samples.map((s) => s.firstTextMs)).toFixed(0)],
    ['429s received', String(rateLimited)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value.padStart(8)}`);
}

await main();
