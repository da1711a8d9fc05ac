import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAnswerRegistry } from '../../../../src/core/answer/answer-registry.js';
import type { AnswerRegistry } from '../../../../src/core/answer/answer-registry.js';
import type { EndedAnswer, RunningAnswer } from '../../../../src/core/answer/answer-state.js';
import { systemClock } from '../../../../src/core/ports/clock.js';
import type { Question } from '../../../../src/core/prompt/question.js';

const HOUR = 3600_000;

const question = (id: string, channelId = 'c1', remember = true): Question => ({
  id,
  channelId,
  authorId: 'u1',
  text: `question ${id}`,
  remember,
});

const facts = (q: Question, locators: string[] = [`${q.id}/reply`]): EndedAnswer => ({
  question: q,
  outcome: 'complete',
  answerText: `answer ${q.id}`,
  locators,
  lastView: { content: `answer ${q.id}`, controls: ['regenerate'] },
  editableUntil: null,
});

let registry: AnswerRegistry;

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
  registry = createAnswerRegistry({ clock: systemClock, forgetAfterMs: 24 * HOUR });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Adds an answer and runs it to its end, as the pipeline does. */
function answered(q: Question, locators?: string[]): RunningAnswer {
  const { answer } = registry.add(q, new AbortController());
  registry.started(answer);
  registry.ending(answer);
  registry.ended(answer, facts(q, locators));
  return answer;
}

describe('an answer’s lifecycle', () => {
  it('goes queued → streaming → ending → ended, as the pipeline says', () => {
    const q = question('a');
    const { answer } = registry.add(q, new AbortController());
    const states = [registry.get('a')?.state];
    registry.started(answer);
    states.push(registry.get('a')?.state);
    registry.ending(answer);
    states.push(registry.get('a')?.state);
    registry.ended(answer, facts(q));
    states.push(registry.get('a')?.state);
    expect(states).toEqual(['queued', 'streaming', 'ending', 'ended']);
  });

  it('ignores moves the lifecycle does not allow', () => {
    const q = question('a');
    const { answer } = registry.add(q, new AbortController());
    registry.ending(answer); // stopped while queued: it never streamed
    registry.started(answer);
    expect(registry.get('a')?.state).toBe('ending');
    registry.ended(answer, facts(q));
    registry.ended(answer, null); // the pipeline's safety net after a normal end
    registry.ending(answer);
    expect(registry.get('a')?.state).toBe('ended');
    expect(registry.get('a')?.ended).toEqual(facts(q));
  });

  it('says which answer holds a channel while it streams and ends, and whether the channel is busy', () => {
    const a = registry.add(question('a'), new AbortController()).answer;
    const b = registry.add(question('b'), new AbortController()).answer;
    expect(registry.holding('c1')).toBeUndefined();
    expect(registry.busy('c1')).toBe(true);
    registry.started(a);
    expect(registry.holding('c1')?.question.id).toBe('a');
    registry.ending(a);
    expect(registry.holding('c1')?.question.id).toBe('a');
    registry.ended(a, facts(question('a')));
    expect(registry.holding('c1')).toBeUndefined();
    expect(registry.busy('c1')).toBe(true); // b still waits
    registry.ending(b);
    registry.ended(b, facts(question('b')));
    expect(registry.busy('c1')).toBe(false);
    expect(registry.busy('c2')).toBe(false);
  });

  it('stops an answer that has not ended, with the reason given, and not one that has', () => {
    const controller = new AbortController();
    const { answer } = registry.add(question('a'), controller);
    expect(registry.stop('a', { cause: 'stopped', by: 'u2' })).toBe(true);
    expect(controller.signal.reason).toEqual({ cause: 'stopped', by: 'u2' });
    registry.ended(answer, facts(question('a')));
    expect(registry.stop('a', { cause: 'deleted' })).toBe(false);
    expect(registry.stop('unknown', { cause: 'deleted' })).toBe(false);
  });

  it('stops every running answer at once', () => {
    const controllers = [new AbortController(), new AbortController()];
    registry.add(question('a', 'c1'), controllers[0]!);
    registry.add(question('b', 'c2'), controllers[1]!);
    registry.stopAll({ cause: 'shutdown' });
    expect(controllers.map((controller): unknown => controller.signal.reason)).toEqual([
      { cause: 'shutdown' },
      { cause: 'shutdown' },
    ]);
  });
});

describe('counting the answers running now', () => {
  it('counts queued answers apart from those holding their channel (streaming or ending)', () => {
    expect(registry.counts()).toEqual({ queued: 0, streaming: 0 });
    const first = registry.add(question('a'), new AbortController()).answer;
    const second = registry.add(question('b'), new AbortController()).answer;
    registry.add(question('c', 'c2'), new AbortController());
    registry.started(first);
    expect(registry.counts()).toEqual({ queued: 2, streaming: 1 });

    registry.ending(first);
    expect(registry.counts()).toEqual({ queued: 2, streaming: 1 });
    registry.ended(first, facts(first.question));
    registry.started(second);
    expect(registry.counts()).toEqual({ queued: 1, streaming: 1 });
    registry.ended(second, null);
    answered(question('d', 'c3'));
    expect(registry.counts()).toEqual({ queued: 1, streaming: 0 });
  });
});

