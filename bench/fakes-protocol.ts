import type { TimeWindow } from './load-figures.js';
import type { LoadTrace } from './process-probe.js';
import type { DiscordSettings, StreamSettings } from './settings.js';
import type { SoakPlan, SoakRecord } from './soak-protocol.js';

// What the parent asks of the fakes process. The fakes (Discord and Anthropic) share one process and
// so one clock: every timing mark below is that process's performance.now().

export interface WriteRecord {
  readonly method: string;
  /** When the request arrived: the fake applied it then, so users saw it then. */
  readonly at: number;
  readonly respondedAt: number;
  readonly status: number;
  /** How much of the answer the message shows after this request (0 for a placeholder). */
  readonly visibleChars: number;
}

export interface AnswerTimeline {
  readonly tag: number;
  readonly channelIndex: number;
  readonly answerChars: number;
  /** MESSAGE_CREATE of the question went out to the bot. */
  readonly mentionAt: number;
  /** The model request arrived, its first text delta and its message_stop left. */
  requestAt: number | null;
  firstDeltaAt: number | null;
  stopAt: number | null;
  /** Every text delta: when it left, and the characters sent so far. */
  readonly deltaAt: number[];
  readonly deltaChars: number[];
  /** The answer's REST requests (its reply's POST and edits), in response order. */
  readonly writes: WriteRecord[];
  /** The first moment the reply showed the whole answer. */
  completeAt: number | null;
  /** Set when the run stopped waiting before the answer completed. */
  givenUpAt: number | null;
}

export interface RunRecord {
  readonly answers: readonly AnswerTimeline[];
  /** 429s over the run. */
  readonly rateLimited: number;
  /** Per wave, while it streamed: its first question → its last message_stop, in epoch ms. */
  readonly waves: readonly TimeWindow[];
  /** The fakes' own load, to show they kept up. */
  readonly fakes: LoadTrace;
}

export interface RunPlan {
  /** Each wave asks in these channels (an index may repeat) at once, and ends when all are answered. */
  readonly waves: readonly (readonly number[])[];
  /** A wave's questions arrive evenly over this long (0: all at once). */
  readonly spreadMs: number;
  /** After a wave's last message_stop, how long to wait for answers still not complete. */
  readonly settleCapMs: number;
  /** A wave still unanswered after this long means a broken bot: the run fails. */
  readonly safetyMs: number;
}

export type FakesProtocol = {
  start: {
    /** `faults`: ready to inject the soak's faults (a route that fails chosen edits with 500). */
    payload: { readonly discord: DiscordSettings; readonly stream: StreamSettings; readonly faults?: boolean };
    result: { readonly apiUrl: string; readonly anthropicUrl: string };
  };
  /** One answer in the last channel, kept apart from the run's; nothing is recorded. */
  warmUp: { payload: Omit<RunPlan, 'waves' | 'spreadMs'>; result: null };
  run: { payload: RunPlan; result: RunRecord };
  /** /ask commands one after another: INTERACTION_CREATE → the deferral, in ms. */
  acknowledge: { payload: { readonly asks: number }; result: readonly number[] };
  /** Questions in every channel, one at a time per channel, with faults, for as long as planned. */
  soak: { payload: SoakPlan; result: SoakRecord };
  stop: { payload: null; result: null };
};
