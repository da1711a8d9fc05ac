import Anthropic from '@anthropic-ai/sdk';
import type { ChatModel, TokenUsage } from '../core/ports/model.js';
import { toModelError } from './anthropic-errors.js';
import { countParams, messageParams, NO_FEATURES } from './anthropic-params.js';
import type { ServerToolOptions, ThinkingOptions } from './anthropic-params.js';
import { streamAnswer } from './anthropic-turn.js';

// The Anthropic adapter: streams with client.messages.stream() and turns the SDK's typed errors
// into the core's ModelError. Only src/llm knows the SDK: the request body is built in
// anthropic-params.ts, stream events become handler calls in anthropic-events.ts, and a paused turn
// is continued in anthropic-turn.ts.

export { toModelError } from './anthropic-errors.js';
export type { FailedCall } from './anthropic-errors.js';
export { MAX_PAUSE_CONTINUATIONS } from './anthropic-turn.js';

export interface AnthropicModelOptions {
  readonly apiKey: string;
  /** Unset: the SDK's default (or ANTHROPIC_BASE_URL, which it reads itself). */
  readonly baseURL: string | undefined;
  readonly model: string;
  readonly maxRetries: number;
  /** Covers the wait for response headers only; a stalled body is the caller's to abort. */
  readonly timeoutMs: number;
  /** Extended thinking: adaptive where the model takes it, else this budget. Default: off. */
  readonly thinking?: ThinkingOptions;
  /** Anthropic's server-side web search tool; null or absent: off. */
  readonly webSearch?: ServerToolOptions | null;
  /** Anthropic's server-side web fetch tool; null or absent: off. */
  readonly webFetch?: ServerToolOptions | null;
}

export function createAnthropicModel(options: AnthropicModelOptions): ChatModel {
  const client = new Anthropic({
    apiKey: options.apiKey,
    ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
    maxRetries: options.maxRetries,
    timeout: options.timeoutMs,
  });
  const features = {
    thinking: options.thinking ?? NO_FEATURES.thinking,
    webSearch: options.webSearch ?? null,
    webFetch: options.webFetch ?? null,
  };

  return {
    async countTokens(request, signal) {
      const model = request.model ?? options.model;
      try {
        const counted = await client.messages.countTokens(countParams(model, request, features), { signal });
        return counted.input_tokens;
      } catch (error) {
        throw toModelError(error, NO_USAGE, { model });
      }
    },
    stream(request, handlers, signal) {
      const model = request.model ?? options.model;
      return streamAnswer(client, messageParams(model, request, features), handlers, signal);
    },
  };
}

const NO_USAGE: TokenUsage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheCreationTokens: 0 };
