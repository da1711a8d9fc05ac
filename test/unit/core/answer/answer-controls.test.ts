import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createWriteBudgets } from '../../../../src/core/reply/write-budgets.js';
import { createAnswerControls } from '../../../../src/core/answer/answer-controls.js';
import type { AnswerControls, AnswerControlsDeps, PressResult } from '../../../../src/core/answer/answer-controls.js';
import type { AnswerJob } from '../../../../src/core/answer/answer-job.js';
import type { AnswerOutcome } from '../../../../src/core/answer/answer-outcome.js';
import { createAnswerRegistry } from '../../../../src/core/answer/answer-registry.js';
import type { AnswerRegistry } from '../../../../src/core/answer/answer-registry.js';
import type { RunningAnswer } from '../../../../src/core/answer/answer-state.js';
import type { Caller } from '../../../../src/core/commands/caller.js';
import { systemClock } from '../../../../src/core/ports/clock.js';
import type { Question } from '../../../../src/core/prompt/question.js';
import { view } from '../../../../src/core/reply/message-view.js';
import type { MessageView } from '../../../../src/core/reply/message-view.js';
import type { ReplyReopener } from '../../../../src/core/reply/reply-reopener.js';
import type { PostedMessage, ReplyTarget } from '../../../../src/core/reply/reply-target.js';
import { controlText, queueText } from '../../../../src/core/user-text.js';
import { queueRefusal } from '../../../../src/core/answer/queue-caps.js';

const HOUR = 3600_000;
const asker: Caller = { userId: 'asker', isModerator: false, isAdmin: false };
const bystander: Caller = { userId: 'bystander', isModerator: false, isAdmin: false };
const moderator: Caller = { userId: 'mod', isModerator: true, isAdmin: false };
const admin: Caller = { userId: 'admin', isModerator: false, isAdmin: true };

const question = (id: string, channelId = 'c1'): Question => ({
  id,
  channelId,
  authorId: asker.userId,
  text: `question ${id}`,
  remember: true,
});

let registry: AnswerRegistry;
let controls: AnswerControls;
let jobs: AnswerJob[];
/** What was done to reopened messages, in order. */
let actions: string[];

const reopen: ReplyReopener = {
  message: (locator): PostedMessage => ({
    id: locator,
    budgetKey: 'c1',
    locator,
    edit: (next: MessageView) => {
      actions.push(`edit ${locator}: ${next.content}`);
      return Promise.resolve();
    },
    delete: () => {
      actions.push(`delete ${locator}`);
      return Promise.resolve();
    },
  }),
  followUp: (channelId, next) => {
    actions.push(`follow-up in ${channelId}: ${next.content}`);
    return Promise.resolve(reopen.message(`${channelId}/new`, 'a'));
  },
};

const pressTarget = (): ReplyTarget => ({
  channelId: 'c1',
  start: () => Promise.reject(new Error('the press target is not used here')),
  followUp: () => Promise.reject(new Error('the press target is not used here')),
});

// Controls over this file's registry, recording the runs they start.
function controlsWith(extra: Partial<AnswerControlsDeps>) {
  return createAnswerControls({
    answers: registry,
    start: (job) => {
      jobs.push(job);
      return { answering: Promise.resolve(null) };
    },
    reopen,
    clock: systemClock,
    budgets: createWriteBudgets({ limit: 5, windowMs: 5000, reserve: 1, clock: systemClock }),
    ...extra,
  });
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
  registry = createAnswerRegistry({ clock: systemClock, forgetAfterMs: 24 * HOUR });
  jobs = [];
  actions = [];
  controls = controlsWith({});
});
afterEach(() => {
  vi.useRealTimers();
});

function running(id: string, controller = new AbortController()): RunningAnswer {
  const { answer } = registry.add(question(id), controller);
  registry.started(answer);
  return answer;
}

function ended(id: string, outcome: AnswerOutcome = 'complete', editableUntil: number | null = null) {
  const answer = running(id);
  registry.ending(answer);
  registry.ended(answer, {
    question: question(id),
    outcome,
    answerText: `answer ${id}`,
    locators: [`${id}/1`, `${id}/2`],
    lastView: view(`answer ${id}`, ['regenerate']),
    editableUntil,
  });
}

const refusal = (result: PressResult) => (result.kind === 'refused' ? result.reason : null);

