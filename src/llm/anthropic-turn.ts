import type Anthropic from '@anthropic-ai/sdk';
import type {
  ContentBlockParam,
  Message,
  MessageCreateParamsBase,
  StopReason as SdkStopReason,
} from '@anthropic-ai/sdk/resources/messages';
import type { ModelResult, ProviderBlock, StopReason, StreamHandlers, TokenUsage } from '../core/ports/model.js';
import { relayEvents } from './anthropic-events.js';
import type { AnswerProgress, MutableUsage } from './anthropic-events.js';
import { toModelError } from './anthropic-errors.js';

// One answer: a streamed call, and its continuations when a server tool paused the turn.
//
// A long search turn may end with stop_reason `pause_turn`: the API wants the paused assistant
// content back, as the last assistant message of the same request, to go on where it stopped. The
// continuation streams into the same handlers, so the reply just keeps growing.

/**
 * Continuations after the first call. Each one is a full request (the whole conversation again,
 * mostly read from the prompt cache): a bound keeps a turn that pauses again and again from
 * spending without end, and three is more than the searches an answer allows (WEB_SEARCH_MAX_USES)
 * usually need. A turn still paused after them ends with what it has (stop reason 'other').
 */
export const MAX_PAUSE_CONTINUATIONS = 3;

const NO_USAGE: TokenUsage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheCreationTokens: 0 };

export async function streamAnswer(
  client: Anthropic,
  params: MessageCreateParamsBase,
  handlers: StreamHandlers,
  signal: AbortSignal,
): Promise<ModelResult> {
  const progress: AnswerProgress = { text: '' };
  const total: MutableUsage = { ...NO_USAGE };
  const blocks: ProviderBlock[] = [];
  let searches = 0;
  for (let continuation = 0; ; continuation += 1) {
    // Everything paused so far goes back as one assistant message, exactly as it came.
    const paused =
      blocks.length === 0 ? [] : [{ role: 'assistant' as const, content: blocks as unknown as ContentBlockParam[] }];
    const call: MutableUsage = { ...NO_USAGE };
    const stream = client.messages.stream({ ...params, messages: [...params.messages, ...paused] }, { signal });
    relayEvents(stream, handlers, progress, call);
    let message: Message;
    try {
      message = await stream.finalMessage();
    } catch (error) {
      // A failed response has its own request id; a stream that broke after it started, the stream's.
      throw toModelError(error, sum(total, call), { model: params.model, requestId: stream.request_id ?? undefined });
    }
    Object.assign(total, sum(total, call));
    blocks.push(...jsonBlocks(message));
    searches += message.usage.server_tool_use?.web_search_requests ?? 0;
    const pausedAgain = message.stop_reason === 'pause_turn';
    if (!pausedAgain || continuation === MAX_PAUSE_CONTINUATIONS) {
      return {
        text: progress.text,
        blocks: blocks.every(isPlainText) ? [] : blocks,
        reasoning: reasoningOf(blocks),
        searches,
        // Still paused after the last continuation: 'other', and the core shows the text it has.
        stopReason: toStopReason(message.stop_reason),
        usage: { ...total },
        model: message.model,
        // The SDK reads the request-id header when the response starts.
        requestId: stream.request_id ?? undefined,
      };
    }
  }
}

function sum(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheCreationTokens: a.cacheCreationTokens + b.cacheCreationTokens,
  };
}

/**
 * The message's content as plain JSON, exactly as the API sent it: the SDK's accumulated blocks
 * carry non-enumerable helpers (a tool input's JSON buffer, a text's parsed output) that must not
 * reach storage or a later request.
 */
function jsonBlocks(message: Message): ProviderBlock[] {
  return JSON.parse(JSON.stringify(message.content)) as ProviderBlock[];
}

/** A text block without citations: nothing the answer's text does not already hold. */
function isPlainText(block: ProviderBlock): boolean {
  return block.type === 'text' && !(Array.isArray(block.citations) && block.citations.length > 0);
}

/** Every thinking block's text, a blank line between blocks (redacted and omitted thinking have none). */
function reasoningOf(blocks: readonly ProviderBlock[]): string {
  return blocks
    .filter((block) => block.type === 'thinking' && typeof block.thinking === 'string' && block.thinking !== '')
    .map((block) => block.thinking as string)
    .join('\n\n');
}

function toStopReason(reason: SdkStopReason | null): StopReason {
  switch (reason) {
    case 'end_turn':
    case 'max_tokens':
    case 'stop_sequence':
    case 'refusal':
      return reason;
    case 'model_context_window_exceeded':
      return 'context_window_exceeded';
    default:
      return 'other';
  }
}
