import { endingFromError, endingFromResult, isAbortReason } from './answer-outcome.js';
import type { AbortReason, AnswerOutcome, Ending } from './answer-outcome.js';
import { createAnswerRegistry } from './answer-registry.js';
import type { AnswerRecord, AnswerRegistry } from './answer-registry.js';
import type { ConversationStore } from './conversation-store.js';
import type { EditBudgets } from './edit-budget.js';
import type { HistoryLimits } from './history.js';
import { startIdleTimer } from './idle-timer.js';
import type { KeyedQueue } from './keyed-queue.js';
import type { Logger } from './logger.js';
import { view } from './message-view.js';
import type { Control } from './message-view.js';
import type { ChatModel, ModelFailure, StopReason } from './model.js';
import type { Question } from './question.js';
import type { ReplyTarget } from './reply-target.js';
import { createReplyStream } from './reply-stream.js';
import type { ReplyStream } from './reply-stream.js';
import { requestMessages } from './request-messages.js';
import { PLACEHOLDER, usageFooter } from './user-text.js';

// The answer pipeline: post a placeholder at once, wait for the channel's turn, stream Claude's
// answer into the reply, end it with a notice and the controls that apply, and remember the exchange.

export interface AnswerReport {
  readonly answerId: string;
  readonly channelId: string;
  readonly outcome: AnswerOutcome;
  readonly stopReason: StopReason | null;
  readonly failure: ModelFailure | null;
  readonly inputTokens: number | null;
  readonly outputTokens: number | null;
  /** From the model call to the first text, in ms; null if no text came. */
  readonly ttftMs: number | null;
  readonly durationMs: number;
  readonly edits: number;
  readonly display: string;
}

export interface AnswererDeps {
  readonly model: ChatModel;
  readonly store: ConversationStore;
  readonly queue: KeyedQueue;
  readonly budgets: EditBudgets;
  readonly logger: Logger;
  readonly history: HistoryLimits;
  readonly system: string | undefined;
  readonly maxTokens: number;
  readonly idleTimeoutMs: number;
  /** Adds a line with tokens, time to first token and speed under each answer. */
  readonly usageFooter: boolean;
  /** Told about every answer once its reply shows the end. */
  readonly onAnswered?: (report: AnswerReport) => void;
}

/** One stream: a new question, a regenerated answer, or the continuation of one. */
export interface AnswerJob {
  readonly question: Question;
  readonly target: ReplyTarget;
  /** What was answered before this stream, which it continues. */
  readonly prior?: string;
  /** The target reuses the messages of the answer it replaces. */
  readonly reusesMessages?: boolean;
}

export interface Answerer {
  /** Answers into `target`; resolves once the reply shows the end (null if it could not be posted). */
  answer(question: Question, target: ReplyTarget): Promise<AnswerReport | null>;
  run(job: AnswerJob): Promise<AnswerReport | null>;
  readonly registry: AnswerRegistry;
  /** A message was deleted: a running answer it belongs to (question or reply) stops. */
  messageDeleted(messageId: string): Promise<void>;
  /** Ends every running stream (and every one still to come) with a notice, e.g. on shutdown. */
  abortAll(reason: AbortReason): void;
  /** Resolves once every answer under way has shown its end. */
  drain(): Promise<void>;
}

const DELETED: AbortReason = { cause: 'deleted' };

