import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../../../src/core/ports/clock.js';
import { createWriteBudget } from '../../../../src/core/reply/write-budget.js';
import type { WriteBudget, WriteKind } from '../../../../src/core/reply/write-budget.js';

// Discord's usual channel bucket: 5 writes per 5 s, one slot of each window kept for final edits.
const budget = (limit = 5, windowMs = 5000) => createWriteBudget({ limit, windowMs, reserve: 1, clock: systemClock });

/** Asks for a slot of each kind in order; records, by label, when each was granted. */
function request(writes: WriteBudget, kinds: readonly WriteKind[], granted: string[] = []) {
  const times: Record<string, number> = {};
  const all = kinds.map((kind, index) =>
    writes.acquire(kind).then(() => {
      times[`${kind}${index}`] = Date.now();
      granted.push(`${kind}${index}`);
    }),
  );
  return { times, granted, done: Promise.all(all) };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createWriteBudget', () => {
  it('paces intermediate edits evenly, keeping a slot of each window for final edits', async () => {
    const writes = budget();
    const edits = request(writes, ['edit', 'edit', 'edit', 'edit']);
    await vi.advanceTimersByTimeAsync(4000);
    await edits.done;
    // 4 of the 5 slots of a 5 s window, evenly spread.
    expect(Object.values(edits.times)).toEqual([0, 1250, 2500, 3750]);
    const final = request(writes, ['final', 'final']);
    await vi.advanceTimersByTimeAsync(5000);
    await final.done;
    // The fifth slot was kept: one final goes at once, the next waits for the first slot to free.
    expect(final.times).toEqual({ final0: 4000, final1: 5000 });
  });

  it('counts posts and edits against one window', async () => {
    const writes = budget();
    const writesAtOnce = request(writes, ['post', 'post', 'edit', 'post', 'edit']);
    await vi.advanceTimersByTimeAsync(5000);
    await writesAtOnce.done;
    // Three posts and an edit fill the four slots that are not kept for finals: the second edit
    // waits for the window to move on although its pace would let it go at 1250 ms.
    expect(writesAtOnce.times).toEqual({ post0: 0, post1: 0, edit2: 0, post3: 0, edit4: 5000 });
  });

  it('lets a placeholder go before intermediate edits that were waiting longer', async () => {
    const writes = budget();
    const { granted, done } = request(writes, ['post', 'post', 'post', 'post', 'edit', 'edit', 'post']);
    await vi.advanceTimersByTimeAsync(100);
    expect(granted).toEqual(['post0', 'post1', 'post2', 'post3']);
    await vi.advanceTimersByTimeAsync(10_000);
    await done;
    // When the window moves on, the post asked for last goes first.
    expect(granted.slice(4)).toEqual(['post6', 'edit4', 'edit5']);
  });

  it('lets a post go between paced edits without waiting for their pace', async () => {
    const writes = budget();
    const edits = request(writes, ['edit', 'edit']);
    await vi.advanceTimersByTimeAsync(100);
    const post = request(writes, ['post']);
    await vi.advanceTimersByTimeAsync(0);
    expect(post.times).toEqual({ post0: 100 });
    await vi.advanceTimersByTimeAsync(2000);
    await edits.done;
    expect(edits.times).toEqual({ edit0: 0, edit1: 1250 });
  });

  it("does not pace the next answer's first edit behind the edits of the answer that ended", async () => {
    const writes = budget();
    await writes.acquire('edit');
    await vi.advanceTimersByTimeAsync(100);
    await writes.acquire('final');
    const next = request(writes, ['edit', 'edit']);
    await vi.advanceTimersByTimeAsync(2000);
    await next.done;
    expect(next.times).toEqual({ edit0: 100, edit1: 1350 });
  });

  it('keeps the reserve from placeholders: only a final edit may take it', async () => {
    const writes = budget();
    const posts = request(writes, ['post', 'post', 'post', 'post', 'post']);
    await vi.advanceTimersByTimeAsync(0);
    const final = request(writes, ['final']);
    await vi.advanceTimersByTimeAsync(0);
    expect(final.times).toEqual({ final0: 0 });
    await vi.advanceTimersByTimeAsync(5000);
    await posts.done;
    expect(posts.times['post4']).toBe(5000);
  });

  it('takes the limit and window from the headers', async () => {
    const writes = budget();
    await writes.acquire('post');
    // The post's response: 3 a second here, not the 5 per 5 s assumed.
    writes.observe({ limit: 3, remaining: 2, resetAfterMs: 1000 });
    await vi.advanceTimersByTimeAsync(1000);
    const edits = request(writes, ['edit', 'edit', 'edit']);
    await vi.advanceTimersByTimeAsync(2000);
    await edits.done;
    // Two slots a second that are not the reserve: one every 500 ms.
    expect(Object.values(edits.times)).toEqual([1000, 1500, 2000]);
  });

  it('holds its own slots until the window the headers report resets', async () => {
    const writes = budget();
    const posts = request(writes, ['post', 'post', 'post', 'post']);
    await vi.advanceTimersByTimeAsync(100);
    await posts.done;
    // The platform counted the posts from when they arrived: its window resets at 5100 ms.
    writes.observe({ limit: 5, remaining: 1, resetAfterMs: 5000 });
    const next = request(writes, ['post']);
    await vi.advanceTimersByTimeAsync(4900);
    expect(next.times).toEqual({});
    await vi.advanceTimersByTimeAsync(100);
    await next.done;
    expect(next.times).toEqual({ post0: 5100 });
  });

  it('counts what the headers say was used beyond its own writes, e.g. by another process', async () => {
    const writes = budget();
    writes.observe({ limit: 5, remaining: 2, resetAfterMs: 3000 });
    const posts = request(writes, ['post', 'post', 'final']);
    await vi.advanceTimersByTimeAsync(3000);
    await posts.done;
    // Three used elsewhere: one slot before the reserve, the reserve for the final, then the reset.
    expect(posts.times).toEqual({ post0: 0, post1: 3000, final2: 0 });
  });

  it('waits for the reset when the headers say only the reserve is left, and keeps that for a final', async () => {
    const writes = budget();
    writes.observe({ limit: 5, remaining: 1, resetAfterMs: 3000 });
    const both = request(writes, ['edit', 'final']);
    await vi.advanceTimersByTimeAsync(3000);
    await both.done;
    expect(both.times).toEqual({ edit0: 3000, final1: 0 });
  });

  it('backs off every kind for Retry-After after a 429', async () => {
    const writes = budget();
    writes.blockFor(2500);
    const all = request(writes, ['final', 'post', 'edit']);
    await vi.advanceTimersByTimeAsync(2500);
    await all.done;
    expect(all.times).toEqual({ final0: 2500, post1: 2500, edit2: 2500 });
  });

  it('passes the slot of a wait that was given up to the next waiter', async () => {
    const writes = budget(2, 1000); // one paced slot a second
    await writes.acquire('edit');
    const givingUp = new AbortController();
    const abandoned = writes.acquire('edit', givingUp.signal);
    await vi.advanceTimersByTimeAsync(100);
    givingUp.abort();
    expect(await abandoned).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    const next = request(writes, ['edit']);
    await vi.advanceTimersByTimeAsync(2000);
    await next.done;
    // The slot the abandoned wait would have had (at 1000 ms), not one after it.
    expect(next.times).toEqual({ edit0: 1000 });
  });

  it('resolves false at once for a wait given up before it began', async () => {
    const writes = budget();
    expect(await writes.acquire('post', AbortSignal.abort())).toBe(false);
    const edits = request(writes, ['edit', 'edit', 'edit', 'edit']);
    await vi.advanceTimersByTimeAsync(4000);
    await edits.done;
    // No slot was taken by the wait that never began.
    expect(edits.times['edit3']).toBe(3750);
  });

  it('then waits for its turn at the global pacer, asking with the same kind', async () => {
    const asked: WriteKind[] = [];
    const global = {
      acquire: (kind: WriteKind) => {
        asked.push(kind);
        // The global turn comes 300 ms later.
        return new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 300));
      },
    };
    const writes = createWriteBudget({ limit: 5, windowMs: 5000, reserve: 1, clock: systemClock, global });
    const all = request(writes, ['post', 'final']);
    await vi.advanceTimersByTimeAsync(300);
    await all.done;
    expect(asked).toEqual(['post', 'final']);
    expect(all.times).toEqual({ post0: 300, final1: 300 });
  });

  it('frees the slot of a write given up while it waited for its global turn', async () => {
    // The first global turn never comes; later ones at once.
    let first = true;
    const global = {
      acquire: (_kind: WriteKind, signal?: AbortSignal) => {
        if (!first) return Promise.resolve(true);
        first = false;
        return new Promise<boolean>((resolve) => signal?.addEventListener('abort', () => resolve(false)));
      },
    };
    // One slot per window and none kept: the abandoned edit held the only one.
    const writes = createWriteBudget({ limit: 1, windowMs: 5000, reserve: 0, clock: systemClock, global });
    const givingUp = new AbortController();
    const abandoned = writes.acquire('edit', givingUp.signal);
    await vi.advanceTimersByTimeAsync(100);
    givingUp.abort();
    expect(await abandoned).toBe(false);
    const post = request(writes, ['post']);
    await vi.advanceTimersByTimeAsync(5000);
    await post.done;
    // The edit never went out, so the window still has its slot.
    expect(post.times).toEqual({ post0: 100 });
  });
});
