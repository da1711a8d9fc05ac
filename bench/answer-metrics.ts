import type { AnswerTimeline, WriteRecord } from './fakes-protocol.js';
import { exact } from './percentiles.js';
import type { Observation } from './percentiles.js';

// What one answer looked like to the person who asked, from the fakes' timeline (one clock):
//   turn wait  mention → the answer's turn in its channel (bench/answer-turns.ts): the queue's, apart
//   overhead   the turn's start → first visible answer text, minus the model's own TTFT (request → first delta)
//   placeholder mention → the reply's first message visible (the acknowledgement)
//   first show first delta → first visible answer text
//   staleness  at every delta the model sends: the age of the oldest text sent but not yet visible
//              (0 when the reply shows everything sent so far)
//   final lag  message_stop → the whole answer visible
// "Visible" is when the fake applied the request: it tells every gateway client then.

export interface AnswerMetrics {
  readonly turnWaitMs: number;
  readonly overheadMs: Observation;
  readonly placeholderMs: Observation;
  readonly firstShowMs: Observation;
  readonly modelTtftMs: number;
  readonly stalenessMs: readonly number[];
  readonly finalLagMs: Observation;
  /** Successful edits of the reply, and every REST request for the answer (429s included). */
  readonly edits: Observation;
  readonly restCalls: Observation;
  readonly rateLimited: number;
  readonly deltas: number;
  /** Deltas per second the fake actually sent on this stream. */
  readonly deliveredPerSecond: number;
}

/** `turnAt`: when the answer's turn in its channel began (`turnStarts`). */
export function answerMetrics(answer: AnswerTimeline, turnAt: number): AnswerMetrics {
  const applied = answer.writes.filter((write) => write.status === 200).sort((a, b) => a.at - b.at);
  const postedAt = applied[0]?.at;
  const placeholderAt: Observation =
    postedAt === undefined ? { value: answer.givenUpAt ?? Number.NaN, censored: true } : exact(postedAt);
  const firstVisible = applied.find((write) => write.visibleChars > 0)?.at;
  // No text at all before the run gave up: the first text came later than that, if ever.
  const firstVisibleAt: Observation =
    firstVisible === undefined ? { value: answer.givenUpAt ?? Number.NaN, censored: true } : exact(firstVisible);
  const requestAt = answer.requestAt ?? Number.NaN;
  const firstDeltaAt = answer.firstDeltaAt ?? Number.NaN;
  const modelTtftMs = firstDeltaAt - requestAt;
  const givenUp = answer.completeAt === null;
  const counted = (count: number): Observation => ({ value: count, censored: givenUp });
  return {
    turnWaitMs: turnAt - answer.mentionAt,
    overheadMs: shift(firstVisibleAt, -turnAt - modelTtftMs),
    placeholderMs: shift(placeholderAt, -answer.mentionAt),
    firstShowMs: shift(firstVisibleAt, -firstDeltaAt),
    modelTtftMs,
    stalenessMs: staleness(answer, applied),
    finalLagMs: finalLag(answer),
    edits: counted(applied.filter((write) => write.method === 'PATCH').length),
    restCalls: counted(answer.writes.length),
    rateLimited: answer.writes.filter((write) => write.status === 429).length,
    deltas: answer.deltaAt.length,
    deliveredPerSecond: deliveredRate(answer.deltaAt),
  };
}

const shift = (observation: Observation, by: number): Observation => ({
  ...observation,
  value: observation.value + by,
});

function finalLag(answer: AnswerTimeline): Observation {
  const stopAt = answer.stopAt ?? Number.NaN;
  if (answer.completeAt !== null) return exact(Math.max(0, answer.completeAt - stopAt));
  return { value: (answer.givenUpAt ?? Number.NaN) - stopAt, censored: true };
}

/** One sample per delta: how long ago the oldest not-yet-visible character was sent. */
function staleness(answer: AnswerTimeline, applied: readonly WriteRecord[]): number[] {
  const { deltaAt, deltaChars } = answer;
  const samples: number[] = [];
  let next = 0;
  let visible = 0;
  for (const [index, at] of deltaAt.entries()) {
    for (; next < applied.length && (applied[next]?.at ?? Infinity) <= at; next += 1) {
      visible = applied[next]?.visibleChars ?? visible;
    }
    const sent = deltaChars[index] ?? 0;
    samples.push(visible >= sent ? 0 : at - (deltaAt[firstDeltaBeyond(deltaChars, visible)] ?? at));
  }
  return samples;
}

/** The index of the first delta that took the stream past `chars` characters. */
function firstDeltaBeyond(deltaChars: readonly number[], chars: number): number {
  let low = 0;
  let high = deltaChars.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((deltaChars[middle] ?? 0) > chars) high = middle;
    else low = middle + 1;
  }
  return low;
}

function deliveredRate(deltaAt: readonly number[]): number {
  const first = deltaAt[0];
  const last = deltaAt.at(-1);
  if (first === undefined || last === undefined || last === first) return Number.NaN;
  return ((deltaAt.length - 1) * 1000) / (last - first);
}
