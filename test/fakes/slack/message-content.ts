import { SlackApiError } from './api-errors.js';
import { optionalArray, optionalString, type Params } from './params.js';
import type { MessageContent } from './types.js';

// Slack: "Limit this field to 12,000 characters" (markdown_text of chat.postMessage, chat.update,
// chat.*Stream). The error code for going over is not documented; msg_too_long is what bots report.
export const MARKDOWN_TEXT_LIMIT = 12_000;
// chat.update's reference: "The `text` field cannot exceed 4,000 characters" (msg_too_long). The
// chat.postMessage page still speaks of truncating at 40,000, but Slack's own maintainers say the
// platform now refuses text over 4,000 with msg_too_long (seratch/ChatGPT-in-Slack#102), as bots see.
export const TEXT_LIMIT = 4_000;
// Block Kit: at most 50 blocks in a message (msg_blocks_too_many / invalid_blocks).
export const BLOCKS_LIMIT = 50;

/**
 * The content of a chat.postMessage / chat.update / chat.postEphemeral call, checked as Slack
 * does: `markdown_text` never with `text` or `blocks` (markdown_text_conflict), something to show
 * (no_text), text and markdown within their limits (msg_too_long).
 */
export function readContent(params: Params): MessageContent {
  const text = optionalString(params, 'text');
  const markdownText = optionalString(params, 'markdown_text');
  const blocks = optionalArray(params, 'blocks', 'invalid_blocks_format');
  const attachments = optionalArray(params, 'attachments', 'invalid_attachments');
  if (markdownText !== undefined && (text !== undefined || blocks !== undefined)) {
    throw new SlackApiError('markdown_text_conflict');
  }
  if (text === undefined && markdownText === undefined && blocks === undefined && attachments === undefined) {
    throw new SlackApiError('no_text');
  }
  if (markdownText !== undefined && markdownText.length > MARKDOWN_TEXT_LIMIT) throw new SlackApiError('msg_too_long');
  if (text !== undefined && text.length > TEXT_LIMIT) throw new SlackApiError('msg_too_long');
  if (blocks !== undefined) checkBlocks(blocks, 'invalid_blocks');
  return { text, markdownText, blocks };
}

export function checkBlocks(blocks: readonly unknown[], tooMany: string): void {
  if (blocks.length > BLOCKS_LIMIT) throw new SlackApiError(tooMany);
  for (const block of blocks) {
    const type = typeof block === 'object' && block !== null ? (block as { type?: unknown }).type : undefined;
    if (typeof type !== 'string') throw new SlackApiError('invalid_blocks');
  }
}

/** The Markdown a message shows: its `markdown_text`, else its `markdown` blocks' text (undefined without either). */
export function markdownShown(content: MessageContent): string | undefined {
  if (content.markdownText !== undefined) return content.markdownText;
  const texts = (content.blocks ?? []).flatMap((block) => {
    const { type, text } = (typeof block === 'object' && block !== null ? block : {}) as Record<string, unknown>;
    return type === 'markdown' && typeof text === 'string' ? [text] : [];
  });
  return texts.length === 0 ? undefined : texts.join('\n');
}
