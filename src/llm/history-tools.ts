import type { ContentPart, ProviderBlock } from '../core/ports/model.js';
import type { ClaudeFeatures } from './anthropic-params.js';

// An earlier answer may have searched or fetched with a tool the operator has since turned off, and
// the API refuses a request whose history holds tool use for a tool it does not define. Such blocks
// are left out of what is sent back; the text they led to stays, without its citations, which point
// into the results left out.

const TOOL_OF_RESULT: Readonly<Record<string, string>> = {
  web_search_tool_result: 'web_search',
  web_fetch_tool_result: 'web_fetch',
};

/** One message's parts without the blocks of tools `features` leaves off. */
export function withAvailableTools(parts: readonly ContentPart[], features: ClaudeFeatures): readonly ContentPart[] {
  const enabled = new Set<string>();
  if (features.webSearch) enabled.add('web_search');
  if (features.webFetch) enabled.add('web_fetch');
  const unavailable = (part: ContentPart) => {
    if (part.type !== 'provider') return false;
    const tool = toolOf(part.block);
    return tool !== undefined && !enabled.has(tool);
  };
  if (!parts.some(unavailable)) return parts;
  return parts
    .filter((part) => !unavailable(part))
    .map((part) => (part.type === 'provider' ? { type: 'provider', block: withoutCitations(part.block) } : part));
}

function toolOf(block: ProviderBlock): string | undefined {
  if (block.type === 'server_tool_use') return typeof block.name === 'string' ? block.name : '';
  return typeof block.type === 'string' ? TOOL_OF_RESULT[block.type] : undefined;
}

function withoutCitations(block: ProviderBlock): ProviderBlock {
  if (block.type !== 'text' || !('citations' in block)) return block;
  const { citations: _left, ...rest } = block;
  return rest;
}
