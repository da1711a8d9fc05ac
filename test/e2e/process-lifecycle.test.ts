import { describe, expect, it } from 'vitest';
import { PLACEHOLDER, notices } from '../../src/core/user-text.js';
import type { StoredMessage } from '../fakes/fake-discord.js';
import { processFixtures, spawnBot } from './bot-process.js';

// The bot as a process, the way `npm start` and Docker run it: the entry point reads the environment,
// SIGTERM stops it gracefully, and a crash is cleaned up by the next start.

const fixtures = processFixtures();

async function startedBot(extra: Record<string, string> = {}) {
  const bot = spawnBot(fixtures.botEnv(extra));
  const connected = await bot.logLine('connected to Discord');
  expect(JSON.stringify(connected)).not.toContain('test-discord-token');
  return bot;
}

/** Asks, and resolves once the reply shows `text` (the stream is under way). */
async function askUntilShowing(text: string): Promise<{ question: StoredMessage; reply: StoredMessage }> {
  const question = fixtures.discord.userSays({ content: `<@${fixtures.discord.botUser.id}> tell me` });
  const reply = await fixtures.discord.waitFor(
    'messageUpdate',
    (message) => message.referencedMessageId === question.id && message.content.startsWith(text),
  );
  return { question, reply };
}

describe('the bot process', () => {
  it('exits with status 1 and lists every configuration problem', async () => {
    const { code, stderr } = await spawnBot({ MAX_TOKENS: 'many', DATA_DIR: fixtures.dataDir }).exited;
    expect(code).toBe(1);
    expect(stderr).toContain('No platform is configured: set DISCORD_TOKEN');
    expect(stderr).toContain('ANTHROPIC_API_KEY is required');
    expect(stderr).toContain('MAX_TOKENS must be a number');
  });

  it('on SIGTERM lets a running answer finish within the grace period, then exits 0', async () => {
    fixtures.anthropic.enqueue({ deltas: ['Almost ', 'done', '.'], delayMs: 200 });
    const { child, exited } = await startedBot({ SHUTDOWN_GRACE_MS: '20000' });
    const { question } = await askUntilShowing('Almost');
    child.kill('SIGTERM');
    expect((await exited).code).toBe(0);
    const reply = [...fixtures.discord.messages.values()].find(
      (message) => message.referencedMessageId === question.id,
    );
    expect(reply?.content).toBe('Almost done.');
  });

  it('on SIGTERM ends an answer still running after the grace period with a notice, then exits 0', async () => {
    fixtures.anthropic.enqueue({ deltas: ['Half an answer'], fault: { kind: 'stall', afterDeltas: 1 } });
    const { child, exited } = await startedBot({ SHUTDOWN_GRACE_MS: '200' });
    const { reply } = await askUntilShowing('Half an answer');
    child.kill('SIGTERM');
    expect((await exited).code).toBe(0);
    expect(fixtures.discord.messages.get(reply.id)?.content).toBe(`Half an answer\n\n${notices.interrupted}`);
    expect((await fixtures.anthropic.waitFor('clientClosed')).completed).toBe(false);
  });

  it('after a crash, the next start marks the interrupted reply instead of leaving it half done', async () => {
    fixtures.anthropic.enqueue({ deltas: ['Cut off in the middle'], fault: { kind: 'stall', afterDeltas: 1 } });
    const first = await startedBot({ LOG_LEVEL: 'debug' });
    const recorded = first.logLine('reply on record');
    const { reply } = await askUntilShowing('Cut off in the middle');
    await recorded;
    first.child.kill('SIGKILL');
    await first.exited;
    expect(fixtures.discord.messages.get(reply.id)?.content).toBe('Cut off in the middle');

    const marked = fixtures.discord.waitFor('messageUpdate', (message) => message.id === reply.id);
    await startedBot();
    expect((await marked).content).toBe(`Cut off in the middle\n\n${notices.restarted}`);
    expect(fixtures.discord.buttonsOf(reply.id)).toEqual([]);
  });

  it('after a crash before any text, the placeholder becomes the notice', async () => {
    fixtures.anthropic.enqueue({ deltas: [], fault: { kind: 'stall', afterDeltas: 0 } });
    const first = await startedBot({ LOG_LEVEL: 'debug' });
    const recorded = first.logLine('reply on record');
    const question = fixtures.discord.userSays({ content: `<@${fixtures.discord.botUser.id}> hello` });
    const placeholder = await fixtures.discord.waitFor(
      'messageCreate',
      (message) => message.referencedMessageId === question.id,
    );
    await fixtures.anthropic.waitFor('request');
    await recorded;
    first.child.kill('SIGKILL');
    await first.exited;
    expect(fixtures.discord.messages.get(placeholder.id)?.content).toBe(PLACEHOLDER);

    const marked = fixtures.discord.waitFor('messageUpdate', (message) => message.id === placeholder.id);
    await startedBot();
    expect((await marked).content).toBe(notices.restarted);
  });
});
