import { endControls, takeControlsAway } from './answer-buttons.js';
import { answerBlocks, endedExtras } from './answer-blocks.js';
import type { AnswerJob } from './answer-job.js';
import type { AbortReason } from './answer-outcome.js';
import { buildReport, displayWithUsage, reportLogFields } from './answer-report.js';
import type { AnswerReport, StreamTiming } from './answer-report.js';
import { createAnswerRegistry } from './answer-registry.js';
import type { AnswerLookup } from './answer-registry.js';
import type { EndedAnswer, RunningAnswer } from './answer-state.js';
import { createConversationReset } from './conversation-reset.js';
import type { ConversationReset } from './conversation-reset.js';
import { createConversationWrites } from './conversation-writes.js';
import { DELETED, createDeletionHandler } from './message-deletions.js';
import { askModel } from './model-turn.js';
import { showEnd, takeChannel } from './answer-steps.js';
import type { ModelTurn, ModelTurnDeps } from './model-turn.js';
import { createReplyRecord } from './reply-record.js';
import { replyIdsOf } from './reply-ids.js';
import { abortReason } from './stream-guards.js';
import { queueRefusal } from './queue-caps.js';
import { logRefusal } from '../access/refusal-log.js';
import type { QueueCaps } from './queue-caps.js';
import type { WriteBudgets } from '../reply/write-budgets.js';
import type { WriteTallies, WriteTally } from '../reply/write-tally.js';
import type { Logger } from '../ports/logger.js';
import type { Storage } from '../ports/storage.js';
import type { Telemetry } from '../ports/telemetry.js';
import type { Question } from '../prompt/question.js';
import type { ReplyReopener } from '../reply/reply-reopener.js';
import type { ReplyTarget } from '../reply/reply-target.js';
import { observedTarget } from '../reply/observed-target.js';
import { GoneError } from '../reply/platform-errors.js';
import { createReplyStream } from '../reply/reply-stream.js';
import type { ReplyStream } from '../reply/reply-stream.js';
import { PLACEHOLDER } from '../user-text.js';

// The answer pipeline: post a placeholder at once, wait for the channel (one answer at a time per
// channel, across processes), stream Claude's answer into the reply, end it with a notice and the
// controls that apply, and remember the exchange. The registry follows each answer through its
// states. While it streams, the reply is on record so that a restart after a crash can mark it
// interrupted.

export type { AnswerReport } from './answer-report.js';
export type { AnswerJob } from './answer-job.js';

export interface AnswererDeps extends Omit<ModelTurnDeps, 'conversations'> {
  readonly storage: Storage;
  /** This process, as the owner of the replies it streams. */
  readonly owner: string;
  readonly budgets: WriteBudgets;
  /** Finds an ended reply's messages again from their locators. */
  readonly reopen: ReplyReopener;
  /** Adds a line with tokens, time to first token and speed under each answer. */
  readonly usageFooter: boolean;
  /** How long an ended answer's buttons keep working (default 24 h); it is forgotten after. */
  readonly forgetAnswersAfterMs?: number;
  /** Told about every answer once its reply shows the end. */
  readonly onAnswered?: (report: AnswerReport) => void;
  /** How many questions may wait; no caps when absent. */
  readonly queueCaps?: QueueCaps;
  /** Told of refused writes of a reply and of questions the queue refuses (metrics). */
  readonly telemetry?: Pick<Telemetry, 'platformFailed' | 'refused'>;
  /** Counts the 429s each answer's writes receive, for its report; not counted when absent. */
  readonly writeTallies?: WriteTallies;
  /** The platform's message length limit the reply is split at; Discord's 2000 when absent. */
  readonly messageLimit?: number;
}

/** A job the queue refused (why, in the user's words), or its answer under way. */
export type Started = { readonly refused: string } | { readonly answering: Promise<AnswerReport | null> };

