import { startFakeAnthropic } from '../test/fakes/fake-anthropic.js';
import type { AnthropicScript, FakeAnthropic, RecordedAnthropicRequest } from '../test/fakes/fake-anthropic.js';
import { startFakeDiscord } from '../test/fakes/fake-discord.js';
import type { FakeDiscord, RecordedRequest } from '../test/fakes/fake-discord.js';
import { AnswerRecorder } from './answer-recorder.js';
import { ackPrompt, answerText, tagOf } from './answer-text.js';
import { serve } from './child-server.js';
import type { AnswerTimeline, FakesProtocol, RunPlan, RunRecord } from './fakes-protocol.js';
import type { TimeWindow } from './load-figures.js';
import { startProbe } from './process-probe.js';
import type { DiscordSettings, StreamSettings } from './settings.js';
import { runWaves } from './run-waves.js';
import { createSoakFaults } from './soak-faults.js';
import type { SoakFaults } from './soak-faults.js';
import { runSoak } from './soak-loop.js';

// The fakes process: the fake Discord and the fake Anthropic on loopback, in one process so that all
// their timing marks share one clock, and apart from the bot under test so that their CPU is not
// counted as the bot's. Started fresh (fakes-wise) for every bot the parent measures.

interface Fakes {
  readonly discord: FakeDiscord;
  readonly anthropic: FakeAnthropic;
  readonly recorder: AnswerRecorder;
  /** Set when started for the soak. */
  readonly faults: SoakFaults | undefined;
}

let fakes: Fakes | undefined;

async function start(discordSettings: DiscordSettings, stream: StreamSettings, withFaults: boolean): Promise<Fakes> {
  const answer = answerText(stream.answerChars);
  const faults = withFaults ? createSoakFaults(answer, stream) : undefined;
  const discord = await startFakeDiscord({
    channels: discordSettings.channels,
    latencyMs: discordSettings.latencyMs,
    buckets: { channelMessages: discordSettings.channelBucket },
    globalLimitPerSecond: discordSettings.globalPerSecond,
    ...(faults ? { routes: faults.routes } : {}),
  });
  const recorder = new AnswerRecorder(discord, answer);
  const anthropic = await startFakeAnthropic({
    defaultScript: (request) => scriptFor(request, answer, stream, faults),
    onDelta: (mark) => recorder.onDelta(mark),
  });
  recorder.watchModel(anthropic);
  return { discord, anthropic, recorder, faults };
}

function scriptFor(
  request: RecordedAnthropicRequest,
  answer: string,
  stream: StreamSettings,
  faults: SoakFaults | undefined,
): AnthropicScript {
  const prompt = request.body.messages.at(-1)?.content;
  const tag = typeof prompt === 'string' ? tagOf(prompt) : undefined;
  const planned = tag === undefined ? undefined : faults?.scriptFor(tag);
  if (planned) return planned;
  const pace = { chunkSize: stream.chunkChars, delayMs: stream.deltaMs, steady: true };
  // Anything else is an /ask of the acknowledgement scenario.
  return tag !== undefined ? { text: answer, ...pace, ttftMs: stream.ttftMs } : { text: 'ok' };
}

function current(): Fakes {
  if (fakes === undefined) throw new Error('fakes not started');
  return fakes;
}

async function run(plan: RunPlan): Promise<RunRecord> {
  const { discord, recorder } = current();
  discord.clearRecords();
  const probe = startProbe();
  const waves: TimeWindow[] = [];
  const answers = await runWaves(recorder, plan, (wave) => waves.push(streamingWindow(wave)));
  return { answers, rateLimited: discord.rateLimitCount, waves, fakes: probe.stop() };
}

/** From the wave's first question to its last message_stop, on the clock all processes share. */
function streamingWindow(answers: readonly AnswerTimeline[]): TimeWindow {
  const toEpoch = (at: number): number => performance.timeOrigin + at;
  return {
    startMs: toEpoch(Math.min(...answers.map((answer) => answer.mentionAt))),
    endMs: toEpoch(Math.max(...answers.map((answer) => answer.stopAt ?? answer.mentionAt))),
  };
}

async function acknowledge(asks: number): Promise<number[]> {
  const { discord } = current();
  const elapsed: number[] = [];
  for (let index = 0; index < asks; index += 1) {
    const interaction = discord.runCommand({
      name: 'ask',
      options: [{ name: 'prompt', type: 3, value: ackPrompt(index) }],
    });
    const acked = discord.waitFor('interactionCallback', (event) => event.interactionId === interaction.id);
    // The next /ask waits for this one's answer, so each acknowledgement is timed on an idle bot.
    const answered = discord.waitFor('request', (request) => showsOk(request, interaction.token));
    elapsed.push((await acked).elapsedMs);
    await answered;
  }
  return elapsed;
}

function showsOk(request: RecordedRequest, token: string): boolean {
  const body: unknown = request.body;
  const content = typeof body === 'object' && body !== null && 'content' in body ? body.content : undefined;
  return request.method === 'PATCH' && request.path.includes(token) && content === 'ok';
}

async function stop(): Promise<void> {
  const stopping = fakes;
  fakes = undefined;
  if (stopping) await Promise.all([stopping.discord.close(), stopping.anthropic.close()]);
}

serve<FakesProtocol>(
  {
    async start({ discord, stream, faults }) {
      await stop();
      fakes = await start(discord, stream, faults ?? false);
      return { apiUrl: fakes.discord.apiUrl, anthropicUrl: fakes.anthropic.url };
    },
    async warmUp({ settleCapMs, safetyMs }) {
      const { discord, recorder } = current();
      await runWaves(recorder, { waves: [[discord.channelIds.length - 1]], spreadMs: 0, settleCapMs, safetyMs });
      return null;
    },
    run,
    acknowledge: ({ asks }) => acknowledge(asks),
    soak(plan) {
      const { discord, anthropic, faults } = current();
      if (!faults) return Promise.reject(new Error('the fakes were not started for the soak'));
      return runSoak(discord, anthropic, faults, plan);
    },
    async stop() {
      await stop();
      return null;
    },
  },
  stop,
);
