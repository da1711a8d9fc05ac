import { ApplicationCommandOptionType } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnthropicScript } from '../fakes/fake-anthropic.js';
import { DiscordHttpError } from '../fakes/fake-discord.js';
import type { FakeDiscordOptions, RouteDefinition } from '../fakes/fake-discord.js';
import { missingPermissions } from '../fakes/discord/errors.js';
import { startHarness } from './harness.js';
import type { Harness } from './harness.js';

// The end-to-end fault cases with the bot's log captured: whatever fails, no line holds the bot token,
// the API key, an interaction token (Discord's errors carry the request URL, which holds it) or the
// text of a request body (the user's words, the answer). Real discord.js and the real Anthropic SDK.

const BOT_TOKEN = 'test-discord-token';
const API_KEY = 'test-anthropic-key';
// Put in questions and answers: request bodies carry them, and bodies must stay out of the log.
const QUESTION = 'question-text-7f3a';
const ANSWER = 'answer-text-9c1e';

let harness: Harness;

afterEach(async () => {
  await harness.close();
});

interface LogLine {
  readonly msg: string;
  readonly err?: { readonly message: string; readonly causes?: string[] };
}

interface Session {
  readonly harness: Harness;
  /** Runs /ask in the first channel; its token joins the secrets searched for. */
  ask(): string;
}

interface FaultCase {
  readonly name: string;
  readonly discord?: FakeDiscordOptions;
  readonly env?: Record<string, string>;
  readonly answers: readonly AnthropicScript[];
  /** Drives the fault until the bot has dealt with it. */
  readonly run: (session: Session) => Promise<unknown>;
  /** A message the bot logs for this fault, so the search is never over an empty log. */
  readonly logs: string;
}

const refuse = (error: () => DiscordHttpError) => () => {
  throw error();
};
const serverError = () => new DiscordHttpError(500, { code: 0, message: '500: Internal Server Error' });
const editRoute = '/channels/:channelId/messages/:messageId';
const webhookRoute = { bucket: 'interactionWebhook', globalExempt: true, auth: false } as const;
const failingEdits = (error: () => DiscordHttpError): RouteDefinition[] => [
  { method: 'PATCH', pattern: editRoute, bucket: 'channelMessages', handle: refuse(error) },
];
const streamed = { text: `${ANSWER} `.repeat(40), chunkSize: 20, delayMs: 5 } as const;
const long = { text: `${ANSWER} `.repeat(300), chunkSize: 400, delayMs: 5 } as const;

async function mentionAnswered({ harness: h }: Session): Promise<unknown> {
  h.discord.userSays({ content: h.mention(QUESTION) });
  return h.answered(1);
}

async function askAnswered(session: Session): Promise<unknown> {
  session.ask();
  return session.harness.answered(1);
}

