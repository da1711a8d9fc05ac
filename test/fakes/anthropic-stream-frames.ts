/**
 * The fake Anthropic's stream as a flat list of frames between message_start and message_delta:
 * each block's content_block_start, its deltas, its content_block_stop, plus pings and waits. One
 * list serves plain text and Claude-native blocks alike, and a stream fault is just a cut in it.
 */
import type { PlannedBlock } from './anthropic-content-blocks.js';

export type StreamFrame =
  | { kind: 'event'; event: string; data: Record<string, unknown> }
  /** A content_block_delta; `gapMs` is the pause before it (none before the stream's first delta). */
  | { kind: 'delta'; data: Record<string, unknown>; textChars: number | null; gapMs: number; ordinal: number }
  | { kind: 'wait'; ms: number };

export interface FramePacing {
  initialPing: boolean;
  ttftMs: number;
  delayMs: number;
  pingEveryDeltas: number;
}

const PING = { kind: 'event', event: 'ping', data: { type: 'ping' } } as const;

export function buildFrames(blocks: readonly PlannedBlock[], pacing: FramePacing): StreamFrame[] {
  const frames: StreamFrame[] = [];
  let ordinal = 0;
  for (const [index, block] of blocks.entries()) {
    if (block.pauseBeforeMs > 0) frames.push({ kind: 'wait', ms: block.pauseBeforeMs });
    frames.push(event('content_block_start', { type: 'content_block_start', index, content_block: block.start }));
    if (index === 0) {
      // The real API pings once after the first content_block_start; the model then takes its time.
      if (pacing.initialPing) frames.push(PING);
      if (pacing.ttftMs > 0) frames.push({ kind: 'wait', ms: pacing.ttftMs });
    }
    for (const { delta, textChars } of block.deltas) {
      const gapMs = ordinal === 0 ? 0 : (block.delayMs ?? pacing.delayMs);
      frames.push({ kind: 'delta', data: { type: 'content_block_delta', index, delta }, textChars, gapMs, ordinal });
      ordinal += 1;
      if (pacing.pingEveryDeltas > 0 && ordinal % pacing.pingEveryDeltas === 0) frames.push(PING);
    }
    frames.push(event('content_block_stop', { type: 'content_block_stop', index }));
  }
  return frames;
}

/**
 * How many frames go out before a stream fault strikes after `afterDeltas` deltas: everything before
 * the next delta, or, when the stream has no more deltas, everything up to the last delta and its ping
 * (never the block's content_block_stop).
 */
export function framesBeforeFault(frames: readonly StreamFrame[], afterDeltas: number): number {
  const next = frames.findIndex((frame) => frame.kind === 'delta' && frame.ordinal >= Math.max(0, afterDeltas));
  if (next >= 0) return next;
  let lastDelta = -1;
  frames.forEach((frame, i) => {
    if (frame.kind === 'delta') lastDelta = i;
  });
  if (lastDelta < 0) {
    const stop = frames.findIndex((frame) => frame.kind === 'event' && frame.event === 'content_block_stop');
    return stop >= 0 ? stop : frames.length;
  }
  let end = lastDelta + 1;
  while (frames[end]?.kind === 'event' && (frames[end] as { event: string }).event === 'ping') end += 1;
  return end;
}

function event(name: string, data: Record<string, unknown>): StreamFrame {
  return { kind: 'event', event: name, data };
}
