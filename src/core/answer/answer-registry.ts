import type { AbortReason } from './answer-outcome.js';
import { NEXT } from './answer-state.js';
import { createChannelQueues } from './channel-queues.js';
import type { AnswerState, AnswerView, EndedAnswer, RunningAnswer } from './answer-state.js';
import type { Clock } from '../ports/clock.js';
import type { Question } from '../prompt/question.js';

// Every answer's lifecycle in one place (the states: answer-state.ts). Only this module moves an
// answer on; the pipeline says when, and buttons, /stop and deletions ask.
//
// Memory follows what runs: a running answer is kept with its abort controller; an ended one only
// while it is its channel's latest answer (its buttons may still act), as strings and no platform
// objects, and at most `forgetAfterMs` after it ended. A deleted message finds its answer through a
// map of message ids that grows as replies post messages and shrinks as answers are forgotten.

/** What the controls may do: look answers up, and stop one. */
export interface AnswerLookup {
  get(id: string): AnswerView | undefined;
  /** It is its channel's latest remembered answer. */
  isLatest(id: string): boolean;
  /** The answer holding the channel now (streaming or ending). */
  holding(channelId: string): AnswerView | undefined;
  /**
   * Aborts an answer that has not ended: a queued or streaming one stops at once, an ending one only
   * takes note (its end is already being shown). False once it has ended.
   */
  stop(id: string, reason: AbortReason): boolean;
  /** How many answers wait for their channel, and how many hold it (streaming, or showing their end). */
  counts(): AnswerCounts;
}

export interface AnswerCounts {
  readonly queued: number;
  readonly streaming: number;
}

export interface AnswerRegistry extends AnswerLookup {
  /**
   * Adds an answer, queued. A remembered one becomes its channel's latest; the ended answer it
   * displaces (an older one, or an earlier run of the same answer) is forgotten and returned, so its
   * buttons can be taken away.
   */
  add(question: Question, controller: AbortController): { answer: RunningAnswer; displaced: EndedAnswer | undefined };
  /** queued → streaming: it holds the channel. */
  started(answer: RunningAnswer): void;
  /** queued or streaming → ending: the model is done (or it was stopped); the reply shows the end. */
  ending(answer: RunningAnswer): void;
  /** → ended, keeping `facts` while it is its channel's latest; null keeps nothing. */
  ended(answer: RunningAnswer, facts: EndedAnswer | null): void;
  /** A message of the answer's reply was posted: its deletion finds the answer. */
  posted(answer: RunningAnswer, messageId: string): void;
  /** The answer a message (its question, or one of its reply's messages) belongs to. */
  byMessage(messageId: string): AnswerView | undefined;
  /** Forgets an ended answer (its exchange is gone): its buttons no longer act. */
  forget(id: string): EndedAnswer | undefined;
  /** Forgets the channel's latest answer if it has ended, returning it. */
  forgetLatest(channelId: string): EndedAnswer | undefined;
  /** An answer of the channel is queued, streaming or ending. */
  busy(channelId: string): boolean;
  /** Answers of the channel waiting behind the one holding it (all running ones but one). */
  waitingIn(channelId: string): number;
  /** The author's answers waiting behind another answer of their channel, in any channel. */
  waitingFor(authorId: string): number;
  /** Stops every running answer. */
  stopAll(reason: AbortReason): void;
  /** How many answers are kept, running or ended (for tests and the bench). */
  readonly size: number;
}

export interface AnswerRegistryOptions {
  readonly clock: Clock;
  /** An ended answer is forgotten this long after it ended, even while it is its channel's latest. */
  readonly forgetAfterMs: number;
}

interface Entry extends AnswerView {
  state: AnswerState;
  ended: EndedAnswer | null;
  /** Null once it has ended. */
  controller: AbortController | null;
  endedAt: number;
  /** Its question's id and its reply's message ids: the keys it has in `byMessage`. */
  readonly messageIds: string[];
}

const isRunning = (entry: Entry) => entry.state === 'queued' || entry.state === 'streaming';

