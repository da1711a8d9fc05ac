import type { AnswerOutcome, Ending } from './answer-outcome.js';
import type { ModelFailure, StopReason } from '../ports/model.js';
import type { Question } from '../prompt/question.js';
import { usageFooter } from '../user-text.js';

// What is known about an answer once its reply shows the end: logged, and handed to observers.

export interface AnswerReport {
  readonly answerId: string;
  readonly channelId: string;
  readonly outcome: AnswerOutcome;
  readonly stopReason: StopReason | null;
  readonly failure: ModelFailure | null;
  /** Input tokens neither read from nor written to the prompt cache. */
  readonly inputTokens: number | null;
  readonly outputTokens: number | null;
  readonly cacheReadTokens: number | null;
  readonly cacheCreationTokens: number | null;
  /** From the model call to the first text, in ms; null if no text came. */
  readonly ttftMs: number | null;
  readonly durationMs: number;
  readonly edits: number;
  readonly display: string;
  /** The server it was asked in; null in a direct message. */
  readonly guildId: string | null;
  /** The model that answered (a channel's /config may pick another); null when none was called. */
  readonly model: string | null;
  /** The provider's id of the model request (Anthropic's request-id), to look the call up. */
  readonly requestId: string | null;
  /** 429s the platform sent back to this answer's writes (posts, edits); null when not counted. */
  readonly rateLimited: number | null;
  /** Web searches the answer made (Anthropic bills each); null when the stream did not end normally. */
  readonly searches: number | null;
}

/** What the report takes from the model call and the reply's writes. */
export interface ReportSources {
  readonly model: string | null;
  readonly requestId: string | null;
  readonly rateLimited: number | null;
}

/** When the stream started, first showed text and ended (performance.now()). */
export interface StreamTiming {
  readonly started: number;
  readonly firstTextAt: number | null;
  readonly finished: number;
}

export function buildReport(
  question: Question,
  ending: Ending,
  display: string,
  edits: number,
  timing: StreamTiming,
  sources: ReportSources,
): AnswerReport {
  return {
    answerId: question.id,
    channelId: question.channelId,
    outcome: ending.outcome,
    stopReason: ending.stopReason,
    failure: ending.failure,
    inputTokens: ending.usage?.inputTokens ?? null,
    outputTokens: ending.usage?.outputTokens ?? null,
    cacheReadTokens: ending.usage?.cacheReadTokens ?? null,
    cacheCreationTokens: ending.usage?.cacheCreationTokens ?? null,
    ttftMs: timing.firstTextAt === null ? null : Math.round(timing.firstTextAt - timing.started),
    durationMs: Math.round(timing.finished - timing.started),
    edits,
    display,
    guildId: question.guildId ?? null,
    model: sources.model,
    requestId: sources.requestId,
    rateLimited: sources.rateLimited,
    searches: ending.searches ?? null,
  };
}

/** The answer's log line: everything but what the reply shows (the user's words, Claude's answer). */
export function reportLogFields(report: AnswerReport): Omit<AnswerReport, 'display'> {
  // What to look the answer up by comes first.
  const { display: _shown, guildId, channelId, answerId, model, requestId, ...rest } = report;
  return { guildId, channelId, answerId, model, requestId, ...rest };
}

/** The final display, with the usage line under it when enabled and there is an answer. */
export function displayWithUsage(ending: Ending, timing: StreamTiming, enabled: boolean): string {
  if (!enabled || !ending.usage || ending.answer.trim() === '') return ending.display;
  const { firstTextAt, started, finished } = timing;
  const streamingSeconds = firstTextAt === null ? 0 : (finished - firstTextAt) / 1000;
  const footer = usageFooter({
    input: ending.usage.inputTokens + ending.usage.cacheReadTokens + ending.usage.cacheCreationTokens,
    output: ending.usage.outputTokens,
    ttftMs: firstTextAt === null ? null : firstTextAt - started,
    tokensPerSecond: streamingSeconds > 0 ? ending.usage.outputTokens / streamingSeconds : null,
  });
  return `${ending.display}\n${footer}`;
}
