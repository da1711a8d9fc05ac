import type { MessageView } from '../../core/reply/message-view.js';

// What is posted to Slack from the model's text. Model output must never notify anyone: Slack's
// special mentions (<!channel>, <!here>, <!everyone>, <!subteam^…>), user mentions (<@U…>, <@W…>)
// and the bare @channel / @here / @everyone that markdown may turn into them are broken with a
// word joiner, which shows nothing and keeps the text readable.

const WORD_JOINER = '\u2060';
const SPECIAL_MENTION = /<(?=[!@])/g;
const BARE_BROADCAST = /@(?=(?:channel|here|everyone)\b)/gi;

/** What is posted for the core's text: mentions neutralised, Discord's small-text lines in Slack's words. */
export function slackMarkdown(text: string): string {
  return slackNotice(neutraliseMentions(text));
}

/** Our own text (a command's answer, never the model's): it may name people, so only the small-text lines change. */
export function slackNotice(text: string): string {
  return text.replace(SMALL_TEXT_LINE, '_$1_');
}

// The core marks notices and the usage line with Discord's small-text prefix (`-# `), which Slack's
// Markdown reads as a list item: Slack shows them in italics instead.
const SMALL_TEXT_LINE = /^-# (.+)$/gm;

export function neutraliseMentions(text: string): string {
  return text.replace(SPECIAL_MENTION, `<${WORD_JOINER}`).replace(BARE_BROADCAST, `@${WORD_JOINER}`);
}

/**
 * The answer's text in a view, without the status line the core may show under it: a native stream
 * can only be appended to, so the status is never streamed: it goes to the thread's status instead.
 */
export function answerTextOf(view: MessageView): string {
  if (view.status === undefined) return view.content;
  return view.content.slice(0, view.content.length - view.status.length).trimEnd();
}

/** Whether the message is still streaming: the core shows Stop exactly while it does. */
export const isStreaming = (view: MessageView): boolean => view.controls.includes('stop');
