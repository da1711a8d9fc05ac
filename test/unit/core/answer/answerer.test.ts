import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../../../src/core/ports/clock.js';
import { createAnswerer } from '../../../../src/core/answer/answerer.js';
import type { Answerer, AnswererDeps, AnswerReport } from '../../../../src/core/answer/answerer.js';
import { createWriteBudgets } from '../../../../src/core/reply/write-budgets.js';
import { ModelError } from '../../../../src/core/ports/model.js';
import type { ChatModel, ModelRequest, StopReason } from '../../../../src/core/ports/model.js';
import { view } from '../../../../src/core/reply/message-view.js';
import type { MessageView } from '../../../../src/core/reply/message-view.js';
import type { ReplyReopener } from '../../../../src/core/reply/reply-reopener.js';
import type { PostedMessage, ReplyTarget } from '../../../../src/core/reply/reply-target.js';
import {
  PLACEHOLDER,
  attachmentNotice,
  failureNotice,
  failureText,
  notices,
  queueText,
} from '../../../../src/core/user-text.js';
import { ForbiddenError } from '../../../../src/core/reply/platform-errors.js';
import type { PlatformErrorKind } from '../../../../src/core/reply/platform-errors.js';
import type { RefusalReason } from '../../../../src/core/ports/telemetry.js';
import { createTokenEstimator } from '../../../../src/core/prompt/token-estimator.js';
import { createMemoryStorage } from '../../../../src/storage/memory-storage.js';
import type { QuestionAttachment } from '../../../../src/core/prompt/attachment.js';
import { AttachmentDownloadError } from '../../../../src/core/prompt/attachment-problem.js';

let lastId = 0;
const nextId = () => `q${(lastId += 1)}`;

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

interface Script {
  deltas: string[];
  everyMs?: number;
  stopReason?: StopReason;
  failAfter?: ModelError; // thrown after the deltas
  stall?: boolean; // after the deltas, never ends unless aborted
  requestId?: string;
}

// A model that plays scripts on (fake) timers and records what it was asked.
function scriptedModel(scripts: Script[]) {
  const requests: ModelRequest[] = [];
  const model: ChatModel = {
    async stream(request, handlers, signal) {
      requests.push(request);
      const script = scripts.shift() ?? { deltas: ['ok'] };
      let text = '';
      for (const delta of script.deltas) {
        await waitOrAbort(script.everyMs ?? 10, signal);
        text += delta;
        handlers.onText(delta, text);
      }
      if (script.stall) await waitOrAbort(Number.MAX_SAFE_INTEGER / 2, signal);
      if (script.failAfter) throw script.failAfter;
      const usage = { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheCreationTokens: 0 };
      const called = { model: request.model ?? 'default-model', requestId: script.requestId ?? 'req_test' };
      return { text, stopReason: script.stopReason ?? 'end_turn', usage, ...called };
    },
    countTokens: () => Promise.resolve(0),
  };
  return { model, requests };
}

function waitOrAbort(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new ModelError('aborted', 'aborted'));
    };
    const timer = setTimeout(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.min(ms, 2 ** 31 - 1),
    );
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

// Every message the targets of a test posted, by locator: what the reopener finds again.
const posted = new Map<string, PostedMessage>();
let lastTarget = 0;

const reopen: ReplyReopener = {
  message(locator) {
    const message = posted.get(locator);
    if (!message) throw new Error(`no message ${locator}`);
    return message;
  },
  followUp: (channelId, view) => memoryTarget(channelId).target.start(view),
};