export interface Answerer {
  /** Answers into `target`; resolves once the reply shows the end (null if it could not be posted). */
  answer(question: Question, target: ReplyTarget): Promise<AnswerReport | null>;
  run(job: AnswerJob): Promise<AnswerReport | null>;
  /**
   * Runs `job` unless its channel's queue is full now. The caps are checked and the job joins the
   * queue with nothing awaited between, so questions that arrive together cannot all pass the cap:
   * every new question and every Regenerate / Continue starts here once it has been admitted.
   */
  start(job: AnswerJob): Started;
  /**
   * Why `question` may not be answered now (too many waiting), in the user's words; null when it may.
   * Ask it just before answer() or run(): nothing is counted until then.
   */
  refusal(question: Question): string | null;
  /** What buttons and /stop may see of the answers. */
  readonly answers: AnswerLookup;
  /** A message was deleted: its answer stops, or its exchange is forgotten. */
  messageDeleted(channelId: string, messageId: string): Promise<void>;
  /** /reset, in the channel's turn. */
  readonly conversations: ConversationReset;
  /** Ends every running stream (and every one still to come) with a notice, e.g. on shutdown. */
  abortAll(reason: AbortReason): void;
  /** Resolves once every answer under way has shown its end. */
  drain(): Promise<void>;
}

const DAY_MS = 24 * 3600_000;

// A channel deleted meanwhile is nobody's problem; a refusal, a lapsed interaction or an outage is
// worth a warning (the error's kind goes with it).
function logPostFailure(logger: Logger, error: unknown, question: Question, channelId: string): void {
  const fields = { err: error, guildId: question.guildId ?? null, channelId, answerId: question.id };
  if (error instanceof GoneError) logger.info(fields, 'the channel is gone; no reply posted');
  else logger.warn(fields, 'could not post the reply');
}

