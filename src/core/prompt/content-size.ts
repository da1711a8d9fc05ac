import type { ChatMessage, ContentPart } from '../ports/model.js';
import type { TokenEstimator } from './token-estimator.js';

// How big a message's content is, in tokens by estimate and in characters of text. Text goes by the
// estimator; an image costs at most about 1,600 tokens whatever its file size (Claude scales it down
// to ~1.15 megapixels); a PDF page is text plus an image of the page, roughly one token per 30 bytes.

const IMAGE_TOKENS = 1600;
const PDF_BYTES_PER_TOKEN = 30;
const MIN_PDF_TOKENS = 1500;

export function estimateContent(estimator: TokenEstimator, content: ChatMessage['content']): number {
  if (typeof content === 'string') return estimator.estimate(content);
  return content.reduce((sum, part) => sum + estimatePart(estimator, part), 0);
}

function estimatePart(estimator: TokenEstimator, part: ContentPart): number {
  switch (part.type) {
    case 'text':
      return estimator.estimate(part.text);
    case 'image':
      return IMAGE_TOKENS;
    case 'document':
      return Math.max(MIN_PDF_TOKENS, Math.ceil(base64Bytes(part.data) / PDF_BYTES_PER_TOKEN));
    case 'provider':
      return estimator.estimate(JSON.stringify(part.block));
  }
}

/** Characters of text in `content`; null when it carries an image or a document, whose tokens are not text's. */
export function textChars(content: ChatMessage['content']): number | null {
  if (typeof content === 'string') return content.length;
  let chars = 0;
  for (const part of content) {
    if (part.type === 'image' || part.type === 'document') return null;
    chars += part.type === 'text' ? part.text.length : JSON.stringify(part.block).length;
  }
  return chars;
}

function base64Bytes(data: string): number {
  return Math.floor((data.length * 3) / 4);
}
