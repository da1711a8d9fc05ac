import { endingFromError, endingFromResult } from './answer-outcome.js';
import type { Ending } from './answer-outcome.js';
import type { AnswerJob } from './answer-job.js';
import { startIdleTimer } from './idle-timer.js';
import type { SourceLink } from './answer-composer.js';
import { createTurnDisplay } from './turn-display.js';
import type { DisplayReply } from './turn-display.js';
import { abortReason, watchDeadline } from './stream-guards.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import { ModelError, totalInputTokens } from '../ports/model.js';
import type { ChatModel, ModelRequest, TokenUsage } from '../ports/model.js';
import type { ConversationStore } from '../ports/conversation-store.js';
import type { HistoryLimits } from '../prompt/history.js';
import type { Question } from '../prompt/question.js';
import { requestMessages } from '../prompt/request-messages.js';
import { textChars } from '../prompt/content-size.js';
import { NO_ATTACHMENTS } from '../prompt/attachment-reading.js';
import type { AttachmentLimits } from '../prompt/attachment-limits.js';
import { hasSomethingToAsk, nothingToAsk, readQuestionFiles, withAttachmentNotices } from './question-files.js';
import type { TokenEstimator } from '../prompt/token-estimator.js';
import type { ReplyStream } from '../reply/reply-stream.js';
import type { ReplyTarget } from '../reply/reply-target.js';

// One call to Claude for an answer: the history and the question as the request, every delta into
// the reply, and however it ends (done, cut, failed, stopped, silent too long, past the reply's
// deadline) as an Ending. Never throws.

export interface ModelTurnDeps {
  readonly model: ChatModel;
  readonly conversations: ConversationStore;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly history: HistoryLimits;
  readonly estimator: TokenEstimator;
  readonly system: string | undefined;
  readonly maxTokens: number;
  readonly idleTimeoutMs: number;
  /** How the platform writes a cited page's link in the Sources list; plain Markdown when absent. */
  readonly sourceLink?: SourceLink | undefined;
  /** How many files are read with a question, and how large; absent: none are. */
  readonly attachmentLimits?: AttachmentLimits;
}

export interface ModelTurn {
  readonly ending: Ending;
  /** clock.elapsed() when the turn started, and when the first text came (null: none came). */
  readonly started: number;
  readonly firstTextAt: number | null;
  /** The model that answered (or was asked, if the call failed); null when none was called. */
  readonly model: string | null;
  /** The provider's id of the request, for tracing it; null when none was made or none came back. */
  readonly requestId: string | null;
  /** The names of the question's files that went to Claude (none when absent). */
  readonly attached?: readonly string[];
}

/**
 * What a turn needs of the reply: each newer text, and sealing before the target's deadline. A
 * ReplyStream is one; the terminal chat prints instead (src/platforms/terminal/).
 */
export type TurnReply = Pick<ReplyStream, 'update' | 'seal'> & DisplayReply;

/** What a turn reads of its job; an AnswerJob is one. */
export type TurnJob = Pick<AnswerJob, 'question' | 'prior' | 'priorBlocks' | 'priorSources'> & {
  readonly target: Pick<ReplyTarget, 'deadline'>;
};

const ZERO_USAGE: TokenUsage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheCreationTokens: 0 };

// Null when the request carries images or documents: their tokens say nothing of text's ratio.
function requestChars(request: ModelRequest): number | null {
  let chars = request.system?.length ?? 0;
  for (const message of request.messages) {
    const length = textChars(message.content);
    if (length === null) return null;
    chars += length;
  }
  return chars;
}

export async function askModel(
  deps: ModelTurnDeps,
  job: TurnJob,
  reply: TurnReply,
  controller: AbortController,
): Promise<ModelTurn> {
  const { question } = job;
  const { signal } = controller;
  const started = deps.clock.elapsed();
  let firstTextAt: number | null = null;
  let partial = '';
  const idle = startIdleTimer(deps.idleTimeoutMs, () => controller.abort({ cause: 'idle' }));
  const deadline = watchDeadline(job.target, reply, controller, deps.clock);
  let files = NO_ATTACHMENTS;
  const display = createTurnDisplay(deps, job, reply);
  try {
    signal.throwIfAborted();
    files = await readQuestionFiles(deps, question, idle, signal);
    if (!hasSomethingToAsk(question.text, files)) {
      return { ending: nothingToAsk(files), started, firstTextAt, model: null, requestId: null, attached: [] };
    }
    const history = await deps.conversations.load(question.channelId);
    const { estimator, model, logger } = deps;
    // What the admins set where it was asked, over the operator's defaults.
    const { settings } = question;
    const system = settings?.system ?? deps.system;
    const modelName = settings?.model;
    const { priorBlocks } = job;
    const context = { system, modelName, limits: deps.history, estimator, model, logger, signal, priorBlocks };
    const messages = await requestMessages(history, question, job.prior, { ...context, questionParts: files.parts });
    const handlers = {
      onText(_delta: string, snapshot: string) {
        firstTextAt ??= deps.clock.elapsed();
        partial = snapshot;
        idle.touch();
        display.text(snapshot);
      },
      onActivity: () => idle.touch(),
      ...display.handlers,
    };
    const maxTokens = settings?.maxTokens ?? deps.maxTokens;
    const request = { model: modelName, system, messages, maxTokens, userId: question.authorRef };
    const result = await model.stream(request, handlers, signal);
    const ending = withAttachmentNotices(endingFromResult(result, display.shown(result.text)), files.problems);
    const chars = requestChars(request);
    if (chars !== null) estimator.calibrate(chars, totalInputTokens(ending.usage ?? ZERO_USAGE));
    return {
      ending,
      started,
      firstTextAt,
      model: result.model ?? modelName ?? null,
      requestId: result.requestId ?? null,
      attached: files.attached,
    };
  } catch (error) {
    const shown = display.shown(partial);
    const ending = withAttachmentNotices(endingFromError(error, partial, abortReason(signal), shown), files.problems);
    const called = error instanceof ModelError ? error : undefined;
    const requestId = called?.requestId ?? null;
    const turn = { ending, started, firstTextAt, model: called?.model ?? null, requestId, attached: files.attached };
    if (ending.outcome === 'failed') logFailure(deps.logger, question, turn, error);
    return turn;
  } finally {
    idle.stop();
    display.stop();
    clearTimeout(deadline);
  }
}

// One line per failed question, with why (the failure) and what to look it up by; never its text.
function logFailure(logger: Logger, question: Question, turn: ModelTurn, error: unknown): void {
  const { model, requestId, ending } = turn;
  logger.warn(
    {
      guildId: question.guildId ?? null,
      channelId: question.channelId,
      answerId: question.id,
      reason: ending.failure,
      model,
      requestId,
      err: error,
    },
    'model call failed',
  );
}