export function createAnswerer(deps: AnswererDeps): Answerer {
  const { logger } = deps;
  const registry = createAnswerRegistry({ clock: deps.clock, forgetAfterMs: deps.forgetAnswersAfterMs ?? DAY_MS });
  const writes = createConversationWrites(deps);
  const turnDeps: ModelTurnDeps = { ...deps, conversations: deps.storage.conversations };
  const takeButtonsAway = (answer: EndedAnswer) => takeControlsAway(answer, deps.reopen, deps.budgets, logger);
  const underway = new Set<Promise<unknown>>();
  let abortedFor: AbortReason | undefined;
  const warn = (message: string) => (error: unknown) => logger.warn({ err: error }, message);

  async function run(job: AnswerJob): Promise<AnswerReport | null> {
    const controller = new AbortController();
    if (abortedFor) controller.abort(abortedFor);
    const { answer, displaced } = registry.add(job.question, controller);
    if (displaced && !job.reusesMessages) takeButtonsAway(displaced);
    const { id: answerId, channelId } = job.question;
    const onRecord = createReplyRecord(
      deps.storage.streaming,
      { answerId, channelId, owner: deps.owner },
      logger,
      deps.clock,
    );
    const tally = deps.writeTallies?.();
    const reply: ReplyStream = createReplyStream({
      target: job.target,
      budgets: deps.budgets,
      logger,
      ...(tally ? { tally } : {}),
      ...(deps.messageLimit === undefined ? {} : { limit: deps.messageLimit }),
      placeholder: PLACEHOLDER,
      onGone: () => controller.abort(DELETED),
      onPosted: () => {
        const listed = reply.messages();
        onRecord.note(() => listed);
        // A deletion finds the answer by any message of its reply.
        listed.then((messages) => {
          for (const message of messages) registry.posted(answer, message.id);
        }, warn('could not list the reply'));
      },
    });
    // The placeholder goes out while the channel is taken and Claude is asked: the model's time to
    // first token hides the round trip instead of adding to it.
    const posted = reply.open().then(
      () => true,
      (error: unknown) => {
        logPostFailure(logger, error, job.question, job.target.channelId);
        controller.abort(DELETED);
        return false;
      },
    );
    const lease = await takeChannel(deps.storage.locks, channelId, controller.signal, logger);
    try {
      if (!controller.signal.aborted) registry.started(answer);
      const turn = await askModel(turnDeps, job, reply, controller);
      registry.ending(answer);
      // A reply that could not even be posted has nowhere to show anything, and nothing to remember.
      if (!(await posted)) return null;
      return await finish(job, answer, reply, controller.signal, turn, tally);
    } finally {
      // Already ended by finish(), unless it failed or the reply was never posted.
      registry.ended(answer, null);
      await lease?.release().catch(warn('could not release the channel'));
      await onRecord.clear();
    }
  }

  // Shows the end, stores the exchange and hands the registry what it keeps of the ended answer.
  async function finish(
    job: AnswerJob,
    answer: RunningAnswer,
    reply: ReplyStream,
    signal: AbortSignal,
    turn: ModelTurn,
    tally: WriteTally | undefined,
  ) {
    const { question } = job;
    const { ending } = turn;
    const answerText = (job.prior ?? '') + ending.answer;
    const timing = { started: turn.started, firstTextAt: turn.firstTextAt, finished: deps.clock.elapsed() };
    const display = displayWithUsage(ending, timing, deps.usageFooter);
    const extras = endedExtras(job, ending);
    const controls = endControls(question, ending.outcome, registry.isLatest(question.id), Boolean(extras.reasoning));
    await showEnd(reply, display, controls, question.channelId, logger);
    const messages = await reply.messages().catch(() => []);
    // A reply to any of its messages finds this exchange again (a branch).
    const replyIds = await replyIdsOf(turnDeps, question, job.prior !== undefined, messages);
    // The conversation keeps the answer as shown: markers and the Sources list included.
    const shownText = answerText + (ending.sourcesList ?? '');
    await writes.remember(
      question,
      { text: shownText, blocks: answerBlocks(job, ending), replyIds, attached: turn.attached },
      ending.outcome,
    );
    // A message of the exchange deleted while its end was being shown: it goes as well.
    const deleted = abortReason(signal)?.cause === 'deleted';
    if (deleted && ending.outcome !== 'deleted') await writes.forget(question.channelId, question.id);
    registry.ended(
      answer,
      deleted
        ? null
        : {
            question,
            outcome: ending.outcome,
            answerText,
            locators: messages.map((message) => message.locator),
            lastView: reply.lastView,
            editableUntil: job.target.deadline?.at ?? null,
            ...extras,
          },
    );
    if (ending.usage) await writes.countUsage(question, ending.usage);
    return report(question, turn, display, reply.edits, timing, tally);
  }

  // The answer's one log line: ids, model, request id, tokens, timings, edits, 429s and outcome.
  function report(
    question: Question,
    turn: ModelTurn,
    display: string,
    edits: number,
    timing: StreamTiming,
    tally: WriteTally | undefined,
  ) {
    const sources = { model: turn.model, requestId: turn.requestId, rateLimited: tally?.rateLimited ?? null };
    const answerReport = buildReport(question, turn.ending, display, edits, timing, sources);
    logger.info(reportLogFields(answerReport), 'answer finished');
    deps.onAnswered?.(answerReport);
    return answerReport;
  }

  // The reply's refused writes are told, by the error's class.
  function observed(job: AnswerJob): AnswerJob {
    const { telemetry } = deps;
    if (!telemetry) return job;
    return { ...job, target: observedTarget(job.target, (kind) => telemetry.platformFailed(kind)) };
  }

  function track<T>(answering: Promise<T>): Promise<T> {
    underway.add(answering);
    const forget = () => underway.delete(answering);
    answering.then(forget, forget);
    return answering;
  }

  return {
    answer: (question, target) => track(run(observed({ question, target }))),
    run: (job) => track(run(observed(job))),
    start(job) {
      const refused = this.refusal(job.question);
      return refused === null ? { answering: track(run(observed(job))) } : { refused };
    },
    refusal(question) {
      const refusal = deps.queueCaps ? queueRefusal(registry, question, deps.queueCaps) : null;
      if (refusal !== null) {
        logRefusal(logger, question, 'queue-full', { waiting: registry.waitingIn(question.channelId) });
        deps.telemetry?.refused('queue_full');
      }
      return refusal;
    },
    answers: registry,
    messageDeleted: createDeletionHandler({ registry, writes, takeButtonsAway }),
    conversations: createConversationReset({ storage: deps.storage, registry, logger, takeButtonsAway }),
    abortAll(reason) {
      abortedFor = reason;
      registry.stopAll(reason);
    },
    async drain() {
      await Promise.allSettled([...underway]);
    },
  };
}