export function createAnswerer(deps: AnswererDeps): Answerer {
  const registry = createAnswerRegistry();
  const replies = new Map<AnswerRecord, ReplyStream>();
  const underway = new Set<Promise<unknown>>();
  let abortedFor: AbortReason | undefined;

  async function run(job: AnswerJob): Promise<AnswerReport | null> {
    const record = newRecord(job);
    const displaced = registry.register(record);
    if (displaced && !job.reusesMessages) takeControlsAway(displaced);
    const reply = createReplyStream({
      target: job.target,
      budgets: deps.budgets,
      logger: deps.logger,
      placeholder: PLACEHOLDER,
      onGone: () => record.controller.abort(DELETED),
    });
    try {
      await reply.open();
    } catch (error) {
      deps.logger.warn({ err: error, channelId: job.target.channelId }, 'could not post the reply');
      registry.ended(record);
      return null;
    }
    replies.set(record, reply);
    // Waiting for the channel's turn ends early if the answer is stopped meanwhile.
    const turn = deps.queue.enter(job.question.channelId);
    await Promise.race([turn.ready, whenAborted(record.controller.signal)]);
    try {
      record.streaming = !record.controller.signal.aborted;
      return await streamInto(job, record, reply);
    } finally {
      turn.leave();
      replies.delete(record);
      registry.ended(record);
    }
  }

  function newRecord(job: AnswerJob): AnswerRecord {
    const controller = new AbortController();
    if (abortedFor) controller.abort(abortedFor);
    return {
      question: job.question,
      target: job.target,
      controller,
      running: true,
      streaming: false,
      messages: [],
      lastView: null,
      answerText: job.prior ?? '',
      outcome: null,
    };
  }

  async function streamInto(job: AnswerJob, record: AnswerRecord, reply: ReplyStream): Promise<AnswerReport> {
    const { question } = job;
    const { signal } = record.controller;
    const started = performance.now();
    let firstTextAt: number | null = null;
    let partial = '';
    const idle = startIdleTimer(deps.idleTimeoutMs, () => record.controller.abort({ cause: 'idle' }));
    const deadline = watchDeadline(job.target, reply, record.controller);
    let ending: Ending;
    try {
      signal.throwIfAborted();
      const history = await deps.store.load(question.channelId);
      const messages = requestMessages(history, question, job.prior, deps.history);
      const handlers = {
        onText(_delta: string, snapshot: string) {
          firstTextAt ??= performance.now();
          partial = snapshot;
          idle.touch();
          reply.update(snapshot);
        },
        onActivity: () => idle.touch(),
      };
      const request = { system: deps.system, messages, maxTokens: deps.maxTokens };
      ending = endingFromResult(await deps.model.stream(request, handlers, signal));
    } catch (error) {
      ending = endingFromError(error, partial, abortReason(signal));
      if (ending.outcome === 'failed') {
        deps.logger.warn({ err: error, channelId: question.channelId }, 'model call failed');
      }
    } finally {
      idle.stop();
      clearTimeout(deadline);
    }
    record.answerText = (job.prior ?? '') + ending.answer;
    record.outcome = ending.outcome;
    const finished = performance.now();
    const display = withUsage(ending, started, firstTextAt, finished);
    await finishReply(reply, display, endControls(record, ending.outcome), question.channelId);
    record.messages = await reply.messages().catch(() => []);
    record.lastView = reply.lastView;
    await remember(record, ending.outcome);
    return report(question, ending, display, reply.edits, started, firstTextAt, finished);
  }

  // Buttons only on a remembered answer that is still its channel's latest.
  function endControls(record: AnswerRecord, outcome: AnswerOutcome): Control[] {
    if (!record.question.remember || !registry.isLatest(record)) return [];
    if (outcome === 'deleted' || outcome === 'interrupted') return [];
    return outcome === 'max_tokens' ? ['continue', 'regenerate'] : ['regenerate'];
  }

  function withUsage(ending: Ending, started: number, firstTextAt: number | null, finished: number): string {
    if (!deps.usageFooter || !ending.usage || ending.answer.trim() === '') return ending.display;
    const streamingSeconds = firstTextAt === null ? 0 : (finished - firstTextAt) / 1000;
    const footer = usageFooter({
      input: ending.usage.inputTokens,
      output: ending.usage.outputTokens,
      ttftMs: firstTextAt === null ? null : firstTextAt - started,
      tokensPerSecond: streamingSeconds > 0 ? ending.usage.outputTokens / streamingSeconds : null,
    });
    return `${ending.display}\n${footer}`;
  }

  async function finishReply(reply: ReplyStream, display: string, controls: Control[], channelId: string) {
    try {
      await reply.finish(display, controls);
    } catch (error) {
      // One more try: the final edit is the one that must land.
      deps.logger.warn({ err: error, channelId }, 'final edit failed; retrying');
      await reply.finish(display, controls).catch((retryError: unknown) => {
        deps.logger.error({ err: retryError, channelId }, 'final edit failed twice');
      });
    }
  }

  // The conversation keeps what the user saw: nothing of an exchange whose message was deleted.
  async function remember(record: AnswerRecord, outcome: AnswerOutcome): Promise<void> {
    const { question } = record;
    if (!question.remember) return;
    try {
      if (outcome === 'deleted' || record.answerText.trim() === '') {
        await deps.store.remove(question.channelId, question.id);
      } else {
        await deps.store.upsert(question.channelId, {
          id: question.id,
          question: question.text,
          answer: record.answerText,
        });
      }
    } catch (error) {
      deps.logger.error({ err: error, channelId: question.channelId }, 'could not store the exchange');
    }
  }

  // A newer answer took over the channel: the older one's Regenerate/Continue no longer apply.
  function takeControlsAway(record: AnswerRecord): void {
    const last = record.messages.at(-1);
    const shown = record.lastView;
    if (!last || !shown || shown.controls.length === 0) return;
    deps.budgets
      .for(last.budgetKey)
      .acquire()
      .then(() => last.edit(view(shown.content)))
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'could not remove old buttons'));
  }

  function report(
    question: Question,
    ending: Ending,
    display: string,
    edits: number,
    started: number,
    firstTextAt: number | null,
    finished: number,
  ): AnswerReport {
    const answerReport: AnswerReport = {
      answerId: question.id,
      channelId: question.channelId,
      outcome: ending.outcome,
      stopReason: ending.stopReason,
      failure: ending.failure,
      inputTokens: ending.usage?.inputTokens ?? null,
      outputTokens: ending.usage?.outputTokens ?? null,
      ttftMs: firstTextAt === null ? null : Math.round(firstTextAt - started),
      durationMs: Math.round(finished - started),
      edits,
      display,
    };
    const { display: _shown, ...logged } = answerReport;
    deps.logger.info(logged, 'answer finished');
    deps.onAnswered?.(answerReport);
    return answerReport;
  }

  function track<T>(answering: Promise<T>): Promise<T> {
    underway.add(answering);
    const forget = () => underway.delete(answering);
    answering.then(forget, forget);
    return answering;
  }

  return {
    answer: (question, target) => track(run({ question, target })),
    run: (job) => track(run(job)),
    registry,
    async messageDeleted(messageId) {
      for (const [record, reply] of replies) {
        const ids = (await reply.messages().catch(() => [])).map((message) => message.id);
        if (record.question.id === messageId || ids.includes(messageId)) record.controller.abort(DELETED);
      }
    },
    abortAll(reason) {
      abortedFor = reason;
      for (const record of registry.running()) record.controller.abort(reason);
    },
    async drain() {
      await Promise.allSettled([...underway]);
    },
  };
}

function abortReason(signal: AbortSignal): AbortReason | undefined {
  const reason: unknown = signal.reason;
  return signal.aborted && isAbortReason(reason) ? reason : undefined;
}

function whenAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

// Before the reply's messages stop being editable: seal them and go on in new messages, or end here.
function watchDeadline(target: ReplyTarget, reply: ReplyStream, controller: AbortController) {
  if (!target.deadline) return undefined;
  const { at, continuesAfterDeadline } = target.deadline;
  return setTimeout(
    () => (continuesAfterDeadline ? reply.seal() : controller.abort({ cause: 'expired' })),
    Math.max(0, at - Date.now()),
  );
}
