// The model as the core sees it: something that streams text for a conversation. The Anthropic
// adapter implements it; the core never sees the SDK.

/** JSON the model adapter wrote for a block of Claude's answer; the core stores it and sends it back unchanged. */
export type ProviderBlock = Readonly<Record<string, unknown>>;

export type ImageMediaType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';

/** A piece of a message: text, an image or a PDF (base64), or a block of Claude's own answer. */
export type ContentPart =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'image'; readonly mediaType: ImageMediaType; readonly data: string }
  | { readonly type: 'document'; readonly mediaType: 'application/pdf'; readonly data: string; readonly title?: string }
  | { readonly type: 'provider'; readonly block: ProviderBlock };

export interface ChatMessage {
  readonly role: 'user' | 'assistant';
  readonly content: string | readonly ContentPart[];
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

/** What the model is doing when it is not writing the answer's text. */
export type ModelActivity =
  | { readonly kind: 'thinking' }
  | { readonly kind: 'searching'; readonly query: string }
  | { readonly kind: 'fetching'; readonly url: string };

/** A page a piece of the answer cites. */
export interface Source {
  readonly url: string;
  readonly title: string;
}

export interface StreamHandlers {
  /** A text delta arrived; `snapshot` is the whole text so far (every text block, without markers). */
  onText(delta: string, snapshot: string): void;
  /** Any sign of life on the stream (pings included), for idle detection. */
  onActivity(): void;
  /** The model started (or goes on) thinking or using a server tool; text that follows ends it. */
  onStatus?(status: ModelActivity): void;
  /** The text block that just ended cites these sources (in the order cited, each once). */
  onCitations?(sources: readonly Source[]): void;
}

export type StopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'refusal' | 'context_window_exceeded' | 'other';

export interface TokenUsage {
  /** Input tokens after the last cache breakpoint (not read from or written to the cache). */
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheCreationTokens: number;
}

export interface ModelResult {
  readonly text: string;
  /**
   * Every block of the answer as the provider returned it (thinking with its signature, server tool
   * use and results, text with citations), continuations of a paused turn included: what a later
   * request sends back. Empty when the provider has nothing beyond the text.
   */
  readonly blocks?: readonly ProviderBlock[];
  /** The (summarized) thinking the model did, for whoever asks to see it; '' when none. */
  readonly reasoning?: string;
  /** Web searches the answer made (billed apart from tokens). */
  readonly searches?: number;
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
