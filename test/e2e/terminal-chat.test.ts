import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { failureNotice, failureText, plainNotice, terminalText } from '../../src/core/user-text.js';
import { startFakeAnthropic } from '../fakes/fake-anthropic.js';
import type { FakeAnthropic } from '../fakes/fake-anthropic.js';
import { buildChat, killChats, spawnPipedChat, spawnTerminalChat } from './chat-process.js';

// `npm run chat` end to end: the built chat, the real Anthropic SDK, the loopback fake Anthropic, and
// the chat's standard streams as pipes (echo "hi" | npm run chat) or as a pseudo-terminal (a person).

let entry = '';
let removeBuild = () => Promise.resolve();
let anthropic: FakeAnthropic;

beforeAll(async () => {
  ({ entry, remove: removeBuild } = await buildChat());
}, 120_000);
afterAll(() => removeBuild());
beforeEach(async () => {
  anthropic = await startFakeAnthropic();
});
afterEach(async () => {
  await killChats();
  await anthropic.close();
});

// Only the API key is needed: no DISCORD_TOKEN.
const env = () => ({ ANTHROPIC_API_KEY: 'chat-test-key', ANTHROPIC_BASE_URL: anthropic.url });

// "42 in (30 cache read) · 7 out · first token 12 ms · 85 tokens/s"
const usageLine = (input: number, cacheRead: number, output: number) =>
  new RegExp(`^${input} in \\(${cacheRead} cache read\\) · ${output} out · first token \\d+ ms · \\d+ tokens/s$`, 'm');

describe('npm run chat with pipes', () => {
  it('prints the answer as it streams, then the usage line, as plain text, and exits 0 at the end of input', async () => {
    anthropic.enqueue({
      deltas: ['Streaming ', 'as ', 'it ', 'comes.'],
      delayMs: 400,
      inputTokens: 12,
      cacheReadTokens: 30,
      outputTokens: 7,
    });
    let streamEnded = false;
    anthropic.events.on('messageStop', () => (streamEnded = true));
    const process = spawnPipedChat(entry, env());
    process.type('hi\n');
    process.child.stdin.end();

    await process.waitForText((text) => text.startsWith('Streaming '));
    // The first words are out while the fake still has the rest of the answer to send.
    expect(streamEnded).toBe(false);
    const { code, stderr } = await process.exited;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const [answer, usage, ...rest] = process.raw().split('\n');
    expect(answer).toBe('Streaming as it comes.');
    expect(usage).toMatch(usageLine(42, 30, 7));
    expect(rest).toEqual(['', '']);
    expect(process.raw()).not.toContain('\x1b');
    expect(anthropic.requests[0]?.body.messages).toEqual([{ role: 'user', content: 'hi' }]);
  });

  it('keeps the conversation between questions and forgets it on /reset', async () => {
    anthropic.enqueue({ text: 'One.' }, { text: 'Two.' }, { text: 'Three.' });
    const process = spawnPipedChat(entry, env());
    process.type('first\nsecond\n/reset\nthird\n');
    process.child.stdin.end();

    expect((await process.exited).code).toBe(0);
    expect(anthropic.requests.map((request) => request.body.messages)).toEqual([
      [{ role: 'user', content: 'first' }],
      [
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'One.' },
        { role: 'user', content: 'second' },
      ],
      [{ role: 'user', content: 'third' }],
    ]);
    const lines = process.text().split('\n');
    expect(lines.filter((line) => /^(One|Two|Three)\.$|^Cleared/.test(line))).toEqual([
      'One.',
      'Two.',
      terminalText.cleared(2),
      'Three.',
    ]);
  });

  it('keeps the partial text of a stream that fails, says what happened, and goes on', async () => {
    anthropic.enqueue(
      { deltas: ['Half ', 'an answer'], fault: { kind: 'error-event', afterDeltas: 2, type: 'overloaded_error' } },
      { fault: { kind: 'http-error', status: 401, type: 'authentication_error' } },
    );
    const process = spawnPipedChat(entry, env());
    process.type('tell me\nand now?\n');
    process.child.stdin.end();

    expect((await process.exited).code).toBe(0);
    const [answer, notice, usage, blank, failure, ...rest] = process.raw().split('\n');
    expect(answer).toBe('Half an answer');
    expect(notice).toBe(plainNotice(failureNotice('overloaded')));
    expect(notice).not.toContain('-#');
    expect(usage).toMatch(/^\d+ in \(0 cache read\) · \d+ out · first token \d+ ms/);
    expect(blank).toBe('');
    // Refused before any stream: the explanation alone, and no usage line (no tokens were spent).
    expect(failure).toBe(failureText('authentication'));
    expect(rest).toEqual(['', '']);
    // The partial answer is part of the conversation, as the bot keeps it in a channel.
    expect(anthropic.requests[1]?.body.messages).toEqual([
      { role: 'user', content: 'tell me' },
      { role: 'assistant', content: 'Half an answer' },
      { role: 'user', content: 'and now?' },
    ]);
  });

  it('stops the answer on SIGINT (Ctrl-C in a shell) and answers the next line', async () => {
    anthropic.enqueue({ deltas: ['Thinking ', 'slowly'], fault: { kind: 'stall', afterDeltas: 2 } }, { text: 'Next.' });
    const process = spawnPipedChat(entry, env());
    process.type('hello\n');
    await process.waitForText((text) => text.includes('Thinking slowly'));
    process.child.kill('SIGINT');

    expect(await anthropic.waitFor('clientClosed')).toMatchObject({ index: 0, completed: false, cutByServer: false });
    await process.waitForText((text) => text.includes(terminalText.stopped));
    process.type('next\n');
    process.child.stdin.end();
    expect((await process.exited).code).toBe(0);
    expect(process.text()).toMatch(new RegExp(`^Thinking slowly\n${terminalText.stopped}\n[^]*\nNext\\.\n`));
  });

  it('needs nothing but ANTHROPIC_API_KEY, and names every problem at once', async () => {
    const process = spawnPipedChat(entry, { MAX_TOKENS: 'lots', ANTHROPIC_BASE_URL: anthropic.url });
    const { code, stderr } = await process.exited;
    expect(code).toBe(1);
    expect(stderr).toContain('ANTHROPIC_API_KEY is required');
    expect(stderr).toContain('MAX_TOKENS must be a number');
    expect(stderr).not.toContain('DISCORD');
  });
});

