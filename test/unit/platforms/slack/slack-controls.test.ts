import type { BlockAction, ButtonAction, webApi } from '@slack/bolt';
import { describe, expect, it, vi } from 'vitest';
import type { AnswerControls, PressResult } from '../../../../src/core/answer/answer-controls.js';
import type { Logger } from '../../../../src/core/ports/logger.js';
import { createWriteBudgets } from '../../../../src/core/reply/write-budgets.js';
import { controlText } from '../../../../src/core/user-text.js';
import { pressButton, pressOf } from '../../../../src/platforms/slack/slack-controls.js';
import type { SlackControlsDeps, SlackPress } from '../../../../src/platforms/slack/slack-controls.js';
import { createStreamingSupport } from '../../../../src/platforms/slack/streaming-support.js';

const ANSWER_ID = 'slack:T1:C1:1700000000.000100';
const THREAD = { teamId: 'T1', channel: 'C1', threadTs: '1700000000.000100' };
const silent: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

function depsWith(result: PressResult, adminIds: string[] = []) {
  const ephemerals: Record<string, unknown>[] = [];
  const client = {
    chat: {
      postEphemeral: (args: Record<string, unknown>) => {
        ephemerals.push(args);
        return Promise.resolve({ ok: true });
      },
    },
  } as unknown as webApi.WebClient;
  const press = vi.fn<AnswerControls['press']>(() => Promise.resolve(result));
  const controls: AnswerControls = { press, stopInChannel: () => result };
  const budgets = createWriteBudgets({
    limit: 50,
    windowMs: 60_000,
    reserve: 1,
    clock: { now: () => 0, elapsed: () => 0 },
  });
  const deps: SlackControlsDeps = {
    controls,
    reply: { client, budgets, streaming: createStreamingSupport(), logger: silent },
    adminIds: new Set(adminIds),
    logger: silent,
    accepting: () => true,
  };
  return { deps, ephemerals, press };
}

const pressed = (actionId: string, userId = 'U1'): SlackPress => ({
  actionId,
  value: ANSWER_ID,
  userId,
  thread: THREAD,
});

describe('pressButton', () => {
  it('hands the control, the answer and the presser to the core; an admin is an admin, nobody a moderator', async () => {
    const { deps, press } = depsWith({ kind: 'done' }, ['U9']);
    await pressButton(pressed('streamcord:stop', 'U9'), deps);
    expect(press).toHaveBeenCalledWith(
      'stop',
      ANSWER_ID,
      { userId: 'U9', isModerator: false, isAdmin: true },
      expect.any(Function),
    );
    await pressButton(pressed('streamcord:regenerate', 'U2'), deps);
    expect(press.mock.calls[1]?.slice(0, 3)).toEqual([
      'regenerate',
      ANSWER_ID,
      { userId: 'U2', isModerator: false, isAdmin: false },
    ]);
  });

  it('tells a refusal to the presser alone, in the thread, mentions neutralised', async () => {
    const { deps, ephemerals } = depsWith({ kind: 'refused', reason: 'No, <!channel>.' });
    await pressButton(pressed('streamcord:stop', 'U2'), deps);
    expect(ephemerals).toEqual([
      { channel: 'C1', thread_ts: THREAD.threadTs, user: 'U2', markdown_text: 'No, <\u2060!channel>.' },
    ]);
  });

  it('sends Show reasoning privately, one ephemeral message per piece', async () => {
    const { deps, ephemerals } = depsWith({ kind: 'private', messages: ['-# heading', 'thought'] });
    await pressButton(pressed('streamcord:reasoning'), deps);
    expect(ephemerals.map((message) => message['markdown_text'])).toEqual(['_heading_', 'thought']);
  });

  it('answers a button that is not ours (or has lost its answer) with an explanation, without the core', async () => {
    const { deps, ephemerals, press } = depsWith({ kind: 'done' });
    await pressButton({ ...pressed('streamcord:stop'), value: undefined }, deps);
    expect(press).not.toHaveBeenCalled();
    expect(ephemerals.map((message) => message['markdown_text'])).toEqual([controlText.unknownButton]);
  });

  it('waits for the answer a press started', async () => {
    let finish: () => void = () => {};
    const answering = new Promise<null>((resolve) => (finish = () => resolve(null)));
    const { deps } = depsWith({ kind: 'answering', inNewMessage: true, answering });
    let done = false;
    const pressing = pressButton(pressed('streamcord:continue'), deps).then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    finish();
    await pressing;
    expect(done).toBe(true);
  });
});

describe('pressOf', () => {
  const action = { action_id: 'streamcord:stop', value: ANSWER_ID } as ButtonAction;
  const body = (container: Record<string, unknown>) =>
    ({
      user: { id: 'U1', username: 'u' },
      team: { id: 'T1', domain: 'd' },
      channel: { id: 'C1', name: 'c' },
      container,
    }) as unknown as BlockAction;

  it('finds the thread the pressed message is in', () => {
    expect(pressOf(body({ message_ts: '2.0', thread_ts: '1.0', channel_id: 'C1' }), action)).toEqual({
      actionId: 'streamcord:stop',
      value: ANSWER_ID,
      userId: 'U1',
      thread: { teamId: 'T1', channel: 'C1', threadTs: '1.0' },
    });
  });

  it('takes a message outside a thread as the thread’s parent', () => {
    expect(pressOf(body({ message_ts: '2.0', channel_id: 'C1' }), action).thread?.threadTs).toBe('2.0');
  });
});
