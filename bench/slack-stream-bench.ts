import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBot } from '../src/bot.js';
import { loadConfig } from '../src/config.js';
import { PLACEHOLDER } from '../src/core/user-text.js';
import { createLogger } from '../src/logger.js';
import { startFakeAnthropic } from '../test/fakes/fake-anthropic.js';
import type { FakeAnthropic } from '../test/fakes/fake-anthropic.js';
import { markdownShown, SLACK_RATE_TIERS, startFakeSlack } from '../test/fakes/fake-slack.js';
import type { FakeSlack, RecordedApiCall } from '../test/fakes/fake-slack.js';
import { answerText } from './answer-text.js';
import type { StreamSettings } from './settings.js';

// npm run bench -- --scenario slack [--quick] [--latency MS] [--questions N]
// Slack's native streaming (chat.startStream / appendStream / stopStream) against the post-and-update
// fallback (chat.postMessage + chat.update, what a workspace without streaming gets), for the same
// answers: the real bot (Bolt, the WebClient, the Anthropic SDK) in this process against the fake
// Slack with Slack's documented rate tiers and a round trip, and the fake Anthropic at a steady pace.
// Per answer: Slack writes, text updates, 429s, and the lag from message_stop to the final write.
// All marks are this process's performance.now(), which both fakes use.

export type SlackMode = 'native' | 'fallback';

export interface SlackBenchSettings {
  readonly stream: StreamSettings;
  /** The fake Slack's delay before each Web API answer, ms. */
  readonly latencyMs: number;
  /** Answers one after another, each in a channel of its own. */
  readonly sequential: number;
  /** Answers asked at once, each in a channel of its own (one workspace: one write budget). */
  readonly burst: number;
}

export interface SlackAnswerFigures {
  /** Every Slack write of the answer, setStatus included, 429s included. */
  readonly writes: number;
  /** Writes that show the answer's text: appends or updates and the stop (the placeholder's post not counted). */
  readonly textWrites: number;
  readonly rateLimited: number;
  /** The first delta left the fake Anthropic → the first text write arrived at the fake Slack. */
  readonly firstTextMs: number;
  /** message_stop left the fake Anthropic → the final text write arrived (the whole answer shown). */
  readonly finalLagMs: number;
  /** Whether the message ended with exactly the answer. */
  readonly exact: boolean;
}

export interface SlackRun {
  readonly mode: SlackMode;
  readonly shape: 'sequential' | 'burst';
  readonly answers: readonly SlackAnswerFigures[];
}

const WRITES = new Set([
  'chat.postMessage',
  'chat.update',
  'chat.startStream',
  'chat.appendStream',
  'chat.stopStream',
  'assistant.threads.setStatus',
]);
const TEXT_WRITES = new Set(['chat.postMessage', 'chat.update', 'chat.appendStream', 'chat.stopStream']);

export async function runSlackStreamBench(
  settings: SlackBenchSettings,
  log: (line: string) => void,
): Promise<SlackRun[]> {
  const runs: SlackRun[] = [];
  for (const mode of ['native', 'fallback'] as const) {
    for (const shape of ['sequential', 'burst'] as const) {
      const count = shape === 'sequential' ? settings.sequential : settings.burst;
      log(`slack ${mode}: ${count} answers ${shape === 'sequential' ? 'one after another' : 'at once'}…`);
      runs.push({ mode, shape, answers: await runOnce(settings, mode, shape, count) });
    }
  }
  return runs;
}

