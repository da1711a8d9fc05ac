import { afterEach, describe, expect, it } from 'vitest';
import { SOURCES_HEADING, notices, reasoningText } from '../../src/core/user-text.js';
import type { FakeDiscord, FakeInteraction, StoredMessage } from '../fakes/fake-discord.js';
import { startHarness } from './harness.js';
import type { Harness } from './harness.js';

// Thinking and web search as members see them, end to end: the real client and SDK against the
// fakes, with THINKING=on and WEB_SEARCH=on. The status line, the Sources list, thinking blocks sent
// back, Show reasoning in private, the refusal and context-window notices, and a paused turn.

let harness: Harness;

afterEach(async () => {
  await harness.close();
});

const ON = { THINKING: 'on', WEB_SEARCH: 'on' } as const;
const bystander = { id: '444444444444444444', username: 'bystander' };
const button = (control: string, answerId: string) => `streamcord:${control}:${answerId}`;
const paris = { url: 'https://example.com/paris-facts', title: 'Paris [facts]' };

// Thinking streamed over about `ms`, in deltas every 100 ms: long enough for the status to tick.
const thinkingFor = (ms: number, signature = 'sig-thinking-1') => {
  const deltas = Array.from({ length: Math.ceil(ms / 100) }, (_, index) => `step ${index}. `);
  return { thinking: deltas.join(''), deltas, delayMs: 100, signature };
};

function ask(text: string): StoredMessage {
  return harness.discord.userSays({ content: harness.mention(text) });
}

/** Every content the bot's messages showed, in order, by watching their updates. */
function watchContents(discord: FakeDiscord): string[] {
  const seen: string[] = [];
  discord.events.on('messageUpdate', (message) => {
    if (message.authorId === discord.botUser.id) seen.push(message.content);
  });
  return seen;
}

async function privateReplies(discord: FakeDiscord, interaction: FakeInteraction): Promise<StoredMessage[]> {
  await discord.waitFor('interactionCallback', (event) => event.interactionId === interaction.id);
  return discord.interactionMessages(interaction.id);
}

/** Every message body the bot sent (posts and edits). */
function sentContents(discord: FakeDiscord): string[] {
  return discord.requests.flatMap((request) => {
    const body = request.body as { content?: unknown } | undefined;
    return typeof body?.content === 'string' ? [body.content] : [];
  });
}