export function createAnswerRegistry(options: AnswerRegistryOptions): AnswerRegistry {
  const byId = new Map<string, Entry>();
  const latest = new Map<string, Entry>();
  const holders = new Map<string, Entry>();
  // Running answers (queued, streaming or ending) by channel, in arrival order.
  const running = createChannelQueues();
  const messages = new Map<string, Entry>();
  // Ended answers kept as their channel's latest, oldest ending first: what expires next is first.
  const expiring = new Map<string, Entry>();

  const current = (answer: RunningAnswer) => byId.get(answer.question.id) === answer;
  const channelOf = (entry: Entry) => entry.question.channelId;

  function remove(entry: Entry): void {
    if (byId.get(entry.question.id) === entry) byId.delete(entry.question.id);
    if (latest.get(channelOf(entry)) === entry) latest.delete(channelOf(entry));
    if (expiring.get(entry.question.id) === entry) expiring.delete(entry.question.id);
    for (const messageId of entry.messageIds) if (messages.get(messageId) === entry) messages.delete(messageId);
  }

  // Forgets what has expired. Called on every use, and cheap: it looks no further than the first
  // entry that has not expired.
  function sweep(): void {
    const now = options.clock.now();
    for (const entry of expiring.values()) {
      if (now - entry.endedAt < options.forgetAfterMs) return;
      remove(entry);
    }
  }

  function move(answer: RunningAnswer, to: AnswerState): Entry | undefined {
    const entry = answer as Entry;
    if (!NEXT[entry.state].includes(to)) return undefined;
    const wasActive = entry.state !== 'ended';
    entry.state = to;
    if (holders.get(channelOf(entry)) === entry && to === 'ended') holders.delete(channelOf(entry));
    if (to === 'streaming') holders.set(channelOf(entry), entry);
    if (wasActive && to === 'ended') running.leave(entry);
    return entry;
  }

  function endedAnswerOf(entry: Entry | undefined): EndedAnswer | undefined {
    if (!entry || entry.state !== 'ended') return undefined;
    remove(entry);
    return entry.ended ?? undefined;
  }

  function add(question: Question, controller: AbortController) {
    sweep();
    const entry: Entry = {
      question,
      state: 'queued',
      ended: null,
      controller,
      endedAt: 0,
      messageIds: [question.id],
    };
    // An earlier run of the same answer (Regenerate, Continue) gives way: its messages are the new
    // run's business now.
    const earlier = byId.get(question.id);
    const displacedRun = earlier && earlier !== latest.get(question.channelId) ? earlier : undefined;
    if (displacedRun) remove(displacedRun);
    byId.set(question.id, entry);
    messages.set(question.id, entry);
    running.join(entry);
    if (!question.remember) return { answer: entry, displaced: endedAnswerOf(displacedRun) };
    const before = latest.get(question.channelId);
    latest.set(question.channelId, entry);
    return { answer: entry, displaced: endedAnswerOf(before) ?? endedAnswerOf(displacedRun) };
  }

  return {
    get(id) {
      sweep();
      return byId.get(id);
    },
    isLatest(id) {
      sweep();
      const entry = byId.get(id);
      return entry !== undefined && latest.get(entry.question.channelId) === entry;
    },
    holding: (channelId) => holders.get(channelId),
    stop(id, reason) {
      const controller = byId.get(id)?.controller;
      controller?.abort(reason);
      return controller !== undefined && controller !== null;
    },
    counts() {
      let queued = 0;
      let streaming = 0;
      for (const entry of byId.values()) {
        if (entry.state === 'queued') queued += 1;
        else if (entry.state !== 'ended') streaming += 1;
      }
      return { queued, streaming };
    },
    add,
    started: (answer) => void move(answer, 'streaming'),
    ending: (answer) => void move(answer, 'ending'),
    ended(answer, facts) {
      const entry = move(answer, 'ended');
      if (!entry) return;
      entry.controller = null;
      entry.endedAt = options.clock.now();
      if (facts && current(entry) && latest.get(channelOf(entry)) === entry) {
        entry.ended = facts;
        expiring.set(entry.question.id, entry);
      } else {
        remove(entry);
      }
      sweep();
    },
    posted(answer, messageId) {
      const entry = answer as Entry;
      if (!current(entry) || messages.get(messageId) === entry) return;
      entry.messageIds.push(messageId);
      messages.set(messageId, entry);
    },
    byMessage(messageId) {
      sweep();
      return messages.get(messageId);
    },
    forget: (id) => endedAnswerOf(byId.get(id)),
    forgetLatest: (channelId) => endedAnswerOf(latest.get(channelId)),
    // Counted in this process: with Redis, answers of other processes waiting for the channel are not seen.
    busy: (channelId) => running.busy(channelId),
    waitingIn: (channelId) => running.waitingIn(channelId),
    waitingFor: (authorId) => running.waitingFor(authorId),
    stopAll(reason) {
      for (const entry of byId.values()) if (isRunning(entry)) entry.controller?.abort(reason);
    },
    get size() {
      return byId.size;
    },
  };
}
