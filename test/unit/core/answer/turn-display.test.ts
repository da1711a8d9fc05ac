import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAnswerer } from '../../../../src/core/answer/answerer.js';
import type { AnswerJob, AnswerReport, Answerer } from '../../../../src/core/answer/answerer.js';
import { createAnswerControls } from '../../../../src/core/answer/answer-controls.js';
import type { AnswerControls } from '../../../../src/core/answer/answer-controls.js';
import type { Caller } from '../../../../src/core/commands/caller.js';
import type { Clock } from '../../../../src/core/ports/clock.js';
import { ModelError } from '../../../../src/core/ports/model.js';
import type {
  ChatModel,
  ModelActivity,
  ModelRequest,
  ProviderBlock,
  Source,
  StopReason,
} from '../../../../src/core/ports/model.js';
import type { MessageView } from '../../../../src/core/reply/message-view.js';
import type { ReplyReopener } from '../../../../src/core/reply/reply-reopener.js';
import type { PostedMessage, ReplyTarget } from '../../../../src/core/reply/reply-target.js';
import { createWriteBudgets } from '../../../../src/core/reply/write-budgets.js';
import { createTokenEstimator } from '../../../../src/core/prompt/token-estimator.js';
import { SOURCES_HEADING, controlText, notices, reasoningText } from '../../../../src/core/user-text.js';
import { createMemoryStorage } from '../../../../src/storage/memory-storage.js';

// What an answer shows and remembers of Claude's thinking, web search and stop reasons, through the
// whole core pipeline (answerer, model turn, reply stream) with a scripted model on fake timers.

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const clock: Clock = { now: () => Date.now(), elapsed: () => Date.now() };
const usage = { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheCreationTokens: 0 };

type Step =
  | { readonly wait: number }
  | { readonly status: ModelActivity }
  | { readonly text: string }
  | { readonly cite: readonly Source[] };

interface Script {
  readonly steps: readonly Step[];
  readonly stopReason?: StopReason;
  readonly blocks?: readonly ProviderBlock[];
  readonly reasoning?: string;
  readonly searches?: number;
}

function scriptedModel(scripts: Script[]) {
  const requests: ModelRequest[] = [];
  const model: ChatModel = {
    async stream(request, handlers, signal) {
      requests.push(request);
      const script = scripts.shift() ?? { steps: [{ text: 'ok' }] };
      let text = '';
      for (const step of script.steps) {
        if ('wait' in step) await new Promise((resolve) => setTimeout(resolve, step.wait));
        if (signal.aborted) throw new ModelError('aborted', 'aborted');
        if ('status' in step) handlers.onStatus?.(step.status);
        if ('text' in step) handlers.onText(step.text, (text += step.text));
        if ('cite' in step) handlers.onCitations?.(step.cite);
      }
      const { blocks, reasoning, searches } = script;
      return {
        text,
        stopReason: script.stopReason ?? 'end_turn',
        usage,
        ...(blocks ? { blocks } : {}),
        ...(reasoning === undefined ? {} : { reasoning }),
        ...(searches === undefined ? {} : { searches }),
      };
    },
    countTokens: () => Promise.resolve(0),
  };
  return { model, requests };
}

const posted = new Map<string, PostedMessage>();
let targets = 0;

/** A reply target in memory; `views[i]` is every view message i showed, in order. */
function memoryTarget(channelId = 'c1') {
  const views: MessageView[][] = [];
  const number = (targets += 1);
  function post(first: MessageView): Promise<PostedMessage> {
    const index = views.push([first]) - 1;
    const message: PostedMessage = {
      id: `${number}-${index}`,
      budgetKey: channelId,
      locator: `${channelId}/${number}/${index}`,
      edit: (next) => {
        views[index]?.push(next);
        return Promise.resolve();
      },
      delete: () => Promise.resolve(),
    };
    posted.set(message.locator, message);
    return Promise.resolve(message);
  }
  const target: ReplyTarget = { channelId, start: post, followUp: post };
  const final = () => views.map((shown) => shown.at(-1));
  return { target, views, final };
}

const reopen: ReplyReopener = {
  message: (locator) => {
    const message = posted.get(locator);
    if (!message) throw new Error(`no message ${locator}`);
    return message;
  },
  followUp: (channelId, first) => memoryTarget(channelId).target.start(first),
};

