import { createAnswerComposer } from './answer-composer.js';
import type { ShownAnswer, SourceLink } from './answer-composer.js';
import type { Clock } from '../ports/clock.js';
import type { ProviderBlock, Source, StreamHandlers } from '../ports/model.js';
import type { ReplyStream } from '../reply/reply-stream.js';
import { createStatusLine } from '../reply/status-line.js';

// What a turn shows while it streams besides the text: the status line (thinking, searching) until
// text comes, and citation markers after cited text. The reply only ever gets text with markers.

/** What a turn's reply can show: text always, a status line if the platform has one. */
export type DisplayReply = Pick<ReplyStream, 'update'> & Partial<Pick<ReplyStream, 'status'>>;

/** What a Continue carries over from the answer it continues. */
export interface PriorAnswer {
  /** The blocks of the answer it continues, sent back as the assistant's turn. */
  readonly priorBlocks?: readonly ProviderBlock[];
  /** The pages the answer it continues cites: numbering goes on from them. */
  readonly priorSources?: readonly Source[];
}

export interface TurnDisplay {
  /** New text: the status goes, the text (with markers) shows. */
  text(snapshot: string): void;
  readonly handlers: Required<Pick<StreamHandlers, 'onStatus' | 'onCitations'>>;
  /** The answer as it ends up shown, for `snapshot` as the final text. */
  shown(snapshot: string): ShownAnswer;
  /** The turn ended: no more ticks. */
  stop(): void;
}

export function createTurnDisplay(
  deps: { readonly clock: Clock; readonly sourceLink?: SourceLink | undefined },
  prior: PriorAnswer,
  reply: DisplayReply,
): TurnDisplay {
  const composer = createAnswerComposer(deps.sourceLink, prior.priorSources);
  const status = createStatusLine({ clock: deps.clock, show: (line) => reply.status?.(line) });
  let snapshot = '';
  return {
    text(next) {
      snapshot = next;
      status.clear();
      reply.update(composer.body(next));
    },
    handlers: {
      onStatus: (activity) => status.activity(activity),
      onCitations(sources) {
        composer.cite(snapshot, sources);
        reply.update(composer.body(snapshot));
      },
    },
    shown: (text) => composer.shown(text),
    stop: () => status.stop(),
  };
}
