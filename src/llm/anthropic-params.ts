import type {
  ContentBlockParam,
  MessageCountTokensParams,
  MessageCreateParamsBase,
  MessageParam,
  ThinkingConfigParam,
  ToolUnion,
} from '@anthropic-ai/sdk/resources/messages';
import type { ContentPart, ModelRequest } from '../core/ports/model.js';
import { withAvailableTools } from './history-tools.js';
import { supportsAdaptiveThinking } from './thinking-support.js';

// The request body: the core's request in the SDK's params, with the operator's thinking and
// server tools. A stream and a token count of one request carry the same thinking and tools, so
// the count is what the stream will be billed.

export interface ThinkingOptions {
  readonly enabled: boolean;
  /** Tokens set aside for thinking on top of the answer's max_tokens (the budget, where a model needs one). */
  readonly budgetTokens: number;
}

/** A server tool and how often one answer may use it. */
export interface ServerToolOptions {
  readonly maxUses: number;
}

export interface ClaudeFeatures {
  readonly thinking: ThinkingOptions;
  /** Anthropic's server-side web search; null: off. */
  readonly webSearch: ServerToolOptions | null;
  /** Anthropic's server-side web fetch; null: off. */
  readonly webFetch: ServerToolOptions | null;
}

export const NO_FEATURES: ClaudeFeatures = {
  thinking: { enabled: false, budgetTokens: 0 },
  webSearch: null,
  webFetch: null,
};

// The tool versions every model with web search / fetch takes; the newer dated versions add dynamic
// filtering through code execution and only some models take them.
const WEB_SEARCH_TOOL = 'web_search_20250305';
const WEB_FETCH_TOOL = 'web_fetch_20250910';

/** The body of a streamed answer (without `stream`, which the SDK adds). */
export function messageParams(model: string, request: ModelRequest, features: ClaudeFeatures): MessageCreateParamsBase {
  return {
    model,
    ...thinkingParams(model, request.maxTokens, features.thinking),
    messages: toMessageParams(request.messages, features),
    ...systemOf(request.system),
    ...toolParams(features),
    ...(request.userId ? { metadata: { user_id: request.userId } } : {}),
    // A channel's conversation only grows at its end: caching up to the last block lets the next
    // question read everything before it from the cache.
    cache_control: { type: 'ephemeral' },
  };
}

/** The body of a token count for the same request: same thinking and tools, no max_tokens. */
export function countParams(
  model: string,
  request: Omit<ModelRequest, 'maxTokens'>,
  features: ClaudeFeatures,
): MessageCountTokensParams {
  const { thinking } = thinkingParams(model, 0, features.thinking);
  return {
    model,
    messages: toMessageParams(request.messages, features),
    ...systemOf(request.system),
    ...(thinking === undefined ? {} : { thinking }),
    ...toolParams(features),
  };
}

/**
 * max_tokens and thinking. Thinking tokens count toward max_tokens (and a budget must stay below
 * it), so the budget is added on top: the answer keeps the length the operator set. Adaptive
 * thinking has no budget, but it spends the same max_tokens, so it gets the same room.
 */
export function thinkingParams(
  model: string,
  maxTokens: number,
  thinking: ThinkingOptions,
): { max_tokens: number; thinking?: ThinkingConfigParam } {
  if (!thinking.enabled) return { max_tokens: maxTokens };
  const max_tokens = maxTokens + thinking.budgetTokens;
  if (supportsAdaptiveThinking(model)) return { max_tokens, thinking: { type: 'adaptive' } };
  return { max_tokens, thinking: { type: 'enabled', budget_tokens: thinking.budgetTokens } };
}

function toolParams(features: ClaudeFeatures): { tools?: ToolUnion[] } {
  const tools: ToolUnion[] = [];
  if (features.webSearch) {
    tools.push({ type: WEB_SEARCH_TOOL, name: 'web_search', max_uses: features.webSearch.maxUses });
  }
  if (features.webFetch) {
    tools.push({ type: WEB_FETCH_TOOL, name: 'web_fetch', max_uses: features.webFetch.maxUses });
  }
  return tools.length === 0 ? {} : { tools };
}

export function toMessageParams(messages: ModelRequest['messages'], features: ClaudeFeatures): MessageParam[] {
  return messages.map((message) => ({
    role: message.role,
    content:
      typeof message.content === 'string'
        ? message.content
        : withAvailableTools(message.content, features).map(toBlockParam),
  }));
}

function toBlockParam(part: ContentPart): ContentBlockParam {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'image':
      return { type: 'image', source: { type: 'base64', media_type: part.mediaType, data: part.data } };
    case 'document':
      return {
        type: 'document',
        source: { type: 'base64', media_type: part.mediaType, data: part.data },
        ...(part.title === undefined ? {} : { title: part.title }),
      };
    case 'provider':
      // Our own earlier answer, sent back as the API returned it.
      return part.block as unknown as ContentBlockParam;
  }
}

function systemOf(system: string | undefined): { system?: string } {
  return system ? { system } : {};
}