function setup(scripts: Script[], forgetAnswersAfterMs = 3600_000) {
  const { model, requests } = scriptedModel(scripts);
  const storage = createMemoryStorage({ keep: 10 });
  const reports: AnswerReport[] = [];
  const answerer: Answerer = createAnswerer({
    model,
    storage,
    owner: 'test',
    estimator: createTokenEstimator(),
    // Plenty of edits: the test sees every view the status line asks for.
    budgets: createWriteBudgets({ limit: 100, windowMs: 1000, reserve: 1, clock }),
    logger: silent,
    clock,
    history: { maxTurns: 10, maxTokens: 100_000 },
    system: undefined,
    maxTokens: 100,
    idleTimeoutMs: 60_000,
    usageFooter: false,
    reopen,
    forgetAnswersAfterMs,
    sourceLink: (source) => `[${source.title}](<${source.url}>)`,
    onAnswered: (report) => reports.push(report),
  });
  const jobs: AnswerJob[] = [];
  const controls: AnswerControls = createAnswerControls({
    answers: answerer.answers,
    start: (job) => {
      jobs.push(job);
      return answerer.start(job);
    },
    reopen,
    clock,
    budgets: createWriteBudgets({ limit: 100, windowMs: 1000, reserve: 1, clock }),
  });
  const ask = async (id: string, text: string, target: ReplyTarget) => {
    const answering = answerer.answer(
      { id, channelId: target.channelId, authorId: 'asker', text, remember: true },
      target,
    );
    await vi.advanceTimersByTimeAsync(60_000);
    return answering;
  };
  return { answerer, controls, requests, storage, reports, ask, jobs };
}

const paris: Source = { url: 'https://example.com/paris', title: 'Paris facts' };
const rome: Source = { url: 'https://example.com/rome', title: 'Rome' };
const bystander: Caller = { userId: 'someone', isModerator: false, isAdmin: false };
const asker: Caller = { userId: 'asker', isModerator: false, isAdmin: false };
const noTarget = (): ReplyTarget => {
  throw new Error('no new message expected');
};

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the status line in a reply', () => {
  it('shows thinking with its seconds, then the text replaces it and the end never shows it', async () => {
    const { ask } = setup([
      {
        steps: [{ status: { kind: 'thinking' } }, { wait: 4200 }, { text: 'The answer' }, { wait: 500 }],
        reasoning: 'r',
      },
    ]);
    const { target, views } = memoryTarget();
    await ask('a1', 'q', target);
    const shown = views[0]?.map((one) => one.content) ?? [];
    expect(shown.slice(0, 6)).toEqual([
      '…',
      '💭 Thinking…',
      '💭 Thinking… 1s',
      '💭 Thinking… 2s',
      '💭 Thinking… 3s',
      '💭 Thinking… 4s',
    ]);
    expect(shown.at(-2)).toBe('The answer');
    expect(shown.at(-1)).toBe('The answer');
    expect(shown.filter((content) => content.includes('Thinking') && content.includes('answer'))).toEqual([]);
  });

  it('shows what Claude searches for under the text so far, gone from the final display', async () => {
    const { ask } = setup([
      {
        steps: [
          { text: 'Let me look.' },
          { wait: 100 },
          { status: { kind: 'searching', query: 'paris *population*' } },
          { wait: 100 },
          { text: ' Found it.' },
        ],
      },
    ]);
    const { target, views, final } = memoryTarget();
    await ask('a1', 'q', target);
    const shown = views[0]?.map((one) => one.content);
    expect(shown).toContain('Let me look.\n\n🔎 Searching: paris \\*population\\*');
    expect(final()[0]?.content).toBe('Let me look. Found it.');
  });
});

describe('citations', () => {
  const cited: Script = {
    steps: [
      { text: 'Paris is large' },
      { cite: [paris, rome] },
      { text: ', Rome old' },
      { cite: [rome] },
      { text: '.' },
    ],
    blocks: [{ type: 'text', text: 'Paris is large', citations: [] }],
    searches: 1,
  };
  const list = `${SOURCES_HEADING}\n1. [Paris facts](<${paris.url}>)\n2. [Rome](<${rome.url}>)`;

  it('puts numbered markers after cited text and the Sources list at the end, and remembers both', async () => {
    const { ask, storage, reports } = setup([cited]);
    const { target, final } = memoryTarget();
    await ask('a1', 'q', target);
    const display = `Paris is large [1][2], Rome old [2].\n\n${list}`;
    expect(final()[0]?.content).toBe(display);
    const [exchange] = await storage.conversations.load('c1');
    expect(exchange?.answer).toBe(display);
    expect(reports[0]).toMatchObject({ searches: 1, display });
  });
});