describe('npm run chat in a terminal', () => {
  const prompt = terminalText.prompt;

  /** The chat at its first prompt, with a stream that stalls after some text queued for the question. */
  async function stalledAnswer() {
    anthropic.enqueue({ deltas: ['Thinking ', 'slowly'], fault: { kind: 'stall', afterDeltas: 2 } });
    const process = spawnTerminalChat(entry, env());
    await process.waitForText((text) => text.endsWith(prompt));
    process.type('hello\r');
    await process.waitForText((text) => text.includes('Thinking slowly'));
    return process;
  }

  it('stops the answer on Ctrl-C (the request is aborted), returns to the prompt, and quits on a second Ctrl-C', async () => {
    const process = await stalledAnswer();
    process.type('\x03');

    const closed = await anthropic.waitFor('clientClosed');
    expect(closed).toMatchObject({ index: 0, completed: false, cutByServer: false });
    const shown = await process.waitForText((text) => /Stopped\.[^]*\n> $/.test(text));
    expect(shown).toContain(`Thinking slowly\n${terminalText.stopped}\n`);
    process.type('\x03');
    expect((await process.exited).code).toBe(0);
    // In a terminal: a coloured prompt, a dim usage line.
    expect(process.raw()).toContain(`\x1b[1;36m${prompt}`);
    const dimmed = process.raw().split('\x1b[2m').slice(1);
    expect(dimmed.some((text) => /^\d+ in \(/.test(text))).toBe(true);
  });

  it('quits on two quick Ctrl-C during an answer', async () => {
    const process = await stalledAnswer();
    process.type('\x03\x03');
    expect((await process.exited).code).toBe(0);
    expect((await anthropic.waitFor('clientClosed')).completed).toBe(false);
  });

  it('answers, keeps the conversation and quits on /exit', async () => {
    anthropic.enqueue({ text: 'Hi there.' }, { text: 'Still here.' });
    const process = spawnTerminalChat(entry, env());
    await process.waitForText((text) => text.endsWith(prompt));
    process.type('hi\r');
    await process.waitForText((text) => text.includes('Hi there.') && text.endsWith(prompt));
    process.type('again\r');
    await process.waitForText((text) => text.includes('Still here.') && text.endsWith(prompt));
    process.type('/exit\r');
    expect((await process.exited).code).toBe(0);
    expect(anthropic.requests[1]?.body.messages).toHaveLength(3);
  });
});
