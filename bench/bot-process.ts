import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBot } from '../src/bot.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import type { BotProtocol, BotRunStats, BotStart } from './bot-protocol.js';
import { serve } from './child-server.js';
import { createNaiveBot } from './naive-bot.js';
import { startProbe } from './process-probe.js';
import type { ProcessProbe } from './process-probe.js';
import { startRssSampler } from './rss-sampler.js';
import type { RssSampler } from './rss-sampler.js';
import type { AnswerReport } from '../src/core/answer/answerer.js';

// One bot under test, alone in its process (run from compiled JavaScript, as `npm start` runs it):
// ours (createBot from src/bot.ts, as the entry point builds it), ours with no final-edit reserve,
// or the naive baseline. It measures its own CPU, event loop and memory over the stretch the
// parent marks.

interface RunningBot {
  stop(): Promise<void>;
}

const logger = createLogger('silent');
let bot: RunningBot | undefined;
let answered = 0;
let probe: ProcessProbe | undefined;
let sampler: RssSampler | undefined;
const outcomes: Record<string, number> = {};
const answerListeners = new Set<() => void>();

// Counted, not fatal: the soak reports how many there were (there must be none).
let unhandledRejections = 0;
process.on('unhandledRejection', () => {
  unhandledRejections += 1;
});

function noteAnswered(report?: AnswerReport | null): void {
  answered += 1;
  if (report) outcomes[report.outcome] = (outcomes[report.outcome] ?? 0) + 1;
  for (const listener of [...answerListeners]) listener();
}

async function startOurs(start: BotStart): Promise<RunningBot> {
  // Its SQLite file (the default storage) in a directory of its own, removed when it stops.
  const dataDir = await mkdtemp(join(tmpdir(), 'streamcord-bench-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    DISCORD_TOKEN: 'bench-token',
    ANTHROPIC_API_KEY: 'bench-key',
    DISCORD_API_URL: start.apiUrl,
    ANTHROPIC_BASE_URL: start.anthropicUrl,
    ANTHROPIC_MAX_RETRIES: '0',
    LOG_LEVEL: 'silent',
    // The fake's global limit (lifted for the scale runs): our pacer and discord.js's both keep to it.
    DISCORD_GLOBAL_REQUESTS_PER_SECOND: String(start.globalPerSecond),
    // The bench measures streaming: `--questions N` in one channel must all be answered, not capped.
    MAX_QUEUED_PER_CHANNEL: '100000',
    ...start.env,
  });
  // Reserve 0 prices the slot kept for final edits: same bot, every slot for intermediate edits.
  const reserve = start.variant === 'ours-no-reserve' ? { finalEditReserve: 0 } : {};
  const ours = await createBot({ config, logger, onAnswered: noteAnswered, ...reserve });
  await ours.start();
  return {
    async stop() {
      await ours.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function startNaive(start: BotStart): Promise<RunningBot> {
  const naive = createNaiveBot({
    apiUrl: start.apiUrl,
    anthropicUrl: start.anthropicUrl,
    channelBucket: start.channelBucket,
    onAnswered: noteAnswered,
    onError: () => undefined,
  });
  raiseGlobalLimit(naive.client.rest, start.globalPerSecond);
  await naive.start();
  return naive;
}

/** discord.js paces itself to 50 requests/s; the scale runs lift that together with the fake's limit (ours: by its setting). */
function raiseGlobalLimit(
  rest: { options: { globalRequestsPerSecond: number }; globalRemaining: number },
  perSecond: number,
): void {
  rest.options.globalRequestsPerSecond = perSecond;
  rest.globalRemaining = perSecond;
}

function answeredAtLeast(count: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    answerListeners.add(check);
    check();
    function check(): void {
      if (answered >= count) done();
    }
    function done(): void {
      clearTimeout(timer);
      answerListeners.delete(check);
      resolve();
    }
  });
}

async function stop(): Promise<void> {
  const stopping = bot;
  bot = undefined;
  await stopping?.stop();
}

serve<BotProtocol>(
  {
    async start(start) {
      bot = start.variant === 'naive' ? await startNaive(start) : await startOurs(start);
      return null;
    },
    async answered({ count, timeoutMs }) {
      await answeredAtLeast(count, timeoutMs);
      return answered;
    },
    measureStart() {
      answered = 0;
      probe = startProbe();
      return Promise.resolve(null);
    },
    async measureStop({ answers, timeoutMs }): Promise<BotRunStats> {
      await answeredAtLeast(answers, timeoutMs);
      const stats = probe?.stop();
      if (stats === undefined) throw new Error('measureStop before measureStart');
      return { ...stats, answered };
    },
    soakStart({ sampleMs }) {
      answered = 0;
      for (const outcome of Object.keys(outcomes)) delete outcomes[outcome];
      sampler = startRssSampler(sampleMs);
      return Promise.resolve(null);
    },
    soakStop() {
      const samples = sampler?.stop();
      if (samples === undefined) return Promise.reject(new Error('soakStop before soakStart'));
      return Promise.resolve({ samples, answered, outcomes: { ...outcomes }, unhandledRejections });
    },
    async stop() {
      await stop();
      return null;
    },
  },
  stop,
);
