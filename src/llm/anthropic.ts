import Anthropic from '@anthropic-ai/sdk';
import type {
  ContentBlockParam,
  MessageParam,
  MessageStreamEvent,
  StopReason as SdkStopReason,
} from '@anthropic-ai/sdk/resources/messages';
import { ModelError } from '../core/ports/model.js';
import type {
  ChatModel,
  ContentPart,
  ModelFailure,
  ModelRequest,
  StopReason,
  TokenUsage,
} from '../core/ports/model.js';

// The only file that knows the Anthropic SDK: streams with client.messages.stream() and turns the
// SDK's typed errors into the core's ModelError.

export interface AnthropicModelOptions {
  readonly apiKey: string;
  /** Unset: the SDK's default (or ANTHROPIC_BASE_URL, which it reads itself). */
  readonly baseURL: string | undefined;
  readonly model: string;
  readonly maxRetries: number;
  /** Covers the wait for response headers only; a stalled body is the caller's to abort. */
  readonly timeoutMs: number;
}

export function createAnthropicModel(options: AnthropicModelOptions): ChatModel {
  const client = new Anthropic({
    apiKey: options.apiKey,
    ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
    maxRetries: options.maxRetries,
    timeout: options.timeoutMs,
  });

  return {
    async countTokens(request, signal) {
      try {
        const counted = await client.messages.countTokens(
          {
            model: request.model ?? options.model,
            messages: toMessageParams(request.messages),
            ...systemOf(request.system),
          },
          { signal },
        );
        return counted.input_tokens;
      } catch (error) {
        throw toModelError(error, NO_USAGE, { model: request.model ?? options.model });
      }
    },
    async stream(request, handlers, signal) {
      const usage = { ...NO_USAGE };
      let text = '';
      const model = request.model ?? options.model;
      const stream = client.messages.stream(toParams(model, request), { signal });
      stream.on('streamEvent', (event) => {
        recordUsage(event, usage);
        handlers.onActivity();
      });
      stream.on('text', (delta) => {
        // Our own snapshot: the SDK's restarts with every content block.
        text += delta;
        handlers.onText(delta, text);
      });
      try {
        const message = await stream.finalMessage();
        return {
          text,
          stopReason: toStopReason(message.stop_reason),
          usage: { ...usage },
          model: message.model,
          // The SDK reads the request-id header when the response starts.
          requestId: stream.request_id ?? undefined,
        };
      } catch (error) {
        // A failed response has its own request id; a stream that broke after it started, the stream's.
        throw toModelError(error, usage, { model, requestId: stream.request_id ?? undefined });
      }
    },
  };
}

const NO_USAGE: TokenUsage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheCreationTokens: 0 };

function toMessageParams(messages: ModelRequest['messages']): MessageParam[] {
  return messages.map((message) => ({
    role: message.role,
    content: typeof message.content === 'string' ? message.content : message.content.map(toBlockParam),
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

function toParams(model: string, request: ModelRequest) {
  return {
    model,
    max_tokens: request.maxTokens,
    messages: toMessageParams(request.messages),
    ...systemOf(request.system),
    ...(request.userId ? { metadata: { user_id: request.userId } } : {}),
    // A channel's conversation only grows at its end: caching up to the last block lets the next
    // question read everything before it from the cache.
    cache_control: { type: 'ephemeral' as const },
  };
}

type MutableUsage = { -readonly [K in keyof TokenUsage]: TokenUsage[K] };

function recordUsage(event: MessageStreamEvent, usage: MutableUsage): void {
  if (event.type === 'message_start') {
    const started = event.message.usage;
    usage.inputTokens = started.input_tokens;
    usage.outputTokens = started.output_tokens;
    usage.cacheReadTokens = started.cache_read_input_tokens ?? 0;
    usage.cacheCreationTokens = started.cache_creation_input_tokens ?? 0;
  } else if (event.type === 'message_delta') {
    usage.outputTokens = event.usage.output_tokens;
  }
}

function toStopReason(reason: SdkStopReason | null): StopReason {
  switch (reason) {
    case 'end_turn':
    case 'max_tokens':
    case 'stop_sequence':
    case 'refusal':
      return reason;
    default:
      return 'other';
  }
}

/** What is known of the failed call besides the error: the model asked, the stream's request id. */
export interface FailedCall {
  readonly model?: string;
  readonly requestId?: string | undefined;
}

/** Maps the SDK's typed errors to the core's failures: by class, then by the error body's type. */
export function toModelError(error: unknown, usage: TokenUsage, call: FailedCall = {}): ModelError {
  const failure = classify(error);
  const message = error instanceof Error ? error.message : String(error);
  // The SDK's APIError carries the request id of the response that failed.
  const requestId = (error instanceof Anthropic.APIError ? error.requestID : undefined) ?? call.requestId;
  return new ModelError(failure, message, {
    cause: error,
    usage: { ...usage },
    ...(call.model === undefined ? {} : { model: call.model }),
    requestId: requestId ?? undefined,
  });
}

function classify(error: unknown): ModelFailure {
  if (error instanceof Anthropic.APIUserAbortError) return 'aborted';
  if (error instanceof Anthropic.APIConnectionTimeoutError) return 'timeout';
  if (error instanceof Anthropic.APIConnectionError) return 'connection';
  if (error instanceof Anthropic.AuthenticationError) return 'authentication';
  if (error instanceof Anthropic.PermissionDeniedError) return 'permission';
  if (error instanceof Anthropic.NotFoundError) return 'not_found';
  if (error instanceof Anthropic.RateLimitError) return 'rate_limited';
  if (error instanceof Anthropic.OverloadedError) return 'overloaded';
  if (error instanceof Anthropic.BadRequestError) return 'invalid_request';
  if (error instanceof Anthropic.PaymentRequiredError) return 'billing';
  if (error instanceof Anthropic.InternalServerError) return 'server';
  if (error instanceof Anthropic.APIError) return classifyByType(error.type);
  // The SDK throws a plain AnthropicError when the body ends before message_stop.
  if (error instanceof Anthropic.AnthropicError) return 'stream_cut';
  return 'unknown';
}

// A mid-stream `event: error` arrives inside an HTTP 200: a bare APIError with no status, whose
// body type says what happened.
function classifyByType(type: string | null): ModelFailure {
  switch (type) {
    case 'overloaded_error':
      return 'overloaded';
    case 'rate_limit_error':
      return 'rate_limited';
    case 'authentication_error':
      return 'authentication';
    case 'permission_error':
      return 'permission';
    case 'billing_error':
      return 'billing';
    case 'invalid_request_error':
      return 'invalid_request';
    case 'not_found_error':
      return 'not_found';
    case 'timeout_error':
      return 'timeout';
    case 'api_error':
      return 'server';
    default:
      return 'unknown';
  }
}
