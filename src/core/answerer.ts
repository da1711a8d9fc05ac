import { endingFromError, endingFromResult, isAbortCause } from './answer-outcome.js';
import type { AbortCause, AnswerOutcome, Ending } from './answer-outcome.js';
import type { KeyedQueue } from './keyed-queue.js';
import type { ConversationStore } from './conversation-store.js';
import type { EditBudgets } from './edit-budget.js';
import { buildMessages } from './history.js';
import type { HistoryLimits } from './history.js';
import { startIdleTimer } from './idle-timer.js';
import type { Logger } from './logger.js';
import type { ChatModel, ModelFailure, StopReason } from './model.js';
import type { ReplyTarget } from './reply-target.js';
import { createReplyStream } from './reply-stream.js';
import type { ReplyStream } from './reply-stream.js';
import { PLACEHOLDER } from './user-text.js';

// The answer pipeline: post a placeholder at once, wait for the channel's turn, stream Claude's
// answer into the reply, end it with a notice when needed, and remember the exchange.

export interface Question {
  /** The conversation: its history and its turn order. */
  readonly channelId: string;
  readonly authorId: string;
  readonly text: string;
  /** False for a private question: it reads the conversation but adds nothing to it. */
  readonly remember: boolean;
}

export interface AnswerReport {
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
  /** Told about every answer once its reply shows the end. */
  readonly onAnswered?: (report: AnswerReport) => void;
}

export interface Answerer {
  /** Answers into `target`; resolves once the reply shows the end (null if it could not be posted). */
  answer(question: Question, target: ReplyTarget): Promise<AnswerReport | null>;
  /** Ends every running stream with a notice, e.g. on shutdown. */
  abortAll(cause: AbortCause): void;
  /** Resolves once every answer under way has shown its end. */
  drain(): Promise<void>;
}

export function createAnswerer(deps: AnswererDeps): Answerer {
  const running = new Set<AbortController>();
  const underway = new Set<Promise<unknown>>();
  // Once set (shutdown), answers still waiting for their turn end at once with its notice.
  let abortedFor: AbortCause | undefined;

  async function streamInto(question: Question, reply: ReplyStream, target: ReplyTarget): Promise<AnswerReport> {
    const started = performance.now();
    let firstTextAt: number | null = null;
    let partial = '';
    const controller = new AbortController();
    running.add(controller);
    if (abortedFor) controller.abort(abortedFor);
    const idle = startIdleTimer(deps.idleTimeoutMs, () => controller.abort('idle' satisfies AbortCause));
    const deadline = watchDeadline(target, reply, controller);
    let ending: Ending;
    try {
      const history = await deps.store.load(question.channelId);
      const messages = buildMessages(history, question.text, deps.history);
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
      ending = endingFromResult(await deps.model.stream(request, handlers, controller.signal));
    } catch (error) {
      ending = endingFromError(error, partial, abortCause(controller.signal));
      if (ending.outcome === 'failed')
        deps.logger.warn({ err: error, channelId: question.channelId }, 'model call failed');
    } finally {
      idle.stop();
      clearTimeout(deadline);
      running.delete(controller);
    }
    await finishReply(reply, ending.display, question.channelId);
    if (question.remember) await remember(question, ending.answer);
    return report(question.channelId, ending, reply.edits, started, firstTextAt);
  }

  async function finishReply(reply: ReplyStream, display: string, channelId: string): Promise<void> {
    try {
      await reply.finish(display);
    } catch (error) {
      // One more try: the final edit is the one that must land.
      deps.logger.warn({ err: error, channelId }, 'final edit failed; retrying');
      await reply.finish(display).catch((retryError: unknown) => {
        deps.logger.error({ err: retryError, channelId }, 'final edit failed twice');
      });
    }
  }

  async function remember(question: Question, answer: string): Promise<void> {
    if (answer.trim() === '') return;
    try {
      await deps.store.append(question.channelId, { question: question.text, answer });
    } catch (error) {
      deps.logger.error({ err: error, channelId: question.channelId }, 'could not store the exchange');
    }
  }

  function report(channelId: string, ending: Ending, edits: number, started: number, firstTextAt: number | null) {
    const finished = performance.now();
    const answerReport: AnswerReport = {
      channelId,
      outcome: ending.outcome,
      stopReason: ending.stopReason,
      failure: ending.failure,
      inputTokens: ending.usage?.inputTokens ?? null,
      outputTokens: ending.usage?.outputTokens ?? null,
      ttftMs: firstTextAt === null ? null : Math.round(firstTextAt - started),
      durationMs: Math.round(finished - started),
      edits,
      display: ending.display,
    };
    const { display, ...logged } = answerReport;
    deps.logger.info(logged, 'answer finished');
    deps.onAnswered?.(answerReport);
    return answerReport;
  }

  async function answer(question: Question, target: ReplyTarget): Promise<AnswerReport | null> {
    const reply = createReplyStream({ target, budgets: deps.budgets, logger: deps.logger, placeholder: PLACEHOLDER });
    try {
      await reply.open();
    } catch (error) {
      deps.logger.warn({ err: error, channelId: target.channelId }, 'could not post the reply');
      return null;
    }
    return deps.queue.run(question.channelId, () => streamInto(question, reply, target));
  }

  return {
    answer(question, target) {
      const answering = answer(question, target);
      underway.add(answering);
      const forget = () => underway.delete(answering);
      answering.then(forget, forget);
      return answering;
    },
    async drain() {
      await Promise.allSettled([...underway]);
    },
    abortAll(cause) {
      abortedFor = cause;
      for (const controller of running) controller.abort(cause);
    },
  };
}

function abortCause(signal: AbortSignal): AbortCause | undefined {
  const reason: unknown = signal.reason;
  return signal.aborted && isAbortCause(reason) ? reason : undefined;
}

// Before the reply's messages stop being editable: seal them and go on in new messages, or end here.
function watchDeadline(target: ReplyTarget, reply: ReplyStream, controller: AbortController) {
  if (!target.deadline) return undefined;
  const { at, continuesAfterDeadline } = target.deadline;
  return setTimeout(
    () => (continuesAfterDeadline ? reply.seal() : controller.abort('expired' satisfies AbortCause)),
    Math.max(0, at - Date.now()),
  );
}
