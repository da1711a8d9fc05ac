import type { ChatMessage, ContentPart } from '../ports/model.js';

// A question as Claude reads it now (its files' parts, then its text) and as the conversation keeps
// it: the text with a short marker per file that went, never the bytes, so that a follow-up about
// "the screenshot" still makes sense without sending it again.

export function questionContent(text: string, parts: readonly ContentPart[]): ChatMessage['content'] {
  if (parts.length === 0) return text;
  // The API refuses an empty text block: a question that is only files sends only them.
  return text.trim() === '' ? [...parts] : [...parts, { type: 'text', text }];
}

/** The marker the conversation keeps for a file that went with a question. */
export function attachedMarker(name: string): string {
  return `[attached: ${name}]`;
}

export function questionForHistory(text: string, attached: readonly string[] | undefined): string {
  if (!attached || attached.length === 0) return text;
  const markers = attached.map(attachedMarker).join(' ');
  return text.trim() === '' ? markers : `${markers}\n${text}`;
}
