import type { Clock } from '../ports/clock.js';
import type { ModelActivity } from '../ports/model.js';
import { statusText } from '../user-text.js';

// The line a streaming reply shows while Claude is not writing text: thinking (with the seconds it
// has been thinking, ticking once a second) or using a web tool (what it searches for or reads).
// Each tick only records the newest line: the reply's latest-wins editor and its write budget decide
// how often it really reaches the platform, so a tick costs nothing when edits are scarce.

export interface StatusLineOptions {
  readonly clock: Clock;
  /** Shows `line` on the live message (null: take it away). */
  readonly show: (line: string | null) => void;
  /** How often the thinking seconds are counted again. */
  readonly tickMs?: number;
}

export interface StatusLine {
  /** The model thinks or uses a tool now. */
  activity(activity: ModelActivity): void;
  /** Text came: the status goes and the timer stops. */
  clear(): void;
  /** The turn ended: the timer stops; the reply's final display replaces the line (no edit spent here). */
  stop(): void;
}

const TICK_MS = 1000;
// A query longer than this is cut: the status is one short line.
const MAX_QUERY = 80;

export function createStatusLine(options: StatusLineOptions): StatusLine {
  const { clock, show } = options;
  let thinkingSince: number | null = null;
  let timer: ReturnType<typeof setInterval> | undefined;
  let shown = false;

  function stopThinking(): void {
    clearInterval(timer);
    timer = undefined;
    thinkingSince = null;
  }

  function display(line: string | null): void {
    shown = line !== null;
    show(line);
  }

  function showThinking(): void {
    if (thinkingSince === null) return;
    display(statusText.thinking(Math.floor((clock.elapsed() - thinkingSince) / 1000)));
  }

  return {
    activity(activity) {
      if (activity.kind === 'thinking') {
        // Thinking that goes on keeps its start; the timer already runs.
        if (thinkingSince !== null) return;
        thinkingSince = clock.elapsed();
        showThinking();
        timer = setInterval(showThinking, options.tickMs ?? TICK_MS);
        return;
      }
      stopThinking();
      display(
        activity.kind === 'searching'
          ? statusText.searching(plainLine(activity.query, MAX_QUERY))
          : statusText.fetching(plainLine(pageName(activity.url), MAX_QUERY)),
      );
    },
    clear() {
      stopThinking();
      if (shown) display(null);
    },
    stop: stopThinking,
  };
}

/**
 * `text` as one short line that renders as typed: whitespace flattened, cut at `max` code points
 * (never inside a surrogate pair), markdown escaped and mentions broken, so a query can neither
 * format the message nor look like a ping.
 */
export function plainLine(text: string, max: number): string {
  const flat = Array.from(text.replace(/\s+/g, ' ').trim());
  const short =
    flat.length > max
      ? `${flat
          .slice(0, max - 1)
          .join('')
          .trimEnd()}…`
      : flat.join('');
  return short.replace(/[\\*_~`|>#[\]()<:-]/g, '\\$&').replace(/@/g, '@\u200b');
}

// A page as host and path: without its scheme no platform turns it into a link (or an embed).
function pageName(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return url;
  }
}
