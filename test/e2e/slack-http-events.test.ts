import { describe, expect, it } from 'vitest';
import { deliverOverHttp } from '../fakes/slack/http-delivery.js';
import type { HttpEventsTarget } from '../fakes/fake-slack.js';
import { spawnBot } from './bot-process.js';
import type { BotProcess } from './bot-process.js';
import { slackProcessFixtures } from './slack-process.js';

// Slack's Events API over HTTP instead of Socket Mode (SLACK_SIGNING_SECRET): the bot as a process
// listens on SLACK_PORT, and the fake Slack signs and POSTs its requests there, retries included.

const fixtures = slackProcessFixtures();
const SIGNING_SECRET = 'test-signing-secret-8f2a';
const ANSWER = ['Over ', 'HTTP ', 'it ', 'streams ', 'all ', 'the ', 'same.'];

async function httpBot(): Promise<{ bot: BotProcess; target: HttpEventsTarget }> {
  const bot = spawnBot(fixtures.botEnv({ SLACK_APP_TOKEN: '', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_PORT: '0' }));
  const connected = await bot.logLine('connected to Slack');
  expect(connected.path).toBe('/slack/events');
  const target = { url: `http://127.0.0.1:${String(connected.port)}/slack/events`, signingSecret: SIGNING_SECRET };
  fixtures.slack.useHttpEvents(target);
  return { bot, target };
}

describe('Slack over HTTP (Events API)', () => {
  it('answers a mention delivered over HTTP, acked at once, streamed natively', async () => {
    const { slack, anthropic } = fixtures;
    anthropic.enqueue({ deltas: ANSWER, delayMs: 30 });
    await httpBot();
    const stopped = slack.waitFor('streamStopped');
    const { message: question, envelope } = slack.userMentions({ text: 'Does HTTP work?' });

    expect(envelope.transport).toBe('http');
    expect((await slack.waitForAck(envelope.envelopeId)).httpStatus).toBe(200);
    const answer = await stopped;
    expect(answer.threadTs).toBe(question.ts);
    expect(answer.content.markdownText).toBe(ANSWER.join(''));
    expect(JSON.stringify(anthropic.requests[0]?.body.messages)).toContain('Does HTTP work?');
  });

  it('answers a retried event once: the same event_id asks Claude and streams one time only', async () => {
    const { anthropic } = fixtures;
    anthropic.enqueue({ deltas: ANSWER, delayMs: 30 }, { text: 'The follow-up.' });
    await httpBot();
    const again = await redeliveredOnce();
    expect(again.retryAttempt).toBe(1);
    expect(again.httpStatus).toBe(200);
  });

  it('refuses a request with a bad signature (401), logs why without the secret, and answers nothing', async () => {
    const { slack, anthropic } = fixtures;
    anthropic.enqueue({ text: 'Only the signed one.' });
    const { bot, target } = await httpBot();
    slack.useHttpEvents({ ...target, signingSecret: 'not-the-secret' });
    const warned = bot.logLine('slack client');
    const { envelope: forged } = slack.userMentions({ text: 'Forged' });
    expect((await slack.waitForAck(forged.envelopeId)).httpStatus).toBe(401);
    const warning = JSON.stringify(await warned);
    expect(warning).toContain('signature mismatch');
    expect(warning).not.toContain(SIGNING_SECRET);

    // The next, signed request is the only one answered.
    slack.useHttpEvents(target);
    const stopped = slack.waitFor('streamStopped');
    slack.userMentions({ text: 'Signed' });
    expect((await stopped).content.markdownText).toBe('Only the signed one.');
    expect(anthropic.requests).toHaveLength(1);
    expect(JSON.stringify(anthropic.requests[0]?.body.messages)).not.toContain('Forged');
    expect(slack.callsOf('chat.startStream')).toHaveLength(1);
  });

  it('answers Slack’s URL verification challenge', async () => {
    const { target } = await httpBot();
    const challenge = { token: 'verification-token', challenge: 'c0ffee-challenge', type: 'url_verification' };
    const answer = await deliverOverHttp(target, 'events_api', challenge, undefined);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ challenge: 'c0ffee-challenge' });
  });

  it('stops listening on SIGTERM and exits cleanly', async () => {
    const { bot, target } = await httpBot();
    bot.child.kill('SIGTERM');
    expect((await bot.exited).code).toBe(0);
    await expect(fetch(target.url, { method: 'POST' })).rejects.toThrow();
  });
});

describe('Slack in Socket Mode', () => {
  it('answers a redelivered envelope (retry_attempt) once', async () => {
    const { anthropic } = fixtures;
    anthropic.enqueue({ deltas: ANSWER, delayMs: 30 }, { text: 'The follow-up.' });
    const bot = spawnBot(fixtures.botEnv());
    await bot.logLine('connected to Slack');
    await redeliveredOnce();
  });
});

/**
 * A mention, delivered again while its answer streams (Slack missed the ack, say), then a follow-up
 * in the thread: Claude is asked twice in all and two streams start — the redelivery added nothing.
 */
async function redeliveredOnce() {
  const { slack, anthropic } = fixtures;
  const firstStopped = slack.waitFor('streamStopped');
  const { message: question, envelope } = slack.userMentions({ text: 'Once, please' });
  await slack.waitForAck(envelope.envelopeId);
  const again = slack.redeliver(envelope.envelopeId);
  const ack = await slack.waitForAck(again.envelopeId);
  await firstStopped;

  // A follow-up in the same thread waits its turn behind anything the redelivery had queued there.
  const followUp = slack.waitFor('streamStopped', (message) => message.content.markdownText === 'The follow-up.');
  slack.userMentions({ text: 'And then?', threadTs: question.ts });
  await followUp;
  expect(anthropic.requests).toHaveLength(2);
  expect(slack.callsOf('chat.startStream')).toHaveLength(2);
  expect(JSON.stringify(anthropic.requests[1]?.body.messages)).toContain('And then?');
  return { retryAttempt: again.retryAttempt, httpStatus: ack.httpStatus };
}