// A reply target that keeps messages in memory.
function memoryTarget(channelId = 'c1', deadline?: ReplyTarget['deadline'], finalEditGate?: Promise<void>) {
  const messages: string[] = [];
  const views: MessageView[] = [];
  const targetNo = (lastTarget += 1);
  const target: ReplyTarget = {
    channelId,
    ...(deadline ? { deadline } : {}),
    start: (content) => post(content),
    followUp: (content) => post(content),
  };
  function post(first: MessageView) {
    const index = messages.push(first.content) - 1;
    views[index] = first;
    const message: PostedMessage = {
      id: `${channelId}-t${targetNo}-m${index}`,
      budgetKey: channelId,
      locator: `${channelId}/${targetNo}/${index}`,
      edit: async (next: MessageView) => {
        // The final edit (no Stop button any more) may be held back by the test.
        if (finalEditGate && !next.controls.includes('stop')) await finalEditGate;
        messages[index] = next.content;
        views[index] = next;
      },
      delete: () => {
        messages.splice(index, 1);
        return Promise.resolve();
      },
    };
    posted.set(message.locator, message);
    return Promise.resolve(message);
  }
  return { target, messages, views };
}

function setup(scripts: Script[], idleTimeoutMs = 5000, extra: Partial<AnswererDeps> = {}) {
  const { model, requests } = scriptedModel(scripts);
  const reports: AnswerReport[] = [];
  const storage = createMemoryStorage({ keep: 10 });
  const answerer = createAnswerer({
    model,
    storage,
    owner: 'test',
    estimator: createTokenEstimator(),
    budgets: createWriteBudgets({ limit: 5, windowMs: 5000, reserve: 1, clock: systemClock }),
    logger: silent,
    clock: systemClock,
    history: { maxTurns: 10, maxTokens: 10_000 },
    system: 'be brief',
    maxTokens: 100,
    idleTimeoutMs,
    usageFooter: false,
    reopen,
    onAnswered: (report) => reports.push(report),
    ...extra,
  });
  const ask = async (text: string, target: ReplyTarget) => {
    const answering = answerer.answer(
      { id: nextId(), channelId: target.channelId, authorId: 'u', text, remember: true },
      target,
    );
    await vi.advanceTimersByTimeAsync(60_000);
    return answering;
  };
  return { answerer, requests, reports, ask, storage };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createAnswerer', () => {
  it('shows exactly the answer at the end and reports usage and time to first token', async () => {
    const { ask, reports, requests } = setup([{ deltas: ['Hel', 'lo', ' there'], everyMs: 100 }]);
    const { target, messages } = memoryTarget();
    await ask('hi', target);
    expect(messages).toEqual(['Hello there']);
    expect(requests[0]).toMatchObject({
      system: 'be brief',
      maxTokens: 100,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(reports[0]).toMatchObject({ outcome: 'complete', inputTokens: 10, outputTokens: 5, ttftMs: 100 });
  });

  it('sends the channel history with the next question, and keeps channels apart', async () => {
    const { ask, requests } = setup([{ deltas: ['Paris'] }, { deltas: ['2M'] }, { deltas: ['?'] }]);
    await ask('capital of France?', memoryTarget('c1').target);
    await ask('population?', memoryTarget('c1').target);
    await ask('population?', memoryTarget('c2').target);
    expect(requests[1]?.messages).toEqual([
      { role: 'user', content: 'capital of France?' },
      { role: 'assistant', content: 'Paris' },
      { role: 'user', content: 'population?' },
    ]);
    expect(requests[2]?.messages).toEqual([{ role: 'user', content: 'population?' }]);
  });

  it('runs two questions in one channel one after the other, the second seeing the first answer', async () => {
    const { answerer, requests } = setup([{ deltas: ['first'], everyMs: 1000 }, { deltas: ['second'] }]);
    const one = memoryTarget('c1');
    const two = memoryTarget('c1');
    const first = answerer.answer(
      { id: nextId(), channelId: 'c1', authorId: 'u', text: 'q1', remember: true },
      one.target,
    );
    const second = answerer.answer(
      { id: nextId(), channelId: 'c1', authorId: 'u', text: 'q2', remember: true },
      two.target,
    );
    await vi.advanceTimersByTimeAsync(10);
    // Both replies are posted at once; only the first is being answered.
    expect(one.messages).toEqual([PLACEHOLDER]);
    expect(two.messages).toEqual([PLACEHOLDER]);
    expect(requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(5000);
    await Promise.all([first, second]);
    expect(requests[1]?.messages.map((message) => message.content)).toEqual(['q1', 'first', 'q2']);
    expect(two.messages).toEqual(['second']);
  });

  it('adds a notice when the answer hit max_tokens', async () => {
    const { ask, reports } = setup([{ deltas: ['long', ' answer'], stopReason: 'max_tokens' }]);
    const { target, messages } = memoryTarget();
    await ask('q', target);
    expect(messages).toEqual([`long answer\n\n${notices.maxTokens}`]);
    expect(reports[0]?.outcome).toBe('max_tokens');
  });

  it('keeps the partial text and adds a notice when the stream fails midway', async () => {
    const { ask } = setup([{ deltas: ['partial'], failAfter: new ModelError('overloaded', 'Overloaded') }]);
    const { target, messages } = memoryTarget();
    await ask('q', target);
    expect(messages[0]).toMatch(/^partial\n\n-# ⚠️ Claude is overloaded/);
  });

  it('explains a failure before any text instead of leaving the placeholder', async () => {
    const { ask, reports } = setup([{ deltas: [], failAfter: new ModelError('authentication', '401') }]);
    const { target, messages } = memoryTarget();
    await ask('q', target);
    expect(messages).toEqual([failureText('authentication')]);
    expect(reports[0]).toMatchObject({ outcome: 'failed', failure: 'authentication' });
  });

  it('aborts a stream that goes silent and says so', async () => {
    const { ask, reports } = setup([{ deltas: ['so far'], stall: true }], 3000);
    const { target, messages } = memoryTarget();
    await ask('q', target);
    expect(messages).toEqual([`so far\n\n${notices.idle}`]);
    expect(reports[0]?.outcome).toBe('idle');
    expect(reports[0]?.durationMs).toBe(3010);
  });

  it('says so when the answer is empty', async () => {
    const { ask } = setup([{ deltas: [] }]);
    const { target, messages } = memoryTarget();
    await ask('q', target);
    expect(messages).toEqual([notices.empty]);
  });

  it('continues a long answer in follow-up messages', async () => {
    const words = Array.from({ length: 1200 }, (_, index) => `word${index}`);
    const { ask } = setup([{ deltas: words.map((word) => `${word} `), everyMs: 1 }]);
    const { target, messages } = memoryTarget();
    await ask('q', target);
    expect(messages.length).toBeGreaterThan(1);
    expect(messages.join(' ').trim().split(/\s+/)).toEqual(words);
  });

  it('ends running and waiting answers with a notice on shutdown', async () => {
    const { answerer } = setup([{ deltas: ['half'], stall: true }, { deltas: ['never'] }], 60_000);
    const one = memoryTarget('c1');
    const two = memoryTarget('c1');
    const answers = Promise.all([
      answerer.answer({ id: nextId(), channelId: 'c1', authorId: 'u', text: 'q1', remember: true }, one.target),
      answerer.answer({ id: nextId(), channelId: 'c1', authorId: 'u', text: 'q2', remember: true }, two.target),
    ]);
    await vi.advanceTimersByTimeAsync(100);
    answerer.abortAll({ cause: 'shutdown' });
    await vi.advanceTimersByTimeAsync(100);
    await answerer.drain();
    await answers;
    expect(one.messages).toEqual([`half\n\n${notices.interrupted}`]);
    expect(two.messages).toEqual([notices.interrupted]);
  });

  it('seals the reply at its deadline and goes on in new messages', async () => {
    const words = Array.from({ length: 30 }, (_, index) => `w${index}`);
    const { ask } = setup([{ deltas: words.map((word) => `${word} `), everyMs: 100 }]);
    const { target, messages } = memoryTarget('c1', { at: 1050, continuesAfterDeadline: true });
    await ask('q', target);
    expect(messages).toHaveLength(2);
    // The first message kept what it showed at the deadline: 10 words had arrived.
    expect(messages[0]).toBe(words.slice(0, 10).join(' '));
    expect(messages.join(' ').trim().split(' ')).toEqual(words);
  });

  it('does not leave a placeholder behind when the deadline comes before any text', async () => {
    const { ask } = setup([{ deltas: ['late', ' answer'], everyMs: 2000 }]);
    const { target, messages } = memoryTarget('c1', { at: 500, continuesAfterDeadline: true });
    await ask('q', target);
    expect(messages).toEqual([notices.continuesBelow, 'late answer']);
  });

  it('ends a private answer at its deadline with a notice', async () => {
    const { ask, reports } = setup([{ deltas: ['a ', 'b ', 'c '], everyMs: 400 }]);
    const { target, messages } = memoryTarget('c1', { at: 1000, continuesAfterDeadline: false });
    await ask('q', target);
    expect(messages).toEqual([`a b\n\n${notices.expired}`]);
    expect(reports[0]?.outcome).toBe('expired');
  });

  it('reads but does not add to the history for a private question', async () => {
    const { answerer, requests } = setup([{ deltas: ['one'] }, { deltas: ['private'] }, { deltas: ['three'] }]);
    const ask = async (text: string, remember: boolean) => {
      const answering = answerer.answer(
        { id: nextId(), channelId: 'c1', authorId: 'u', text, remember },
        memoryTarget().target,
      );
      await vi.advanceTimersByTimeAsync(1000);
      await answering;
    };
    await ask('q1', true);
    await ask('secret', false);
    await ask('q3', true);
    expect(requests[1]?.messages.map((message) => message.content)).toEqual(['q1', 'one', 'secret']);
    expect(requests[2]?.messages.map((message) => message.content)).toEqual(['q1', 'one', 'q3']);
  });

  it('keeps a streaming reply on record until it ends, and counts its tokens', async () => {
    const { answerer, storage } = setup([{ deltas: ['a', 'b'], everyMs: 500 }]);
    const { target } = memoryTarget('c1');
    const answering = answerer.answer(
      { id: 'q-record', channelId: 'c1', authorId: 'u7', text: 'q', remember: true },
      target,
    );
    await vi.advanceTimersByTimeAsync(100);
    expect(await storage.streaming.list()).toEqual([
      expect.objectContaining({
        answerId: 'q-record',
        channelId: 'c1',
        locators: [expect.stringMatching(/^c1\/\d+\/0$/)],
        owner: 'test',
      }),
    ]);
    await vi.advanceTimersByTimeAsync(2000);
    await answering;
    expect(await storage.streaming.list()).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    expect(await storage.usage.get(`user:u7:${today}`)).toEqual({
      input: 10,
      output: 5,
      cacheRead: 0,
      cacheCreation: 0,
    });
  });
});

describe('telemetry', () => {
  function told() {
    const refused: RefusalReason[] = [];
    const failed: (PlatformErrorKind | 'other')[] = [];
    const telemetry = {
      refused: (reason: RefusalReason) => refused.push(reason),
      platformFailed: (kind: PlatformErrorKind | 'other') => failed.push(kind),
    };
    return { refused, failed, telemetry };
  }

  it('tells each refusal of a full queue, when admission asks and when the caller checks again', async () => {
    const { refused, telemetry } = told();
    const queueCaps = { perChannel: 1, perUser: undefined };
    const { answerer } = setup([{ deltas: ['a'], stall: true }, { deltas: ['b'] }], 5000, { telemetry, queueCaps });
    const question = (id: string) => ({ id, channelId: 'c1', authorId: 'u', text: id, remember: true });
    const running = [answerer.answer(question('q1'), memoryTarget().target)];
    expect(answerer.refusal(question('q2'))).toBeNull();
    running.push(answerer.answer(question('q2'), memoryTarget().target));

    expect(answerer.refusal(question('q3'))).toBe(queueText.channelBusy);
    expect(answerer.refusal(question('q3'))).toBe(queueText.channelBusy);
    expect(refused).toEqual(['queue_full', 'queue_full']);
    answerer.abortAll({ cause: 'shutdown' });
    await vi.advanceTimersByTimeAsync(60_000);
    await Promise.all(running);
  });

  it("tells each write of a reply the platform refused, by the error's class", async () => {
    const { failed, telemetry } = told();
    const { ask } = setup([{ deltas: ['x'.repeat(1500), 'y'.repeat(1500)], everyMs: 100 }], 5000, { telemetry });
    const { target } = memoryTarget();
    const refusingFollowUps: ReplyTarget = {
      ...target,
      followUp: () => Promise.reject(new ForbiddenError('Missing Permissions')),
    };
    await ask('long', refusingFollowUps);
    // One follow-up was asked for (the text passed one message's length), and refused.
    expect(failed).toEqual(['forbidden']);
  });
});

describe('what is kept of an answer', () => {
  const ask = (answerer: Answerer, id: string, text: string, target: ReplyTarget) =>
    answerer.answer({ id, channelId: target.channelId, authorId: 'u', text, remember: true }, target);
  const contents = (request: ModelRequest | undefined) => request?.messages.map((message) => message.content);

  it('moves an answer through its states: queued behind another, streaming, ended', async () => {
    const { answerer } = setup([{ deltas: ['one', ' two'], everyMs: 500 }, { deltas: ['three'] }]);
    const first = ask(answerer, 'a', 'q1', memoryTarget().target);
    const second = ask(answerer, 'b', 'q2', memoryTarget().target);
    await vi.advanceTimersByTimeAsync(100);
    expect([answerer.answers.get('a')?.state, answerer.answers.get('b')?.state]).toEqual(['streaming', 'queued']);
    expect(answerer.answers.holding('c1')?.question.id).toBe('a');
    await vi.advanceTimersByTimeAsync(5000);
    await Promise.all([first, second]);
    // The first is no longer the channel's latest: forgotten. The second is kept, ended.
    expect(answerer.answers.get('a')).toBeUndefined();
    expect(answerer.answers.get('b')?.state).toBe('ended');
  });

  it('keeps an ended answer as plain data, and takes its buttons away once a newer one comes', async () => {
    const { answerer } = setup([{ deltas: ['first'] }, { deltas: ['second'] }]);
    const one = memoryTarget();
    const answering = ask(answerer, 'a', 'q1', one.target);
    await vi.advanceTimersByTimeAsync(1000);
    await answering;
    const kept = answerer.answers.get('a')?.ended;
    expect(kept).toMatchObject({ outcome: 'complete', answerText: 'first', lastView: view('first', ['regenerate']) });
    expect(JSON.parse(JSON.stringify(kept))).toEqual(kept);
    expect(one.views[0]?.controls).toEqual(['regenerate']);

    const next = ask(answerer, 'b', 'q2', memoryTarget().target);
    await vi.advanceTimersByTimeAsync(1000);
    await next;
    expect(one.views[0]).toEqual(view('first'));
    expect(answerer.answers.get('a')).toBeUndefined();
  });

  it('forgets the exchange of a question deleted after its answer ended, and takes its buttons away', async () => {
    const { answerer, requests } = setup([{ deltas: ['Paris'] }, { deltas: ['?'] }]);
    const one = memoryTarget();
    const first = ask(answerer, 'a', 'capital of France?', one.target);
    await vi.advanceTimersByTimeAsync(1000);
    await first;
    await answerer.messageDeleted('c1', 'a');
    await vi.advanceTimersByTimeAsync(1000);
    expect(one.views[0]).toEqual(view('Paris'));
    expect(answerer.answers.get('a')).toBeUndefined();
    const second = ask(answerer, 'b', 'population?', memoryTarget().target);
    await vi.advanceTimersByTimeAsync(1000);
    await second;
    expect(contents(requests[1])).toEqual(['population?']);
  });

  it('forgets the exchange of an older question when it is deleted, or of the latest reply', async () => {
    const { answerer, requests } = setup([{ deltas: ['A1'] }, { deltas: ['A2'] }, { deltas: ['A3'] }]);
    for (const [id, text] of [
      ['a', 'q1'],
      ['b', 'q2'],
    ] as const) {
      const answering = ask(answerer, id, text, memoryTarget().target);
      await vi.advanceTimersByTimeAsync(5000);
      await answering;
    }
    // Posts, finals and the button removal share the channel's 5 writes per 5 s: give each answer a window.
    // 'a' is long forgotten by the registry; its exchange is found by the question's id.
    await answerer.messageDeleted('c1', 'a');
    const third = ask(answerer, 'c', 'q3', memoryTarget().target);
    await vi.advanceTimersByTimeAsync(5000);
    await third;
    expect(contents(requests[2])).toEqual(['q2', 'A2', 'q3']);

    const replyId = [...posted.values()].findLast((message) => message.budgetKey === 'c1')?.id ?? '-';
    await answerer.messageDeleted('c1', replyId);
    const fourth = ask(answerer, 'd', 'q4', memoryTarget().target);
    await vi.advanceTimersByTimeAsync(5000);
    await fourth;
    expect(contents(requests[3])).toEqual(['q2', 'A2', 'q4']);
  });

  it('forgets an older exchange when a message of its reply is deleted', async () => {
    const { answerer, requests } = setup([{ deltas: ['A1'] }, { deltas: ['A2'] }, { deltas: ['A3'] }]);
    const replyIds: string[] = [];
    for (const [id, text] of [
      ['a', 'q1'],
      ['b', 'q2'],
    ] as const) {
      const { target } = memoryTarget();
      const answering = ask(answerer, id, text, {
        ...target,
        start: async (view) => tracked(await target.start(view)),
      });
      await vi.advanceTimersByTimeAsync(5000);
      await answering;
    }
    function tracked(message: PostedMessage) {
      replyIds.push(message.id);
      return message;
    }
    // The registry keeps only the latest answer: 'a' is found by the reply ids stored with it.
    await answerer.messageDeleted('c1', replyIds[0] ?? '-');
    const third = ask(answerer, 'c', 'q3', memoryTarget().target);
    await vi.advanceTimersByTimeAsync(5000);
    await third;
    expect(contents(requests[2])).toEqual(['q2', 'A2', 'q3']);
  });

  it('forgets the exchange when a message is deleted while the answer’s end is being shown', async () => {
    const { answerer, requests } = setup([{ deltas: ['kept?'] }, { deltas: ['fresh'] }]);
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = ask(answerer, 'a', 'q1', memoryTarget('c1', undefined, gate).target);
    await vi.advanceTimersByTimeAsync(1000);
    expect(answerer.answers.get('a')?.state).toBe('ending');
    await answerer.messageDeleted('c1', 'a');
    release();
    await vi.advanceTimersByTimeAsync(1000);
    await first;
    expect(answerer.answers.get('a')).toBeUndefined();
    const second = ask(answerer, 'b', 'q2', memoryTarget().target);
    await vi.advanceTimersByTimeAsync(1000);
    await second;
    expect(contents(requests[1])).toEqual(['q2']);
  });

  it('/reset while an answer streams clears after it ends, its exchange included', async () => {
    const { answerer, requests } = setup([{ deltas: ['long', ' answer'], everyMs: 1000 }, { deltas: ['fresh'] }]);
    const one = memoryTarget();
    const first = ask(answerer, 'a', 'q1', one.target);
    await vi.advanceTimersByTimeAsync(500);
    expect(answerer.conversations.busy('c1')).toBe(true);
    let dropped: number | undefined;
    const clearing = answerer.conversations.clear('c1').then((count) => (dropped = count));
    await vi.advanceTimersByTimeAsync(500);
    expect(dropped).toBeUndefined();
    await vi.advanceTimersByTimeAsync(5000);
    await Promise.all([first, clearing]);
    expect(dropped).toBe(1);
    expect(answerer.conversations.busy('c1')).toBe(false);
    // Its buttons would rewrite the conversation just cleared: they go, and the answer is forgotten.
    expect(one.views[0]).toEqual(view('long answer'));
    expect(answerer.answers.get('a')).toBeUndefined();
    const second = ask(answerer, 'b', 'q2', memoryTarget().target);
    await vi.advanceTimersByTimeAsync(1000);
    await second;
    expect(contents(requests[1])).toEqual(['q2']);
  });
});

describe('the answer’s log line', () => {
  function capturingLogger() {
    const lines: Array<{ level: string; fields: Record<string, unknown>; message: string | undefined }> = [];
    const log = (level: string) => (fields: object | string, message?: string) =>
      void lines.push({ level, fields: typeof fields === 'string' ? {} : { ...fields }, message });
    return { logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }, lines };
  }

  // The platform's side of a tally: here, the first write of the answer met one 429 on its way.
  function tallies() {
    let runs = 0;
    let rateLimited = 0;
    const writeTallies = () => ({
      run<T>(write: () => Promise<T>): Promise<T> {
        runs += 1;
        if (runs === 1) rateLimited += 1;
        return write();
      },
      get rateLimited() {
        return rateLimited;
      },
    });
    return { writeTallies, runs: () => runs };
  }

  it('is one line with the ids, the model the channel picked, the request id, tokens, times, edits and 429s', async () => {
    const { logger, lines } = capturingLogger();
    const tally = tallies();
    const { answerer, reports } = setup(
      [{ deltas: ['Hel', 'lo', ' there'], everyMs: 100, requestId: 'req_42' }],
      5000,
      {
        logger,
        writeTallies: tally.writeTallies,
      },
    );
    const { target } = memoryTarget('c1');
    const question = {
      id: 'a1',
      channelId: 'c1',
      guildId: 'g1',
      authorId: 'u',
      text: 'the-question-words',
      remember: true,
      settings: { model: 'claude-picked' },
    };
    const answering = answerer.answer(question, target);
    await vi.advanceTimersByTimeAsync(60_000);
    await answering;

    const finished = lines.filter((line) => line.message === 'answer finished');
    expect(finished).toHaveLength(1);
    expect(finished[0]).toEqual({
      level: 'info',
      message: 'answer finished',
      fields: {
        guildId: 'g1',
        channelId: 'c1',
        answerId: 'a1',
        model: 'claude-picked',
        requestId: 'req_42',
        outcome: 'complete',
        stopReason: 'end_turn',
        failure: null,
        inputTokens: 10,
        outputTokens: 5,
        cacheReadTokens: 0,
        cacheCreationTokens: 0,
        ttftMs: 100,
        durationMs: reports[0]?.durationMs,
        edits: reports[0]?.edits,
        rateLimited: 1,
        searches: 0,
      },
    });
    // The ids lead the line, so that it reads from what to look it up by.
    expect(Object.keys(finished[0]?.fields ?? {}).slice(0, 5)).toEqual([
      'guildId',
      'channelId',
      'answerId',
      'model',
      'requestId',
    ]);
    expect(reports[0]?.durationMs).toBeGreaterThanOrEqual(300);
    expect(JSON.stringify(lines)).not.toMatch(/the-question-words|Hello there/);
  });

  it('counts the 429s of every write of the reply: the placeholder and each edit go through the tally', async () => {
    const tally = tallies();
    const { ask, reports } = setup([{ deltas: ['a', 'b', 'c'], everyMs: 2000 }], 5000, {
      writeTallies: tally.writeTallies,
    });
    await ask('q', memoryTarget().target);
    expect(reports[0]?.edits).toBeGreaterThanOrEqual(2);
    expect(tally.runs()).toBe((reports[0]?.edits ?? 0) + 1);
  });

  it('says null for 429s that nobody counted, and for the model of an answer stopped before it was asked', async () => {
    const { answerer, reports } = setup([{ deltas: ['first'], everyMs: 1000 }]);
    const question = (id: string) => ({ id, channelId: 'c1', authorId: 'u', text: 'q', remember: true });
    const first = answerer.answer(question('b1'), memoryTarget().target);
    const second = answerer.answer(question('b2'), memoryTarget().target);
    await vi.advanceTimersByTimeAsync(10);
    answerer.answers.stop('b2', { cause: 'stopped', by: 'u' });
    await vi.advanceTimersByTimeAsync(5000);
    await Promise.all([first, second]);
    const stopped = reports.find((report) => report.answerId === 'b2');
    expect(stopped).toMatchObject({ outcome: 'stopped', model: null, requestId: null, rateLimited: null });
    expect(reports.find((report) => report.answerId === 'b1')).toMatchObject({ model: 'default-model' });
  });

  it('comes after one warning for a failed model call, with the failure, the model and the request id', async () => {
    const { logger, lines } = capturingLogger();
    const failure = new ModelError('overloaded', 'Overloaded', { model: 'claude-x', requestId: 'req_failed' });
    const { ask } = setup([{ deltas: ['partial'], failAfter: failure }], 5000, { logger });
    await ask('q', memoryTarget('c1').target);
    const failed = lines.filter((line) => line.message === 'model call failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      level: 'warn',
      fields: { guildId: null, channelId: 'c1', reason: 'overloaded', model: 'claude-x', requestId: 'req_failed' },
    });
    expect(lines.find((line) => line.message === 'answer finished')?.fields).toMatchObject({
      outcome: 'failed',
      failure: 'overloaded',
      model: 'claude-x',
      requestId: 'req_failed',
    });
  });
});

describe('files with a question', () => {
  const limits = { attachmentLimits: { maxCount: 5, maxBytes: 1_000_000 } };
  // A text file whose download takes `ms` (fake time), aborted with the answer.
  const slowFile = (name: string, ms: number): QuestionAttachment => ({
    name,
    contentType: 'text/plain',
    size: 5,
    load: async (signal) => {
      await waitOrAbort(ms, signal).catch(() => {
        throw new AttachmentDownloadError('aborted', 'cancelled');
      });
      return new TextEncoder().encode('hello');
    },
  });
  const askWith = (answerer: Answerer, attachments: QuestionAttachment[], text = 'read it') => {
    const { target, messages } = memoryTarget();
    const question = { id: nextId(), channelId: 'c1', authorId: 'u', text, remember: true, attachments };
    const answering = answerer.answer(question, target);
    return { answering, messages, question };
  };

  it('does not count a slow download as Claude’s silence', async () => {
    const { answerer, requests, reports } = setup([{ deltas: ['Read.'] }], 3000, limits);
    const { answering, messages } = askWith(answerer, [slowFile('a.txt', 10_000)]);
    await vi.advanceTimersByTimeAsync(20_000);
    await answering;
    expect(reports[0]?.outcome).toBe('complete');
    expect(messages).toEqual(['Read.']);
    expect(requests[0]?.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: '[file: a.txt]\nhello' },
          { type: 'text', text: 'read it' },
        ],
      },
    ]);
  });

  it('keeps a marker per file that went in the stored exchange, and shows the notices even when Claude fails', async () => {
    const failure = new ModelError('overloaded', 'Overloaded');
    const { answerer, storage } = setup([{ deltas: ['part'], failAfter: failure }], 5000, limits);
    const odd = { ...slowFile('b.bin', 1), name: 'b.bin', contentType: 'application/octet-stream' };
    const { answering, messages } = askWith(answerer, [slowFile('a.txt', 1), odd]);
    await vi.advanceTimersByTimeAsync(1000);
    await answering;
    expect(messages).toEqual([
      `part\n\n${failureNotice('overloaded')}\n\n${attachmentNotice({ kind: 'unsupported', name: 'b.bin' })}`,
    ]);
    expect((await storage.conversations.load('c1')).map((exchange) => exchange.question)).toEqual([
      '[attached: a.txt]\nread it',
    ]);
  });

  it('stops the downloads with the answer, and says nothing of them beyond the stop', async () => {
    const { answerer, requests } = setup([], 5000, limits);
    const { answering, messages, question } = askWith(answerer, [slowFile('a.txt', 10_000)]);
    await vi.advanceTimersByTimeAsync(100);
    answerer.answers.stop(question.id, { cause: 'stopped', by: 'u' });
    await vi.advanceTimersByTimeAsync(100);
    await answering;
    expect(requests).toHaveLength(0);
    expect(messages).toEqual([notices.stopped('u')]);
  });
});