describe('what an ended answer leaves behind', () => {
  it('keeps the channel’s latest answer, as its facts only', () => {
    answered(question('a'));
    const kept = registry.get('a');
    expect(kept?.ended).toEqual(facts(question('a')));
    // Plain data: nothing of the platform, nothing that holds memory beyond the strings.
    expect(JSON.parse(JSON.stringify(kept?.ended))).toEqual(kept?.ended);
    expect(registry.isLatest('a')).toBe(true);
  });

  it('forgets an answer once a newer one arrives in its channel, handing it back for its buttons', () => {
    answered(question('a'));
    const { displaced } = registry.add(question('b'), new AbortController());
    expect(displaced).toEqual(facts(question('a')));
    expect(registry.get('a')).toBeUndefined();
    expect(registry.isLatest('b')).toBe(true);
  });

  it('keeps an older answer still running until it ends, then forgets it without buttons to take', () => {
    const a = registry.add(question('a'), new AbortController()).answer;
    const { displaced } = registry.add(question('b'), new AbortController());
    expect(displaced).toBeUndefined();
    expect(registry.isLatest('a')).toBe(false);
    registry.ended(a, facts(question('a')));
    expect(registry.get('a')).toBeUndefined();
    expect(registry.size).toBe(1);
  });

  it('never keeps a private answer, which is no channel’s latest', () => {
    const { answer } = registry.add(question('a', 'c1', false), new AbortController());
    answered(question('b'));
    expect(registry.isLatest('a')).toBe(false);
    registry.ended(answer, facts(question('a', 'c1', false)));
    expect(registry.get('a')).toBeUndefined();
    expect(registry.isLatest('b')).toBe(true);
  });

  it('keeps nothing of an answer that ended with nothing to keep', () => {
    const { answer } = registry.add(question('a'), new AbortController());
    registry.ended(answer, null);
    expect(registry.get('a')).toBeUndefined();
    expect(registry.size).toBe(0);
  });

  it('hands back the earlier run when an answer runs again (Regenerate, Continue)', () => {
    answered(question('a'), ['a/first', 'a/second']);
    registry.posted(registry.get('a')!, 'a-reply-1');
    const { answer, displaced } = registry.add(question('a'), new AbortController());
    expect(displaced?.locators).toEqual(['a/first', 'a/second']);
    expect(registry.get('a')?.state).toBe('queued');
    // The earlier run's messages are the new run's business now: deleting them stops nothing.
    expect(registry.byMessage('a-reply-1')).toBeUndefined();
    expect(registry.byMessage('a')).toBe(answer);
  });

  it('forgets an ended answer on request, and the channel’s latest for a reset', () => {
    answered(question('a', 'c1'));
    answered(question('b', 'c2'));
    expect(registry.forget('a')?.question.id).toBe('a');
    expect(registry.forgetLatest('c2')?.question.id).toBe('b');
    expect(registry.size).toBe(0);
    // A running answer is not forgotten: it ends first.
    registry.add(question('c', 'c3'), new AbortController());
    expect(registry.forgetLatest('c3')).toBeUndefined();
    expect(registry.forget('c')).toBeUndefined();
    expect(registry.get('c')?.state).toBe('queued');
  });
});

describe('forgetting after a while', () => {
  it('forgets the channel’s latest answer once `forgetAfterMs` has passed since it ended', () => {
    answered(question('a'));
    vi.advanceTimersByTime(24 * HOUR - 1);
    expect(registry.get('a')?.state).toBe('ended');
    vi.advanceTimersByTime(1);
    expect(registry.get('a')).toBeUndefined();
    expect(registry.isLatest('a')).toBe(false);
    expect(registry.byMessage('a')).toBeUndefined();
    expect(registry.size).toBe(0);
  });

  it('counts from the end of each answer, and never forgets one still running', () => {
    answered(question('a', 'c1'));
    vi.advanceTimersByTime(12 * HOUR);
    answered(question('b', 'c2'));
    const { answer: running } = registry.add(question('c', 'c3'), new AbortController());
    vi.advanceTimersByTime(12 * HOUR);
    expect(registry.get('a')).toBeUndefined();
    expect(registry.get('b')?.state).toBe('ended');
    vi.advanceTimersByTime(12 * HOUR);
    expect(registry.get('b')).toBeUndefined();
    expect(registry.get('c')).toBe(running);
  });

  it('stays bounded by the answers of the last `forgetAfterMs` however many channels it saw', () => {
    for (let hour = 0; hour < 100; hour += 1) {
      answered(question(`q${hour}`, `channel-${hour}`));
      vi.advanceTimersByTime(HOUR);
    }
    expect(registry.size).toBe(24);
  });
});

describe('finding an answer by a deleted message', () => {
  it('finds it by its question or any message its reply posted', () => {
    const { answer } = registry.add(question('a'), new AbortController());
    registry.posted(answer, 'm1');
    registry.posted(answer, 'm2');
    registry.posted(answer, 'm2');
    expect(['a', 'm1', 'm2', 'other'].map((id) => registry.byMessage(id)?.question.id)).toEqual([
      'a',
      'a',
      'a',
      undefined,
    ]);
  });

  it('drops an answer’s messages from the map when it is forgotten', () => {
    const { answer } = registry.add(question('a'), new AbortController());
    registry.posted(answer, 'm1');
    registry.started(answer);
    registry.ending(answer);
    registry.ended(answer, facts(question('a')));
    expect(registry.byMessage('m1')?.state).toBe('ended');
    registry.add(question('b'), new AbortController());
    expect(registry.byMessage('m1')).toBeUndefined();
    expect(registry.byMessage('a')).toBeUndefined();
  });

  it('finds each of thousands of answers by its message directly', () => {
    for (let index = 0; index < 5000; index += 1) {
      const { answer } = registry.add(question(`q${index}`, `channel-${index}`), new AbortController());
      registry.posted(answer, `reply-${index}`);
    }
    expect(registry.byMessage('reply-4321')?.question.id).toBe('q4321');
    expect(registry.byMessage('q17')?.question.id).toBe('q17');
  });
});
