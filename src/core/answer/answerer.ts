import { endControls, takeControlsAway } from './answer-buttons.js';
import { endingFromError, endingFromResult } from './answer-outcome.js';
import { buildReport, displayWithUsage } from './answer-report.js';
import type { AnswerReport, StreamTiming } from './answer-report.js';
import { abortReason, watchDeadline } from './stream-guards.js';
import type { AbortReason, AnswerOutcome, Ending } from './answer-outcome.js';
import { createAnswerRegistry } from './answer-registry.js';
import type { AnswerRecord, AnswerRegistry } from './answer-registry.js';
import type { WriteBudgets } from '../reply/write-budgets.js';
import type { HistoryLimits } from '../prompt/history.js';
import { startIdleTimer } from './idle-timer.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { Control } from '../reply/message-view.js';
import { totalInputTokens } from '../ports/model.js';
import type { ChatModel, ModelRequest, TokenUsage } from '../ports/model.js';
import type { ChannelLease, Storage } from '../ports/storage.js';
import type { TokenEstimator } from '../prompt/token-estimator.js';
import { recordUsage } from './usage-recorder.js';
import type { Question } from '../prompt/question.js';
import type { ReplyTarget } from '../reply/reply-target.js';
import { createReplyStream } from '../reply/reply-stream.js';
import type { ReplyStream } from '../reply/reply-stream.js';
import { createReplyRecord } from './reply-record.js';
import { requestMessages } from '../prompt/request-messages.js';
import { PLACEHOLDER } from '../user-text.js';

// The answer pipeline: post a placeholder at once, wait for the channel (one answer at a time per
// channel, across processes), stream Claude's answer into the reply, end it with a notice and the
// controls that apply, and remember the exchange. While it streams, the reply is on record so that a
// restart after a crash can mark it interrupted.

export type { AnswerReport } from './answer-report.js';

export interface AnswererDeps {
  readonly model: ChatModel;
  readonly storage: Storage;
  /** This process, as the owner of the replies it streams. */
  readonly owner: string;
  readonly budgets: WriteBudgets;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly history: HistoryLimits;
  /** Learns characters per token from real requests; picks the history within the budget. */
  readonly estimator: TokenEstimator;
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
const ZERO_USAGE: TokenUsage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheCreationTokens: 0 };

function requestChars(request: ModelRequest): number {
  return request.messages.reduce((sum, message) => sum + message.content.length, request.system?.length ?? 0);
}

