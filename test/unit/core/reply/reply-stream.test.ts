import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../../../src/core/ports/logger.js';
import { view } from '../../../../src/core/reply/message-view.js';
import type { MessageView } from '../../../../src/core/reply/message-view.js';
import { createReplyStream } from '../../../../src/core/reply/reply-stream.js';
import type { ReplyStreamOptions } from '../../../../src/core/reply/reply-stream.js';
import { GoneError, RateLimitedError } from '../../../../src/core/reply/platform-errors.js';
import type { PostedMessage, ReplyTarget } from '../../../../src/core/reply/reply-target.js';
import { splitMessage } from '../../../../src/core/reply/split-message.js';
import type { WriteKind } from '../../../../src/core/reply/write-budget.js';
import type { WriteBudgets } from '../../../../src/core/reply/write-budgets.js';
import { notices } from '../../../../src/core/user-text.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const LIMIT = 100;

/** Messages in memory, each with every view it showed; edits take 10 ms, posts wait for `holdPosts`. */
function memoryTarget() {
  const shown: MessageView[][] = [];
  const gone = new Set<number>();
  let held: (() => void)[] | null = null;
  function post(first: MessageView): Promise<PostedMessage> {
    const index = shown.push([first]) - 1;
    const message: PostedMessage = {
      id: `m${index}`,
      budgetKey: 'channel',
      locator: `channel/m${index}`,
      async edit(next) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        if (gone.has(index)) throw new GoneError('Unknown Message');
        shown[index]?.push(next);
      },
      delete: () => Promise.resolve(),
    };
    if (held === null) return Promise.resolve(message);
    return new Promise((resolve) => held?.push(() => resolve(message)));
  }
  const target: ReplyTarget = { channelId: 'channel', start: post, followUp: post };
  return {
    target,
    shown,
    /** What each message shows now. */
    current: () => shown.map((views) => views.at(-1)),
    deleteMessage: (index: number) => gone.add(index),
    holdPosts: () => (held = []),
    releasePosts: () => {
      for (const release of held ?? []) release();
      held = null;
    },
  };
}

/** Grants every slot at once, noting who asked for which kind. */
function recordingBudgets() {
  const asked: [string, WriteKind][] = [];
  const budgets: WriteBudgets = {
    for: (key) => ({
      acquire: (kind) => {
        asked.push([key, kind]);
        return Promise.resolve(true);
      },
      observe() {},
      blockFor() {},
    }),
    observe() {},
    rateLimited() {},
    rateLimitedGlobally() {},
  };
  return { budgets, asked };
}

function setup(overrides: Partial<ReplyStreamOptions> = {}) {
  const memory = memoryTarget();
  const { budgets, asked } = recordingBudgets();
  const events = { posted: 0, gone: 0 };
  const reply = createReplyStream({
    target: memory.target,
    budgets,
    logger: silent,
    placeholder: '…',
    onGone: () => (events.gone += 1),
    onPosted: () => (events.posted += 1),
    limit: LIMIT,
    ...overrides,
  });
  return { reply, memory, asked, events };
}

const settle = () => vi.advanceTimersByTimeAsync(100);

