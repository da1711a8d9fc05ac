import type { Source } from '../ports/model.js';
import { SOURCES_HEADING } from '../user-text.js';

// What an answer shows of the pages it cites: a numbered marker after each cited piece of text
// (" [1][2]"), one number per distinct page over the whole answer (a Continue goes on numbering
// from the answer it continues), and a "Sources" list at the end. How a link is written is the
// platform's business (Discord keeps its previews away); plain Markdown by default.

/** A cited page as a link in the platform's markup. */
export type SourceLink = (source: Source) => string;

// Brackets in a title would end the link text early.
export const markdownLink: SourceLink = ({ title, url }) => `[${title.replace(/[[\]\\]/g, '\\$&')}](${url})`;

/** The answer as shown: its text with markers, and every page it cites. */
export interface ShownAnswer {
  /** The text with its citation markers. */
  readonly body: string;
  /** Every page cited, prior answer included, in the order of their numbers. */
  readonly sources: readonly Source[];
  /** The list at the end of the answer ('' when nothing is cited). */
  readonly sourcesList: string;
}

export interface AnswerComposer {
  /** The text block that ends `snapshot` cites `sources`: its marker goes after it. */
  cite(snapshot: string, sources: readonly Source[]): void;
  /** The text with the markers so far; cheap enough for every delta (few markers). */
  body(snapshot: string): string;
  /** The answer as shown at the end. */
  shown(snapshot: string): ShownAnswer;
}

interface Marker {
  /** Where in the text (without markers) it goes. */
  readonly at: number;
  readonly text: string;
}

export function createAnswerComposer(link: SourceLink = markdownLink, prior: readonly Source[] = []): AnswerComposer {
  const numbers = new Map<string, number>();
  const sources: Source[] = [];
  const markers: Marker[] = [];
  for (const source of prior) numberOf(source);

  function numberOf(source: Source): number {
    const known = numbers.get(source.url);
    if (known !== undefined) return known;
    sources.push(source);
    numbers.set(source.url, sources.length);
    return sources.length;
  }

  function body(snapshot: string): string {
    let text = '';
    let from = 0;
    for (const marker of markers) {
      if (marker.at > snapshot.length) break;
      text += snapshot.slice(from, marker.at) + marker.text;
      from = marker.at;
    }
    return text + snapshot.slice(from);
  }

  return {
    cite(snapshot, cited) {
      const cites = [...new Set(cited.map(numberOf))].map((number) => `[${number}]`).join('');
      if (cites === '') return;
      // Markers only ever go at the end of the text so far, so what is shown already never moves;
      // after a space the marker takes one of its own, so the next word stays apart from it.
      const spaced = snapshot === '' || /\s$/.test(snapshot) ? `${cites} ` : ` ${cites}`;
      markers.push({ at: snapshot.length, text: spaced });
    },
    body,
    shown(snapshot) {
      const list = sources.map((source, index) => `${index + 1}. ${link(source)}`);
      const sourcesList = list.length === 0 ? '' : `\n\n${SOURCES_HEADING}\n${list.join('\n')}`;
      return { body: body(snapshot), sources: [...sources], sourcesList };
    },
  };
}