describe('the status line', () => {
  it('shows Claude thinking, with seconds, then the answer replaces it', async () => {
    harness = await startHarness({ env: ON });
    const { discord, anthropic } = harness;
    const contents = watchContents(discord);
    anthropic.enqueue({ blocks: [thinkingFor(2500), { text: 'Forty-two.' }] });
    const question = ask('what is the answer?');
    await discord.waitFor('messageUpdate', (message) => message.content.startsWith('💭 Thinking…'));
    await harness.answered(1);

    const [reply] = harness.replyMessages(question);
    expect(reply?.content).toBe('Forty-two.');
    expect(contents.some((content) => /^💭 Thinking… [12]s$/.test(content))).toBe(true);
    expect(contents.at(-1)).toBe('Forty-two.');
  });

  it('shows what Claude searches for, then lists its sources as links without embeds', async () => {
    harness = await startHarness({ env: ON });
    const { discord, anthropic } = harness;
    const contents = watchContents(discord);
    anthropic.enqueue({
      blocks: [
        { search: { query: 'paris population', results: [paris], resultDelayMs: 1500 } },
        { text: 'Paris has about two million people', citations: [{ url: paris.url, title: paris.title }] },
        { text: '.' },
      ],
    });
    const question = ask('how many people live in Paris?');
    const [report] = await harness.answered(1);

    expect(contents).toContain('🔎 Searching: paris population');
    const [reply] = harness.replyMessages(question);
    expect(reply?.content).toBe(
      `Paris has about two million people [1].\n\n${SOURCES_HEADING}\n1. [Paris \\[facts\\]](<${paris.url}>)`,
    );
    expect(reply?.embeds).toEqual([]);
    // No bare link anywhere the bot wrote: every URL sits in <…>, so Discord previews none.
    for (const content of sentContents(discord)) expect(content).not.toMatch(/(?<!<)https?:\/\//);
    expect(report).toMatchObject({ searches: 1, outcome: 'complete' });
  });
});

describe('what goes back to Claude', () => {
  it('sends the thinking blocks of an answer back unchanged with the next question', async () => {
    harness = await startHarness({ env: ON });
    const { anthropic } = harness;
    const thinking = thinkingFor(200, 'sig-keep-me');
    anthropic.enqueue({ blocks: [thinking, { text: 'Paris.' }] }, { text: 'About two million.' });
    ask('capital of France?');
    await harness.answered(1);
    ask('how many people live there?');
    await harness.answered(2);

    const second = anthropic.requests[1];
    expect(second?.rejected).toBeUndefined();
    const assistant = second?.body.messages[1];
    expect(assistant?.role).toBe('assistant');
    expect(assistant?.content).toEqual([
      { type: 'thinking', thinking: thinking.thinking, signature: 'sig-keep-me' },
      expect.objectContaining({ type: 'text', text: 'Paris.' }),
    ]);
  });
});

describe('Show reasoning', () => {
  it('sends the reasoning privately to whoever presses, never into the channel', async () => {
    harness = await startHarness({ env: ON });
    const { discord, anthropic } = harness;
    const thinking = thinkingFor(300);
    anthropic.enqueue({ blocks: [thinking, { text: 'Done thinking.' }] });
    const question = ask('think hard');
    await harness.answered(1);
    const [reply] = harness.replyMessages(question);
    if (!reply) throw new Error('no reply');
    expect(discord.buttonsOf(reply.id)).toEqual([button('regenerate', question.id), button('reasoning', question.id)]);

    const press = discord.pressButton({
      messageId: reply.id,
      customId: button('reasoning', question.id),
      user: bystander,
    });
    const [answer] = await privateReplies(discord, press);
    expect(answer?.ephemeral).toBe(true);
    expect(answer?.content).toBe(`${reasoningText.heading}\n${thinking.thinking.trim()}`);
    // Only the private reply holds it: nothing the channel sees does.
    const inChannel = [...discord.messages.values()].filter((message) => !message.ephemeral);
    expect(inChannel.some((message) => message.content.includes('step 1.'))).toBe(false);
  });
});

describe('stop reasons', () => {
  it('ends a refusal with its notice, keeping what came', async () => {
    harness = await startHarness({ env: ON });
    harness.anthropic.enqueue({ text: 'I started to', stopReason: 'refusal' });
    const question = ask('something Claude declines');
    const [report] = await harness.answered(1);
    expect(harness.replyMessages(question)[0]?.content).toBe(`I started to\n\n${notices.refused}`);
    expect(report?.outcome).toBe('refused');
  });

  it('ends at a full context window with a notice that suggests /reset', async () => {
    harness = await startHarness({ env: ON });
    harness.anthropic.enqueue({ deltas: [], stopReason: 'model_context_window_exceeded' });
    const question = ask('one more question');
    const [report] = await harness.answered(1);
    expect(harness.replyMessages(question)[0]?.content).toBe(notices.contextFull);
    expect(report?.outcome).toBe('context_full');
  });

  it('continues a paused turn into the same reply, with the search status and the sources', async () => {
    harness = await startHarness({ env: ON });
    const { discord, anthropic } = harness;
    const contents = watchContents(discord);
    anthropic.enqueue(
      {
        blocks: [
          { search: { query: 'long research', results: [paris], resultDelayMs: 300 } },
          { text: 'First part', citations: [{ url: paris.url, title: paris.title }] },
        ],
        stopReason: 'pause_turn',
      },
      { text: ' and second part.' },
    );
    const question = ask('research this');
    const [report] = await harness.answered(1);
    expect(anthropic.requests).toHaveLength(2);
    expect(harness.replyMessages(question).map((message) => message.content)).toEqual([
      `First part [1] and second part.\n\n${SOURCES_HEADING}\n1. [Paris \\[facts\\]](<${paris.url}>)`,
    ]);
    expect(contents).toContain('🔎 Searching: long research');
    expect(report?.outcome).toBe('complete');
  });
});
