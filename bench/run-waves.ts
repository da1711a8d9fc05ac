import { setTimeout as sleepUntilNext } from 'node:timers/promises';
import type { AnswerRecorder } from './answer-recorder.js';
import type { AnswerTimeline, RunPlan } from './fakes-protocol.js';

// Asks the plan's questions wave by wave inside the fakes process. A wave ends when every answer
// shows in full, or `settleCapMs` after its last message_stop for a bot that never catches up (the
// naive one's backlog can take minutes); those answers are marked given up, their lag censored.

export async function runWaves(
  recorder: AnswerRecorder,
  plan: RunPlan,
  onWave: (answers: readonly AnswerTimeline[]) => void = () => {},
): Promise<AnswerTimeline[]> {
  const answers: AnswerTimeline[] = [];
  for (const wave of plan.waves) {
    const waveAnswers = await runWave(recorder, wave, plan);
    onWave(waveAnswers);
    answers.push(...waveAnswers);
  }
  return answers;
}

async function runWave(
  recorder: AnswerRecorder,
  channels: readonly number[],
  plan: RunPlan,
): Promise<AnswerTimeline[]> {
  const answers: AnswerTimeline[] = [];
  const watch = new WaveWatch(recorder, answers, channels.length, plan);
  try {
    await askAll(recorder, channels, plan.spreadMs, answers);
    watch.check();
    return await watch.settled;
  } finally {
    watch.stop();
  }
}

/** All at once, or evenly over `spreadMs`: the arrival of the questions is the workload, not a wait. */
async function askAll(
  recorder: AnswerRecorder,
  channels: readonly number[],
  spreadMs: number,
  answers: AnswerTimeline[],
): Promise<void> {
  const start = performance.now();
  for (const [index, channel] of channels.entries()) {
    const due = start + (index * spreadMs) / channels.length;
    if (due > performance.now()) await sleepUntilNext(due - performance.now());
    answers.push(recorder.ask(channel));
  }
}

class WaveWatch {
  readonly settled: Promise<AnswerTimeline[]>;
  readonly #answers: AnswerTimeline[];
  readonly #expected: number;
  readonly #plan: RunPlan;
  readonly #unsubscribe: () => void;
  readonly #safetyTimer: NodeJS.Timeout;
  #settleTimer: NodeJS.Timeout | undefined;
  #resolve: (answers: AnswerTimeline[]) => void = () => {};

  constructor(recorder: AnswerRecorder, answers: AnswerTimeline[], expected: number, plan: RunPlan) {
    this.#answers = answers;
    this.#expected = expected;
    this.#plan = plan;
    let reject: (error: Error) => void = () => {};
    this.settled = new Promise((resolve, rejectWith) => {
      this.#resolve = resolve;
      reject = rejectWith;
    });
    this.#unsubscribe = recorder.onChange(() => this.check());
    // A bot that never streams would hang the bench: fail loudly instead.
    this.#safetyTimer = setTimeout(() => reject(unanswered(answers, plan.safetyMs)), plan.safetyMs);
  }

  check(): void {
    const answers = this.#answers;
    if (answers.length < this.#expected) return;
    if (answers.every((answer) => answer.completeAt !== null && answer.stopAt !== null)) {
      this.#resolve(answers);
    } else if (this.#settleTimer === undefined && answers.every((answer) => answer.stopAt !== null)) {
      this.#settleTimer = setTimeout(() => this.#giveUp(), this.#plan.settleCapMs);
    }
  }

  stop(): void {
    clearTimeout(this.#settleTimer);
    clearTimeout(this.#safetyTimer);
    this.#unsubscribe();
  }

  #giveUp(): void {
    const now = performance.now();
    for (const answer of this.#answers) if (answer.completeAt === null) answer.givenUpAt = now;
    this.#resolve(this.#answers);
  }
}

function unanswered(answers: readonly AnswerTimeline[], safetyMs: number): Error {
  const states = answers.map(
    (answer) =>
      `q${answer.tag}: ${answer.stopAt === null ? 'no message_stop' : 'stopped'}, ${answer.writes.length} writes`,
  );
  return new Error(`wave not answered within ${safetyMs} ms: ${states.join('; ')}`);
}