async function runOnce(
  settings: SlackBenchSettings,
  mode: SlackMode,
  shape: SlackRun['shape'],
  count: number,
): Promise<SlackAnswerFigures[]> {
  const text = answerText(settings.stream.answerChars);
  const { stream } = settings;
  const slack = await startFakeSlack({ rateLimits: SLACK_RATE_TIERS, latencyMs: settings.latencyMs, channels: count });
  const anthropic = await startFakeAnthropic({
    defaultScript: { text, chunkSize: stream.chunkChars, delayMs: stream.deltaMs, ttftMs: stream.ttftMs, steady: true },
  });
  const marks: Marks = { firstDelta: new Map(), messageStop: new Map() };
  anthropic.events.on('firstDelta', (mark) => marks.firstDelta.set(mark.index, mark.at));
  anthropic.events.on('messageStop', (mark) => marks.messageStop.set(mark.index, mark.at));
  if (mode === 'fallback') slack.refuse('chat.startStream', 'feature_not_enabled');
  const dataDir = await mkdtemp(join(tmpdir(), 'streamcord-slack-bench-'));
  let answered = 0;
  const listeners = new Set<() => void>();
  const config = loadConfig({
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_APP_TOKEN: slack.appToken,
    SLACK_API_URL: slack.apiUrl,
    ANTHROPIC_API_KEY: 'bench-key',
    ANTHROPIC_BASE_URL: anthropic.url,
    ANTHROPIC_MAX_RETRIES: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
  });
  const bot = await createBot({
    config,
    logger: createLogger('silent'),
    onAnswered: () => {
      answered += 1;
      for (const listener of [...listeners]) listener();
    },
  });
  const answeredAll = (total: number) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (answered < total) return;
        listeners.delete(check);
        resolve();
      };
      listeners.add(check);
      check();
    });
  try {
    await bot.start();
    if (shape === 'sequential') {
      for (let index = 0; index < count; index += 1) {
        slack.userMentions({ channel: slack.channelId(index), text: question(index) });
        await answeredAll(index + 1);
      }
    } else {
      for (let index = 0; index < count; index += 1) {
        slack.userMentions({ channel: slack.channelId(index), text: question(index) });
      }
      await answeredAll(count);
    }
    return Array.from({ length: count }, (_, index) => figuresOf(slack, anthropic, marks, index, text));
  } finally {
    await bot.stop();
    await Promise.all([slack.close(), anthropic.close()]);
    await rm(dataDir, { recursive: true, force: true });
  }
}

const question = (index: number) => `q${index}: explain how streaming replies work`;

/** When each model request's first delta and message_stop left the fake Anthropic, by request index. */
interface Marks {
  readonly firstDelta: Map<number, number>;
  readonly messageStop: Map<number, number>;
}

function figuresOf(
  slack: FakeSlack,
  anthropic: FakeAnthropic,
  marks: Marks,
  index: number,
  text: string,
): SlackAnswerFigures {
  const channel = slack.channelId(index);
  const calls = slack.requests.filter((call) => WRITES.has(call.method) && call.params['channel'] === channel);
  const statusCalls = slack.requests.filter(
    (call) => call.method === 'assistant.threads.setStatus' && call.params['channel_id'] === channel,
  );
  const textCalls = calls.filter((call) => call.status === 200 && carriesText(call));
  const request = anthropic.requests.findIndex((sent) => JSON.stringify(sent.body.messages).includes(`q${index}:`));
  const first = marks.firstDelta.get(request) ?? Number.NaN;
  const stop = marks.messageStop.get(request) ?? Number.NaN;
  const last = textCalls.at(-1);
  // The answer's message: the ts its updates and stop name, or the ts its post was given.
  const ts = last?.params['ts'] ?? last?.response['ts'];
  return {
    writes: calls.length + statusCalls.length,
    textWrites: calls.filter(carriesText).length,
    rateLimited: [...calls, ...statusCalls].filter((call) => call.status === 429).length,
    firstTextMs: (textCalls[0]?.at ?? Number.NaN) - first,
    finalLagMs: (last?.at ?? Number.NaN) - stop,
    exact: typeof ts === 'string' && slack.textOf(channel, ts) === text,
  };
}

// A write that shows some of the answer: not a start without text (the placeholder is never
// streamed), nor the fallback's post of the placeholder.
const carriesText = (call: RecordedApiCall): boolean => {
  const shown = textWritten(call);
  return TEXT_WRITES.has(call.method) && shown !== undefined && shown.trim() !== '' && shown !== PLACEHOLDER;
};

// The text a call writes: its markdown_text, or its markdown block (a message with buttons is blocks).
function textWritten(call: RecordedApiCall): string | undefined {
  const markdown = call.params['markdown_text'];
  if (typeof markdown === 'string') return markdown;
  const blocks = call.params['blocks'];
  return markdownShown({ text: undefined, markdownText: undefined, blocks: Array.isArray(blocks) ? blocks : [] });
}