describe('what goes back to Claude', () => {
  const thinking = { type: 'thinking', thinking: 'Let me think', signature: 'sig-1' };

  it('sends the blocks of an earlier answer back unchanged as its assistant turn', async () => {
    const { ask, requests } = setup([
      { steps: [{ text: 'Paris' }], blocks: [thinking, { type: 'text', text: 'Paris' }] },
      { steps: [{ text: 'More' }] },
    ]);
    await ask('a1', 'capital?', memoryTarget().target);
    await ask('a2', 'and?', memoryTarget().target);
    expect(requests[1]?.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'provider', block: thinking },
        { type: 'provider', block: { type: 'text', text: 'Paris' } },
      ],
    });
  });

  it('continues with the prior blocks as the assistant turn, numbers on, and keeps prior + new blocks', async () => {
    const first = [thinking, { type: 'text', text: 'Paris is' }];
    const second = [{ type: 'text', text: ' large' }];
    const { ask, controls, requests, storage, answerer } = setup([
      { steps: [{ text: 'Paris is' }, { cite: [paris] }], blocks: first, stopReason: 'max_tokens' },
      { steps: [{ text: ' large' }, { cite: [rome, paris] }], blocks: second },
    ]);
    await ask('a1', 'q', memoryTarget().target);
    const next = memoryTarget();
    const pressed = await controls.press('continue', 'a1', asker, () => next.target);
    expect(pressed.kind).toBe('answering');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(requests[1]?.messages[1]).toEqual({
      role: 'assistant',
      content: first.map((block) => ({ type: 'provider', block })),
    });
    expect(next.final()[0]?.content).toBe(
      `large [2][1]\n\n${SOURCES_HEADING}\n1. [Paris facts](<${paris.url}>)\n2. [Rome](<${rome.url}>)`,
    );
    const [exchange] = await storage.conversations.load('c1');
    expect(exchange?.answerBlocks).toEqual([...first, ...second]);
    expect(exchange?.answer).toBe(
      `Paris is [1] large [2][1]\n\n${SOURCES_HEADING}\n1. [Paris facts](<${paris.url}>)\n2. [Rome](<${rome.url}>)`,
    );
    expect(answerer.answers.get('a1')?.ended?.answerBlocks).toEqual([...first, ...second]);
  });
});

describe('stop reasons', () => {
  it('ends a refusal with its notice, keeping the partial text', async () => {
    const { ask, reports } = setup([{ steps: [{ text: 'I started' }], stopReason: 'refusal' }]);
    const { target, final } = memoryTarget();
    await ask('a1', 'q', target);
    expect(final()[0]?.content).toBe(`I started\n\n${notices.refused}`);
    expect(reports[0]?.outcome).toBe('refused');
  });

  it('ends a full context window with its notice', async () => {
    const { ask, reports } = setup([{ steps: [], stopReason: 'context_window_exceeded' }]);
    const { target, final } = memoryTarget();
    await ask('a1', 'q', target);
    expect(final()[0]?.content).toBe(notices.contextFull);
    expect(reports[0]?.outcome).toBe('context_full');
  });
});

describe('Show reasoning', () => {
  const reasoning = `First I recall facts.\n\n${'Then more. '.repeat(300)}`;

  it('is a button under an answer that had reasoning, and only there', async () => {
    const { ask } = setup([{ steps: [{ text: 'A' }], reasoning }, { steps: [{ text: 'B' }] }]);
    const one = memoryTarget();
    await ask('a1', 'q', one.target);
    expect(one.final()[0]?.controls).toEqual(['regenerate', 'reasoning']);
    const two = memoryTarget();
    await ask('a2', 'q', two.target);
    expect(two.final()[0]?.controls).toEqual(['regenerate']);
  });

  it('sends the reasoning privately to anyone who presses, split to fit, never into the channel', async () => {
    const { ask, controls } = setup([{ steps: [{ text: 'A' }], reasoning }]);
    const { target, views } = memoryTarget();
    await ask('a1', 'q', target);
    const before = views.flat().length;
    const pressed = await controls.press('reasoning', 'a1', bystander, noTarget);
    if (pressed.kind !== 'private') throw new Error(`expected a private reply, got ${pressed.kind}`);
    expect(pressed.messages.length).toBeGreaterThan(1);
    for (const message of pressed.messages) expect(message.length).toBeLessThanOrEqual(2000);
    expect(pressed.messages[0]?.startsWith(`${reasoningText.heading}\nFirst I recall facts.`)).toBe(true);
    expect(pressed.messages.join('').replace(/\s+/g, '')).toContain('Thenmore.'.repeat(300));
    expect(views.flat()).toHaveLength(before);
    expect(views.flat().some((shown) => shown.content.includes('recall'))).toBe(false);
  });

  it('says the reasoning is gone once the answer is forgotten', async () => {
    const { ask, controls } = setup([{ steps: [{ text: 'A' }], reasoning: 'kept a while' }], 10 * 60_000);
    await ask('a1', 'q', memoryTarget().target);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(await controls.press('reasoning', 'a1', asker, noTarget)).toEqual({
      kind: 'refused',
      reason: controlText.reasoningGone,
    });
  });
});
