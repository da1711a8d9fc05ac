import type { Ending } from './answer-outcome.js';
import type { Logger } from '../ports/logger.js';
import type { Question } from '../prompt/question.js';
import type { AttachmentProblem } from '../prompt/attachment-problem.js';
import { NO_ATTACHMENTS, readAttachments } from '../prompt/attachment-reading.js';
import type { ReadAttachments } from '../prompt/attachment-reading.js';
import type { AttachmentLimits } from '../prompt/attachment-limits.js';
import type { IdleTimer } from './idle-timer.js';
import { EMPTY_MENTION_HINT, attachmentNotice, withNotice } from '../user-text.js';

// A question's files in its answer: read before the request is built (Claude's silence is not timed
// meanwhile: the downloads have their own deadline), a line under the answer for each file that did
// not go, whatever the answer's outcome, and, when nothing at all could be asked (no text, no file
// read), an ending without a model call.

export interface QuestionFilesDeps {
  /** Absent: files are not read (each gets a notice). */
  readonly attachmentLimits?: AttachmentLimits | undefined;
  readonly logger: Logger;
}

/** Reads the question's files with the answer's signal; throws if the answer was stopped meanwhile. */
export async function readQuestionFiles(
  deps: QuestionFilesDeps,
  question: Question,
  idle: Pick<IdleTimer, 'hold' | 'touch'>,
  signal: AbortSignal,
): Promise<ReadAttachments> {
  if (!question.attachments || question.attachments.length === 0) return NO_ATTACHMENTS;
  idle.hold();
  const files = await readAttachments(question.attachments, deps.attachmentLimits ?? NO_FILES_READ, signal);
  signal.throwIfAborted();
  logLeftOut(deps.logger, question, files.problems);
  idle.touch();
  return files;
}

const NO_FILES_READ: AttachmentLimits = { maxCount: 0, maxBytes: 0 };

export function withAttachmentNotices(ending: Ending, problems: readonly AttachmentProblem[]): Ending {
  // A download cut because the answer was stopped says nothing the stop's own notice does not.
  const shown = problems.filter((problem) => problem.kind !== 'download_failed' || problem.failure !== 'aborted');
  if (shown.length === 0) return ending;
  return { ...ending, display: withNotice(ending.display, shown.map(attachmentNotice).join('\n')) };
}

/** Whether there is anything to send to Claude: the question's text or a file that was read. */
export function hasSomethingToAsk(text: string, files: ReadAttachments): boolean {
  return text.trim() !== '' || files.parts.length > 0;
}

/** The end of a question that was only files, none of which could be read: no model call. */
export function nothingToAsk(files: ReadAttachments): Ending {
  const ending: Ending = {
    outcome: 'empty',
    display: EMPTY_MENTION_HINT,
    answer: '',
    stopReason: null,
    failure: null,
    usage: null,
  };
  return withAttachmentNotices(ending, files.problems);
}

/**
 * One log line for the files a question lost, by why (and the HTTP status), never by name: names are
 * what the user wrote, and the log keeps none of it.
 */
export function logLeftOut(logger: Logger, question: Question, problems: readonly AttachmentProblem[]): void {
  if (problems.length === 0) return;
  const reasons = problems.map((problem) => {
    if (problem.kind === 'too_many') return `too_many:${problem.names.length}`;
    if (problem.kind !== 'download_failed') return problem.kind;
    return problem.status === undefined ? problem.failure : `${problem.failure}:${problem.status}`;
  });
  const fields = { guildId: question.guildId ?? null, channelId: question.channelId, answerId: question.id, reasons };
  logger.info(fields, 'files left out of a question');
}