describe('Stop', () => {
  it('stops a streaming answer for its asker, a moderator or an admin, naming who stopped it', async () => {
    for (const caller of [asker, moderator, admin]) {
      const controller = new AbortController();
      running(`a-${caller.userId}`, controller);
      expect(await controls.press('stop', `a-${caller.userId}`, caller, pressTarget)).toEqual({ kind: 'done' });
      expect(controller.signal.reason).toEqual({ cause: 'stopped', by: caller.userId });
    }
  });

  it('refuses a bystander and leaves the answer running', async () => {
    const controller = new AbortController();
    running('a', controller);
    expect(refusal(await controls.press('stop', 'a', bystander, pressTarget))).toBe(controlText.notAllowedToStop);
    expect(controller.signal.aborted).toBe(false);
  });

  it('says an answer that is ending, has ended or is unknown has finished', async () => {
    const answer = running('ending');
    registry.ending(answer);
    ended('done');
    for (const id of ['ending', 'done', 'unknown']) {
      expect(refusal(await controls.press('stop', id, asker, pressTarget))).toBe(controlText.finished);
    }
  });

  it('/stop stops the answer holding the channel, or says nothing streams', () => {
    expect(refusal(controls.stopInChannel('c1', asker))).toBe(controlText.nothingStreaming);
    const controller = new AbortController();
    running('a', controller);
    expect(controls.stopInChannel('c1', asker)).toEqual({ kind: 'done' });
    expect(controller.signal.aborted).toBe(true);
  });
});

describe('Regenerate and Continue', () => {
  it('refuse while the answer runs, on an older answer, and for a bystander', async () => {
    running('a');
    expect(refusal(await controls.press('regenerate', 'a', asker, pressTarget))).toBe(controlText.busy);
    running('b'); // a is no longer the channel's latest
    expect(refusal(await controls.press('regenerate', 'a', asker, pressTarget))).toBe(controlText.notLatest);
    ended('c');
    expect(refusal(await controls.press('regenerate', 'c', bystander, pressTarget))).toBe(controlText.notAllowed);
    expect(jobs).toEqual([]);
  });

  it('explain themselves on an answer the bot forgot (restart, or a day after it ended)', async () => {
    expect(refusal(await controls.press('regenerate', 'never-seen', asker, pressTarget))).toBe(
      controlText.unknownButton,
    );
    ended('a', 'max_tokens');
    vi.advanceTimersByTime(24 * HOUR);
    expect(refusal(await controls.press('regenerate', 'a', asker, pressTarget))).toBe(controlText.unknownButton);
    expect(refusal(await controls.press('continue', 'a', asker, pressTarget))).toBe(controlText.unknownButton);
    expect(jobs).toEqual([]);
  });

  it('continues an answer cut at max_tokens from what it said, in the press’s own reply', async () => {
    ended('a');
    expect(refusal(await controls.press('continue', 'a', asker, pressTarget))).toBe(controlText.notContinuable);
    ended('b', 'max_tokens');
    const result = await controls.press('continue', 'b', moderator, pressTarget);
    expect(result).toMatchObject({ kind: 'answering', inNewMessage: true });
    expect(jobs).toEqual([expect.objectContaining({ question: question('b'), prior: 'answer b' })]);
  });

  it('regenerates in the old reply’s first message, deleting the rest, going on in the channel', async () => {
    ended('a');
    const result = await controls.press('regenerate', 'a', asker, pressTarget);
    expect(result).toMatchObject({ kind: 'answering', inNewMessage: false });
    const [job] = jobs;
    expect(job).toMatchObject({ question: question('a'), reusesMessages: true });
    const first = await job?.target.start(view('…', ['stop']));
    await job?.target.followUp(view('more', []));
    expect(first?.locator).toBe('a/1');
    expect(actions).toEqual(['edit a/1: …', 'delete a/2', 'follow-up in c1: more']);
  });

  it('regenerates in the press’s own reply once the old messages can no longer be edited', async () => {
    ended('a', 'complete', 15 * 60_000);
    vi.advanceTimersByTime(15 * 60_000);
    const target = pressTarget();
    expect(await controls.press('regenerate', 'a', asker, () => target)).toMatchObject({ inNewMessage: true });
    expect(jobs[0]).toMatchObject({ target, reusesMessages: false });
  });

  it('are refused by the queue caps like a new question, and start nothing', async () => {
    const caps = { perChannel: 0, perUser: undefined };
    const capped = controlsWith({ refusal: (q) => Promise.resolve(queueRefusal(registry, q, caps)) });
    ended('a', 'max_tokens');
    // A private question (not the channel's latest) holds the channel: a new run would have to wait.
    registry.add({ ...question('private'), remember: false }, new AbortController());
    expect(refusal(await capped.press('regenerate', 'a', asker, pressTarget))).toBe(queueText.channelBusy);
    expect(refusal(await capped.press('continue', 'a', asker, pressTarget))).toBe(queueText.channelBusy);
    expect(jobs).toEqual([]);
  });
});
