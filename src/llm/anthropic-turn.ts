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
 * Continuations after the first call. Each is another full request (the whole conversation again,
 * mostly read from the prompt cache) while the asker waits: the bound keeps a turn that pauses again
 * and again from spending and waiting without end. Three give a long search turn four requests'
 * room; a turn still paused after them ends with what it has (stop reason 'other'), and the core
 * shows its text.
 */
export const MAX_PAUSE_CONTINUATIONS = 3;

const NO_USAGE: TokenUsage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheCreationTokens: 0 };

/** One call of an answer, done. */
interface Call {
  readonly message: Message;
  /** The message's content as plain JSON. */
  readonly blocks: readonly ProviderBlock[];
  readonly usage: TokenUsage;
  readonly requestId: string | undefined;
}

export async function streamAnswer(
  client: Anthropic,
  params: MessageCreateParamsBase,
  handlers: StreamHandlers,
  signal: AbortSignal,
): Promise<ModelResult> {
  const progress: AnswerProgress = { text: '' };
  const calls: Call[] = [];
  for (;;) {
    const paused = calls.flatMap((call) => call.blocks);
    // Everything paused so far goes back as one assistant message, exactly as it came.
    const messages =
      paused.length === 0
        ? params.messages
        : [...params.messages, { role: 'assistant' as const, content: paused as unknown as ContentBlockParam[] }];
    const call = await streamCall(client, { ...params, messages }, { handlers, progress, signal, before: calls });
    calls.push(call);
    // Still paused after the last continuation: the answer ends with what it has (stop reason 'other').
    if (call.message.stop_reason !== 'pause_turn' || calls.length > MAX_PAUSE_CONTINUATIONS) {
      return resultOf(calls, progress.text);
    }
  }
}

interface CallContext {
  readonly handlers: StreamHandlers;
  readonly progress: AnswerProgress;
  readonly signal: AbortSignal;
  /** The answer's earlier calls, whose usage a failure reports too. */
  readonly before: readonly Call[];
}

async function streamCall(client: Anthropic, params: MessageCreateParamsBase, context: CallContext): Promise<Call> {
  const usage: MutableUsage = { ...NO_USAGE };
  const stream = client.messages.stream(params, { signal: context.signal });
  relayEvents(stream, context.handlers, context.progress, usage);
  try {
    const message = await stream.finalMessage();
    // The SDK reads the request-id header when the response starts.
    return { message, blocks: jsonBlocks(message), usage, requestId: stream.request_id ?? undefined };
  } catch (error) {
    // A failed response has its own request id; a stream that broke after it started, the stream's.
    const used = [...context.before.map((call) => call.usage), usage].reduce(sum);
    throw toModelError(error, used, { model: params.model, requestId: stream.request_id ?? undefined });
  }
}

function resultOf(calls: readonly Call[], text: string): ModelResult {
  const last = calls[calls.length - 1] as Call;
  const blocks = calls.flatMap((call) => call.blocks);
  return {
    text,
    blocks: blocks.every(isPlainText) ? [] : blocks,
    reasoning: reasoningOf(blocks),
    searches: calls.reduce((total, call) => total + (call.message.usage.server_tool_use?.web_search_requests ?? 0), 0),
    stopReason: toStopReason(last.message.stop_reason),
    usage: calls.map((call) => call.usage).reduce(sum),
    model: last.message.model,
    requestId: last.requestId,
  };
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