export function createAnswerer(deps: AnswererDeps): Answerer {
  const registry = createAnswerRegistry();
  const replies = new Map<AnswerRecord, ReplyStream>();
  const underway = new Set<Promise<unknown>>();
  let abortedFor: AbortReason | undefined;

  async function run(job: AnswerJob): Promise<AnswerReport | null> {
    const record = newRecord(job);
    const displaced = registry.register(record);
    if (displaced && !job.reusesMessages) takeControlsAway(displaced, deps.budgets, deps.logger);
    const { id: answerId, channelId } = job.question;
    const onRecord = createReplyRecord(
      deps.storage.streaming,
      { answerId, channelId, owner: deps.owner },
      deps.logger,
      deps.clock,
    );
    const reply: ReplyStream = createReplyStream({
      target: job.target,
      budgets: deps.budgets,
      logger: deps.logger,
      placeholder: PLACEHOLDER,
      onGone: () => record.controller.abort(DELETED),
      onPosted: () => onRecord.note(() => reply.messages()),
    });
    replies.set(record, reply);
    // The placeholder goes out while the channel is taken and Claude is asked: the model's time to
    // first token hides the round trip instead of adding to it.
    const posted = reply.open().then(
      () => true,
      (error: unknown) => {
        deps.logger.warn({ err: error, channelId: job.target.channelId }, 'could not post the reply');
        record.controller.abort(DELETED);
        return false;
      },
    );
    const lease = await takeChannel(job.question.channelId, record.controller.signal);
    try {
      record.streaming = !record.controller.signal.aborted;
      return await streamInto(job, record, reply, posted);
    } finally {
      await lease?.release().catch(warn('could not release the channel'));
      replies.delete(record);
      registry.ended(record);
      await onRecord.clear();
    }
  }

  const warn = (message: string) => (error: unknown) => deps.logger.warn({ err: error }, message);

  // Waits for the channel; being stopped meanwhile ends the wait. If the lock itself fails, answering
  // anyway beats leaving the question unanswered.
  async function takeChannel(channelId: string, signal: AbortSignal): Promise<ChannelLease | null> {
    try {
      return await deps.storage.locks.acquire(channelId, signal);
    } catch (error) {
      if (!signal.aborted) deps.logger.error({ err: error, channelId }, 'could not lock the channel');
      return null;
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

  async function streamInto(
    job: AnswerJob,
    record: AnswerRecord,
    reply: ReplyStream,
    posted: Promise<boolean>,
  ): Promise<AnswerReport | null> {
    const { question } = job;
    const { signal } = record.controller;
    const started = deps.clock.elapsed();
    let firstTextAt: number | null = null;
    let partial = '';
    const idle = startIdleTimer(deps.idleTimeoutMs, () => record.controller.abort({ cause: 'idle' }));
    const deadline = watchDeadline(job.target, reply, record.controller, deps.clock);
    let ending: Ending;
    try {
      signal.throwIfAborted();
      const history = await deps.storage.conversations.load(question.channelId);
      const messages = await requestMessages(history, question, job.prior, {
        system: deps.system,
        limits: deps.history,
        estimator: deps.estimator,
        model: deps.model,
        logger: deps.logger,
        signal,
      });
      const handlers = {
        onText(_delta: string, snapshot: string) {
          firstTextAt ??= deps.clock.elapsed();
          partial = snapshot;
          idle.touch();
          reply.update(snapshot);
        },
        onActivity: () => idle.touch(),
      };
      const request = { system: deps.system, messages, maxTokens: deps.maxTokens };
      ending = endingFromResult(await deps.model.stream(request, handlers, signal));
      deps.estimator.calibrate(requestChars(request), totalInputTokens(ending.usage ?? ZERO_USAGE));
    } catch (error) {
      ending = endingFromError(error, partial, abortReason(signal));
      if (ending.outcome === 'failed') {
        deps.logger.warn({ err: error, channelId: question.channelId }, 'model call failed');
      }
    } finally {
      idle.stop();
      clearTimeout(deadline);
    }
    // A reply that could not even be posted has nowhere to show anything, and nothing to remember.
    if (!(await posted)) return null;
    record.answerText = (job.prior ?? '') + ending.answer;
    record.outcome = ending.outcome;
    const timing = { started, firstTextAt, finished: deps.clock.elapsed() };
    const display = displayWithUsage(ending, timing, deps.usageFooter);
    const controls = endControls(record, ending.outcome, registry.isLatest(record));
    await finishReply(reply, display, controls, question.channelId);
    record.messages = await reply.messages().catch(() => []);
    record.lastView = reply.lastView;
    await remember(record, ending.outcome);
    if (ending.usage) await countUsage(question, ending.usage);
    return report(question, ending, display, reply.edits, timing);
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
        await deps.storage.conversations.remove(question.channelId, question.id);
      } else {
        await deps.storage.conversations.upsert(question.channelId, {
          id: question.id,
          question: question.text,
          answer: record.answerText,
        });
      }
    } catch (error) {
      deps.logger.error({ err: error, channelId: question.channelId }, 'could not store the exchange');
    }
  }

  async function countUsage(question: Question, usage: TokenUsage): Promise<void> {
    try {
      await recordUsage(deps.storage.usage, question, usage, new Date(deps.clock.now()));
    } catch (error) {
      deps.logger.warn({ err: error, channelId: question.channelId }, 'could not count token usage');
    }
  }

  function report(question: Question, ending: Ending, display: string, edits: number, timing: StreamTiming) {
    const answerReport = buildReport(question, ending, display, edits, timing);
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
