// The text the fake model streams, and how a question names its answer so the fakes can tie a
// model request (which carries only the prompt) to the Discord question it answers.

const WORDS = [
  'the',
  'reply',
  'follows',
  'each',
  'token',
  'as',
  'it',
  'streams',
  'from',
  'model',
  'into',
  'one',
  'message',
  'that',
  'keeps',
  'growing',
  'while',
  'channel',
  'budget',
  'allows',
  'another',
  'edit',
];

/** Plain prose of exactly `chars` characters (no markdown, nothing the splitter treats specially). */
export function answerText(chars: number): string {
  let text = '';
  for (let index = 0; text.length < chars; index += 1) {
    const word = WORDS[(index * 7) % WORDS.length] ?? 'word';
    text += index % 12 === 11 ? `${word}. ` : `${word} `;
  }
  return text.slice(0, chars).trimEnd().padEnd(chars, '.');
}

/** The question as the user types it; `tag` identifies the answer. */
export function questionText(tag: number): string {
  return `q${tag}: explain how streaming replies work`;
}

export function ackPrompt(index: number): string {
  return `ack${index}: say ok`;
}

/** The answer's tag, found in the prompt of the model request. */
export function tagOf(prompt: string): number | undefined {
  const match = /\bq(\d+):/.exec(prompt);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}