/** Edits take (fake) time: lets it pass while the reply finishes. */
async function finishing(done: Promise<void>): Promise<void> {
  await settle();
  await done;
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createReplyStream', () => {
  it('posts the placeholder with Stop, follows the newest text on it and ends with exactly the answer', async () => {
    const { reply, memory, events } = setup();
    await reply.open();
    reply.update('Hello');
    reply.update('Hello there');
    await settle();
    await finishing(reply.finish('Hello there, friend.', ['regenerate']));

    const [views] = memory.shown;
    expect(views?.[0]).toEqual(view('…', ['stop']));
    // Both updates came before the first edit left: only the newer one went.
    expect(views?.slice(1)).toEqual([view('Hello there', ['stop']), view('Hello there, friend.', ['regenerate'])]);
    expect(events.posted).toBe(1);
    expect(reply.lastView).toEqual(view('Hello there, friend.', ['regenerate']));
    expect(reply.edits).toBe(2);
  });

  it('holds text that arrives before the placeholder has landed, then shows it', async () => {
    const { reply, memory } = setup();
    memory.holdPosts();
    const opening = reply.open();
    reply.update('Early text');
    await settle();
    expect(memory.current()).toEqual([view('…', ['stop'])]);
    memory.releasePosts();
    await opening;
    await settle();
    expect(memory.current()).toEqual([view('Early text', ['stop'])]);
  });

  it("asks the message's budget for an 'edit' slot while streaming and a 'final' one at the end", async () => {
    const { reply, asked } = setup();
    await reply.open();
    reply.update('One');
    await settle();
    reply.update('One two');
    await settle();
    await finishing(reply.finish('One two three', []));
    expect(asked).toEqual([
      ['channel', 'edit'],
      ['channel', 'edit'],
      ['channel', 'final'],
    ]);
  });

  it('continues past the limit in follow-ups, each posted with its text, and ends split exactly', async () => {
    const { reply, memory, events } = setup();
    const answer = Array.from({ length: 40 }, (_, index) => `word${index}`).join(' ');
    await reply.open();
    for (let length = 10; length < answer.length; length += 10) {
      reply.update(answer.slice(0, length));
      await vi.advanceTimersByTimeAsync(5);
    }
    await finishing(reply.finish(answer, ['regenerate']));

    const pieces = splitMessage(answer, LIMIT);
    expect(pieces.length).toBeGreaterThanOrEqual(3);
    expect(memory.current()).toEqual(
      pieces.map((piece, index) => view(piece, index === pieces.length - 1 ? ['regenerate'] : [])),
    );
    // A follow-up shows text from the start: it was never a placeholder.
    for (const views of memory.shown.slice(1)) expect(views[0]?.content).not.toBe('…');
    expect(events.posted).toBe(pieces.length);
    expect((await reply.messages()).map((message) => message.id)).toEqual(pieces.map((_, index) => `m${index}`));
  });

  it('runs every post and edit through the tally, follow-ups included, so that their 429s count', async () => {
    let inside = 0;
    const writes: string[] = [];
    const tally = {
      async run<T>(write: () => Promise<T>): Promise<T> {
        inside += 1;
        try {
          return await write();
        } finally {
          inside -= 1;
        }
      },
      rateLimited: 0,
    };
    // What the reply asks of the platform, and whether the tally was running it then.
    const { target } = memoryTarget();
    const noted = async (kind: string, posting: Promise<PostedMessage>): Promise<PostedMessage> => {
      writes.push(`${kind}:${inside}`);
      const message = await posting;
      return {
        ...message,
        edit: (next) => {
          writes.push(`edit:${inside}`);
          return message.edit(next);
        },
      };
    };
    const recording: ReplyTarget = {
      channelId: target.channelId,
      start: (first) => noted('start', target.start(first)),
      followUp: (first) => noted('followUp', target.followUp(first)),
    };
    const { reply } = setup({ target: recording, tally });
    const answer = Array.from({ length: 30 }, (_, index) => `word${index}`).join(' ');
    await reply.open();
    reply.update(answer.slice(0, 50));
    await settle();
    await finishing(reply.finish(answer, []));
    expect(writes.filter((write) => write.startsWith('followUp')).length).toBeGreaterThanOrEqual(1);
    expect(writes.filter((write) => write.startsWith('edit')).length).toBeGreaterThanOrEqual(2);
    expect(writes.filter((write) => !write.endsWith(':1'))).toEqual([]);
  });

  it('seals what is shown: later text goes to a new message, the unfilled placeholder says so', async () => {
    const { reply, memory } = setup();
    await reply.open();
    reply.seal();
    reply.update('After the seal');
    await settle();
    await finishing(reply.finish('After the seal, the end.', []));

    expect(memory.current()).toEqual([view(notices.continuesBelow), view('After the seal, the end.')]);
    expect((await reply.messages()).map((message) => message.id)).toEqual(['m1']);
  });

  it('reports a deleted message once and stops editing it', async () => {
    const { reply, memory, events } = setup();
    await reply.open();
    reply.update('Some text');
    await settle();
    memory.deleteMessage(0);
    reply.update('Some text and more');
    await settle();
    reply.update('Some text and more still');
    await settle();
    await finishing(reply.finish('Some text and more still, done.', []));

    expect(events.gone).toBe(1);
    expect(memory.current()).toEqual([view('Some text', ['stop'])]);
  });
});

