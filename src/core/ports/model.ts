// The model as the core sees it: something that streams text for a conversation. The Anthropic
// adapter implements it; the core never sees the SDK.

export interface ChatMessage {
  readonly role: 'user' | 'assistant';
  readonly content: string;
}

export interface ModelRequest {
  /** Which model answers; the adapter's default when absent. */
  readonly model?: string | undefined;
  readonly system?: string | undefined;
  readonly messages: readonly ChatMessage[];
  readonly maxTokens: number;
  /** Who asked, as an opaque stable hash (never a raw platform id), for abuse tracing. */
  readonly userId?: string | undefined;
}

export interface StreamHandlers {
  /** A text delta arrived; `snapshot` is the whole text so far. */
  onText(delta: string, snapshot: string): void;
  /** Any sign of life on the stream (pings included), for idle detection. */
  onActivity(): void;
}

export type StopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'refusal' | 'other';

export interface TokenUsage {
  /** Input tokens after the last cache breakpoint (not read from or written to the cache). */
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheCreationTokens: number;
}

export interface ModelResult {
  readonly text: string;
  readonly stopReason: StopReason;
  readonly usage: TokenUsage;
  /** The model that answered, as the provider names it; absent when it did not say. */
  readonly model?: string | undefined;
  /** The provider's id of the request (Anthropic's request-id header), for support and tracing. */
  readonly requestId?: string | undefined;
}

export interface ChatModel {
  /** Streams one answer; rejects with ModelError. Aborting `signal` ends it at once. */
  stream(request: ModelRequest, handlers: StreamHandlers, signal: AbortSignal): Promise<ModelResult>;
  /** The exact input tokens `request` would use (system and messages). */
  countTokens(request: Omit<ModelRequest, 'maxTokens'>, signal: AbortSignal): Promise<number>;
}

/** Every input token of a request, cached or not. */
export function totalInputTokens(usage: TokenUsage): number {
  return usage.inputTokens + usage.cacheReadTokens + usage.cacheCreationTokens;
}

/** Why a model call failed, in the core's terms; the adapter maps its SDK's typed errors to these. */
export type ModelFailure =
  | 'overloaded'
  | 'rate_limited'
  | 'authentication'
  | 'permission'
  | 'billing'
  | 'invalid_request'
  | 'not_found'
  | 'timeout'
  | 'connection'
  | 'server'
  | 'stream_cut'
  | 'aborted'
  | 'unknown';

export class ModelError extends Error {
  override readonly name = 'ModelError';

  constructor(
    readonly failure: ModelFailure,
    message: string,
    options?: { cause?: unknown; usage?: TokenUsage; model?: string; requestId?: string | undefined },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.usage = options?.usage;
    this.model = options?.model;
    this.requestId = options?.requestId;
  }

  /** Tokens the failed call used as far as the stream told. */
  readonly usage: TokenUsage | undefined;
  /** The model that was asked. */
  readonly model: string | undefined;
  /** The provider's id of the failed request, when a response (or its headers) came. */
  readonly requestId: string | undefined;
}