const CASES: readonly FaultCase[] = [
  {
    name: 'Discord 500 on every edit of a mention’s reply',
    discord: { routes: failingEdits(serverError) },
    answers: [streamed],
    run: mentionAnswered,
    logs: 'final edit failed twice',
  },
  {
    name: '50013 on the edits of a mention’s reply',
    discord: { routes: failingEdits(missingPermissions) },
    answers: [streamed],
    run: mentionAnswered,
    logs: 'the reply can no longer be edited',
  },
  {
    name: '50013 on the placeholder post',
    discord: {
      routes: [
        {
          method: 'POST',
          pattern: '/channels/:channelId/messages',
          bucket: 'channelMessages',
          handle: refuse(missingPermissions),
        },
      ],
    },
    answers: [streamed],
    run: ({ harness: h }) => {
      h.discord.userSays({ content: h.mention(QUESTION) });
      return h.logged((line) => line.includes('could not post the reply'));
    },
    logs: 'could not post the reply',
  },
  {
    name: '10008: the reply deleted mid-stream',
    answers: [{ ...streamed, delayMs: 20 }],
    run: async ({ harness: h }) => {
      const posted = h.discord.waitFor('messageCreate', (message) => message.authorId === h.discord.botUser.id);
      h.discord.userSays({ content: h.mention(QUESTION) });
      h.discord.deleteMessage((await posted).id);
      return h.answered(1);
    },
    logs: 'answer finished',
  },
  {
    name: '/ask acknowledged too late (10062)',
    discord: { interactionAckTimeoutMs: 0 },
    answers: [streamed],
    run: (session) => {
      session.ask();
      return session.harness.logged((line) => line.includes('could not post the reply'));
    },
    logs: 'could not post the reply',
  },
  {
    name: '/ask whose token dies mid-stream (50027 on its edits)',
    answers: [{ ...streamed, delayMs: 20 }],
    run: async (session) => {
      const { discord } = session.harness;
      const edited = discord.waitFor('request', (request) => request.route?.startsWith('PATCH /webhooks/') === true);
      const id = session.ask();
      await edited;
      discord.expireInteraction(id);
      return session.harness.answered(1);
    },
    logs: 'the reply can no longer be edited',
  },
  {
    name: '/ask whose follow-ups fail (Discord 500)',
    discord: {
      routes: [
        { method: 'POST', pattern: '/webhooks/:webhookId/:token', ...webhookRoute, handle: refuse(serverError) },
      ],
    },
    answers: [long],
    run: askAnswered,
    logs: 'follow-up failed',
  },
  {
    name: 'Anthropic 401 on /ask',
    answers: [
      { fault: { kind: 'http-error', status: 401, type: 'authentication_error', message: 'invalid x-api-key' } },
    ],
    run: askAnswered,
    logs: 'model call failed',
  },
  {
    name: 'Anthropic 529 on /ask',
    answers: [{ fault: { kind: 'http-error', status: 529, type: 'overloaded_error' } }],
    run: askAnswered,
    logs: 'model call failed',
  },
  {
    name: 'overloaded_error mid-stream on /ask',
    answers: [{ ...streamed, fault: { kind: 'error-event', afterDeltas: 2, type: 'overloaded_error' } }],
    run: askAnswered,
    logs: 'model call failed',
  },
  {
    name: 'the stream cut off on /ask',
    answers: [{ ...streamed, fault: { kind: 'cut', afterDeltas: 2 } }],
    run: askAnswered,
    logs: 'model call failed',
  },
  {
    name: 'a stalled stream on /ask',
    env: { IDLE_TIMEOUT_MS: '300' },
    answers: [{ ...streamed, fault: { kind: 'stall', afterDeltas: 2 } }],
    run: askAnswered,
    logs: 'answer finished',
  },
];

async function runCase(fault: FaultCase): Promise<{ lines: string[]; secrets: string[] }> {
  const lines: string[] = [];
  harness = await startHarness({
    logLines: lines,
    ...(fault.discord ? { discord: fault.discord } : {}),
    ...(fault.env ? { env: fault.env } : {}),
  });
  harness.anthropic.enqueue(...fault.answers);
  const tokens: string[] = [];
  const session: Session = {
    harness,
    ask() {
      const interaction = harness.discord.runCommand({
        name: 'ask',
        options: [{ name: 'prompt', type: ApplicationCommandOptionType.String, value: QUESTION }],
      });
      tokens.push(interaction.token);
      return interaction.id;
    },
  };
  await fault.run(session);
  await harness.logged((line) => line.includes(fault.logs));
  return { lines, secrets: [BOT_TOKEN, API_KEY, ...tokens, QUESTION, ANSWER] };
}

describe('no secret reaches the logs', () => {
  it.each(CASES)('$name', async (fault) => {
    const { lines, secrets } = await runCase(fault);
    const leaks = lines.flatMap((line) =>
      secrets.filter((secret) => line.includes(secret)).map((secret) => ({ secret, line })),
    );
    expect(leaks).toEqual([]);
    // Each line is one JSON object, as pino writes it.
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
  });
});

describe('an error’s causes', () => {
  it('are logged once each, not repeated in the message', async () => {
    const cut = CASES.find((fault) => fault.name === 'the stream cut off on /ask');
    if (!cut) throw new Error('the cut case is missing');
    const { lines } = await runCase(cut);
    const failed = lines.map((line) => JSON.parse(line) as LogLine).find((line) => line.msg === 'model call failed');
    const err = failed?.err;
    // undici's "terminated" wraps the socket's "other side closed"; the SDK and the core wrap it again.
    expect(JSON.stringify(err).split('other side closed')).toHaveLength(2);
    const segments = err?.message.split(': ') ?? [];
    expect(new Set(segments).size).toBe(segments.length);
    expect(err?.causes?.at(-1)).toMatch(/other side closed$/);
  });
});