describe('the status line', () => {
  it('shows alone instead of the placeholder, then text replaces it', async () => {
    const { reply, memory } = setup();
    await reply.open();
    reply.status('💭 Thinking… 2s');
    await settle();
    // The view names its status, so that a platform that can only append (Slack) can leave it out.
    expect(memory.current()).toEqual([{ ...view('💭 Thinking… 2s', ['stop']), status: '💭 Thinking… 2s' }]);
    reply.status(null);
    reply.update('Answer');
    await settle();
    expect(memory.current()).toEqual([view('Answer', ['stop'])]);
  });

  it('goes under the text so far and never into the final display', async () => {
    const { reply, memory } = setup();
    await reply.open();
    reply.update('First part.');
    reply.status('🔎 Searching: cats');
    await settle();
    expect(memory.current()).toEqual([
      { ...view('First part.\n\n🔎 Searching: cats', ['stop']), status: '🔎 Searching: cats' },
    ]);
    await finishing(reply.finish('First part.', ['regenerate']));
    expect(memory.current()).toEqual([view('First part.', ['regenerate'])]);
    // A tick that comes after the end changes nothing.
    reply.status('💭 Thinking… 9s');
    await settle();
    expect(memory.current()).toEqual([view('First part.', ['regenerate'])]);
  });

  it('never takes the live message over the limit, and never into a committed piece', async () => {
    const { reply, memory } = setup();
    await reply.open();
    const long = 'word '.repeat(19).trim(); // 94 characters: the status no longer fits under it
    reply.update(long);
    reply.status('💭 Thinking… 1s');
    await settle();
    for (const views of memory.shown)
      for (const shown of views) expect(shown.content.length).toBeLessThanOrEqual(LIMIT);
    expect(memory.current()).toEqual([view(long, ['stop'])]);
    const longer = `${long} ${'more '.repeat(40)}`.trim();
    reply.update(longer);
    reply.status('🔎 Searching: x');
    await settle();
    await finishing(reply.finish(longer, []));
    const shownEver = memory.shown.flat().map((shown) => shown.content);
    for (const content of shownEver) expect(content.length).toBeLessThanOrEqual(LIMIT);
    expect(
      memory
        .current()
        .map((shown) => shown?.content)
        .join(' '),
    ).not.toContain('Searching');
    expect(memory.current().map((shown) => shown?.content)).toEqual(splitMessage(longer, LIMIT));
  });

  it('holds the message’s bucket for the Retry-After of an edit refused for rate limits, then shows the end', async () => {
    const held: [string, number][] = [];
    const { budgets } = recordingBudgets();
    let refuse = 1;
    const message: PostedMessage = {
      id: 'm0',
      budgetKey: 'workspace',
      locator: 'workspace/m0',
      edit(next) {
        if (refuse > 0) {
          refuse -= 1;
          return Promise.reject(new RateLimitedError('rate limited', { retryAfterMs: 3000 }));
        }
        shown.push(next.content);
        return Promise.resolve();
      },
      delete: () => Promise.resolve(),
    };
    const shown: string[] = [];
    const reply = createReplyStream({
      target: { channelId: 'c', start: () => Promise.resolve(message), followUp: () => Promise.resolve(message) },
      budgets: { ...budgets, rateLimited: (key, ms) => held.push([key, ms]) },
      logger: silent,
      placeholder: '…',
      onGone: () => {},
      onPosted: () => {},
    });
    await reply.open();
    reply.update('Hello');
    await vi.advanceTimersByTimeAsync(0);
    await reply.finish('Hello, world.', []);
    expect(held).toEqual([['workspace', 3000]]);
    expect(shown.at(-1)).toBe('Hello, world.');
  });
});
