/**
 * Loopback fake of Anthropic's Messages API for end-to-end tests.
 *
 * It speaks the real wire format (SSE frames as the API sends them), so tests drive the real
 * `@anthropic-ai/sdk` against it with `baseURL: fake.url`. Tests script each answer: its text and
 * timing (or Claude-native `blocks`: thinking, web searches, cited text), its stop reason, and the
 * failures the bot must survive (HTTP errors the SDK retries, a mid-stream `error` event, a stalled
 * stream, a cut connection). Request bodies the API would refuse get its 400 invalid_request_error.
 *
 * Retries: the SDK retries 408/409/429/5xx/529 and connection errors by itself (`maxRetries`,
 * default 2). Every attempt is a new request here and consumes the next script, so enqueue one
 * script per attempt, or give the failing script `repeat: n`. Give HTTP faults `retryAfterMs` (> 0)
 * so the SDK waits that long instead of its 0.5 s+ backoff.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { text as readText } from 'node:stream/consumers';
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { countSearches, plainTextBlock, planBlocks } from './anthropic-content-blocks.js';
import type { FakeContentBlock, PlannedBlock } from './anthropic-content-blocks.js';
import { createPromptCache } from './anthropic-prompt-cache.js';
import type { PromptCache } from './anthropic-prompt-cache.js';
import { invalidMessagesBody } from './anthropic-request-validation.js';
import { buildFrames, framesBeforeFault } from './anthropic-stream-frames.js';
import type { StreamFrame } from './anthropic-stream-frames.js';

export type {
  FakeCitation,
  FakeContentBlock,
  FakeRedactedThinkingBlock,
  FakeSearch,
  FakeSearchBlock,
  FakeSearchResult,
  FakeTextBlock,
  FakeThinkingBlock,
} from './anthropic-content-blocks.js';

export type FakeStopReason =
  'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'pause_turn' | 'refusal' | 'model_context_window_exceeded';

export type AnthropicFault =
  /** Fails before any stream: that status and Anthropic's error JSON. The SDK retries 429/5xx/529. */
  | {
      kind: 'http-error';
      status: number;
      /** Anthropic error type, e.g. overloaded_error, rate_limit_error, authentication_error. */
      type: string;
      message?: string;
      /** Sent as `retry-after-ms` (and `retry-after` in whole seconds); the SDK honours it if > 0. */
      retryAfterMs?: number;
    }
  /** HTTP 200, `afterDeltas` deltas, then an SSE `error` event and the end of the body. */
  | { kind: 'error-event'; afterDeltas: number; type?: string; message?: string }
  /** `afterDeltas` deltas, then silence with the connection open until the client goes away. */
  | { kind: 'stall'; afterDeltas: number }
  /** `afterDeltas` deltas, then the socket is destroyed without `message_stop`. */
  | { kind: 'cut'; afterDeltas: number };

/**
 * How the fake answers one request. Every field is optional; `{}` is the default answer.
 * Stream faults whose `afterDeltas` exceeds the number of deltas strike after the last delta.
 */
export interface AnthropicScript {
  /** The answer, split into deltas of `chunkSize` UTF-16 units. Default: "Hello from the fake." */
  text?: string;
  /** Delta size for `text`, ≥ 1 (default 4); a surrogate pair is never split. */
  chunkSize?: number;
  /** Explicit deltas, sent as given; wins over `text`. */
  deltas?: string[];
  /**
   * Claude-native content, in order: thinking, redacted thinking, web searches (a server_tool_use
   * block plus its web_search_tool_result), text with citations. Wins over `text` and `deltas`;
   * `chunkSize` and `delayMs` are the blocks' defaults. See anthropic-content-blocks.ts.
   */
  blocks?: FakeContentBlock[];
  /**
   * `usage.server_tool_use.web_search_requests` in message_delta. Default: the number of web_search
   * blocks in `blocks`; without any (and without this), `server_tool_use` is left out of usage.
   * `web_fetch_requests` is the number of web_fetch blocks (and puts `server_tool_use` in usage too).
   */
  webSearchRequests?: number;
  /** Delay between the first frames (message_start, content_block_start) and the first delta. */
  ttftMs?: number;
  /** Delay between consecutive deltas; 0 sends them back to back in batches. */
  delayMs?: number;
  /**
   * Keep to the rate: delta i leaves `i × delayMs` after the first, however late the fake's own timers
   * ran (a busy fake would otherwise slow every stream down). Default false: `delayMs` after the previous.
   */
  steady?: boolean;
  /** Default end_turn. */
  stopReason?: FakeStopReason;
  /** Default: about a quarter of the request's JSON length (system + messages), like count_tokens. */
  inputTokens?: number;
  /**
   * Prompt-cache tokens to report. Default: what the fake's prompt cache finds for the request
   * (see anthropic-prompt-cache.ts), or 0 when `inputTokens` is given.
   */
  cacheReadTokens?: number;
  cacheCreationTokens?: number;
  /** Cumulative output tokens reported by message_delta. Default: the number of deltas (all kinds). */
  outputTokens?: number;
  /** Sends a `ping` event after every N deltas of any kind (0 or absent: never). */
  pingEveryDeltas?: number;
  /** The real API pings once after content_block_start; false leaves that ping out. Default true. */
  initialPing?: boolean;
  /** Fails the request instead of, or in the middle of, the answer. */
  fault?: AnthropicFault;
  /** How many consecutive requests this script answers (default 1): handy for SDK retries. */
  repeat?: number;
}

/** Parsed request body: what the bot under test sends. Extra fields are kept as `unknown`. */
export interface RecordedMessagesBody {
  model: string;
  max_tokens: number;
  system?: string | { type: string; text?: string; [key: string]: unknown }[];
  messages: { role: string; content: string | { type: string; [key: string]: unknown }[] }[];
  stream?: boolean;
  /** Top-level prompt caching: everything up to the last block is cached. */
  cache_control?: { type: string };
  /** Extended thinking: `{ type: 'enabled', budget_tokens }`, `{ type: 'adaptive' }` or disabled. */
  thinking?: { type: string; budget_tokens?: number; [key: string]: unknown };
  /** Client and server tools, e.g. `{ type: 'web_search_20250305', name: 'web_search', max_uses }`. */
  tools?: { name: string; type?: string; [key: string]: unknown }[];
  [key: string]: unknown;
}

export interface RecordedAnthropicRequest {
  body: RecordedMessagesBody;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Position in `requests`; the other events carry it too. */
  index: number;
  /** performance.now() when the body had been read. */
  at: number;
  /** The `request-id` header the fake answered with, as Anthropic sends one with every response. */
  requestId: string;
  /** Set when the fake refused the body with a 400 invalid_request_error: that error's message. */
  rejected?: string;
}

/** A `POST /v1/messages/count_tokens` request: what the bot asked to count. */
export interface RecordedCountTokensRequest {
  body: Record<string, unknown>;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Set when the fake refused the body with a 400 invalid_request_error (same checks as messages). */
  rejected?: string;
}

export interface StreamMark {
  index: number;
  /** performance.now() */
  at: number;
}

/** One text_delta as it left the fake (see `onDelta`); other kinds of delta are not reported. */
export interface DeltaMark extends StreamMark {
  /** UTF-16 units of text sent so far on this stream, this delta included. */
  chars: number;
}

export interface ClientClosedEvent extends StreamMark {
  /** True when the fake had finished the response before the connection/request closed. */
  completed: boolean;
  /** True when the fake itself destroyed the socket (a `cut` fault), not the client. */
  cutByServer: boolean;
}

export type FakeAnthropicEvents = {
  request: [RecordedAnthropicRequest];
  /** The stream's first content_block_delta, of any kind (thinking, input JSON, citation or text). */
  firstDelta: [StreamMark];
  messageStop: [StreamMark];
  clientClosed: [ClientClosedEvent];
};

type EventName = keyof FakeAnthropicEvents;
type Payload<K extends EventName> = FakeAnthropicEvents[K][0];

export interface FakeAnthropicOptions {
  /** Answers requests when the queue is empty. Default: `{}` ("Hello from the fake."). */
  defaultScript?: AnthropicScript | ((request: RecordedAnthropicRequest) => AnthropicScript);
  /**
   * Called as each text delta is written, for benchmarks that need every delta's send time. A
   * callback rather than an event: nothing is kept, so thousands of streams cost no history.
   */
  onDelta?: (mark: DeltaMark) => void;
}

export interface FakeAnthropic {
  /** Base URL without /v1, for `new Anthropic({ baseURL })`. */
  readonly url: string;
  /** `POST /v1/messages` requests in arrival order (count_tokens is not recorded). */
  readonly requests: readonly RecordedAnthropicRequest[];
  /** `POST /v1/messages/count_tokens` requests in arrival order. */
  readonly countTokensRequests: readonly RecordedCountTokensRequest[];
  readonly events: EventEmitter<FakeAnthropicEvents>;
  /** Answers still queued, counting each script's remaining `repeat`. */
  readonly queued: number;
  /** Queues scripts for the next requests, first in first out. */
  enqueue(...scripts: AnthropicScript[]): void;
  /**
   * Resolves with the first event of that kind matching `predicate`, including events emitted
   * before the call, so a test cannot miss one by subscribing late.
   */
  waitFor<K extends EventName>(event: K, predicate?: (payload: Payload<K>) => boolean): Promise<Payload<K>>;
  /** Stops listening and destroys open connections, stalled streams included. */
  close(): Promise<void>;
}

export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const fake = new FakeAnthropicServer(options.defaultScript ?? {}, options.onDelta);
  await fake.listen();
  return fake;
}

const DEFAULT_TEXT = 'Hello from the fake.';
const DEFAULT_CHUNK_SIZE = 4;
/** With no delay between frames, yield to the event loop this often so a long stream never blocks it. */
const FRAMES_PER_BATCH = 64;

interface QueuedScript {
  script: AnthropicScript;
  remaining: number;
}

/** A script resolved against its request: everything the responders need, defaults applied. */
interface AnswerPlan {
  blocks: PlannedBlock[];
  deltaCount: number;
  webSearchRequests: number | undefined;
  /** Web fetch blocks in the script's `blocks`. */
  webFetchRequests: number;
  frames: StreamFrame[];
  /** Frames sent before a stream fault strikes (all of them without one). */
  cutAt: number;
  stopReason: FakeStopReason;
  inputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
  outputTokens: number;
  ttftMs: number;
  delayMs: number;
  steady: boolean;
  pingEveryDeltas: number;
  initialPing: boolean;
  fault: AnthropicFault | undefined;
}

/** Per-response facts the responders share with the `close` listener. */
interface Exchange {
  res: ServerResponse;
  index: number;
  requestId: string;
  cutByServer: boolean;
}

class FakeAnthropicServer implements FakeAnthropic {
  readonly events = new EventEmitter<FakeAnthropicEvents>();
  readonly #requests: RecordedAnthropicRequest[] = [];
  readonly #countTokensRequests: RecordedCountTokensRequest[] = [];
  readonly #queue: QueuedScript[] = [];
  readonly #sockets = new Set<Socket>();
  readonly #promptCache = createPromptCache(approxInputTokens);
  readonly #history: { [K in EventName]: Payload<K>[] } = {
    request: [],
    firstDelta: [],
    messageStop: [],
    clientClosed: [],
  };
  readonly #waiters = new Set<() => void>();
  readonly #server: Server;
  readonly #defaultScript: NonNullable<FakeAnthropicOptions['defaultScript']>;
  readonly #onDelta: FakeAnthropicOptions['onDelta'];
  #url = '';
  #requestCounter = 0;
  #closing: Promise<void> | undefined;

  constructor(
    defaultScript: NonNullable<FakeAnthropicOptions['defaultScript']>,
    onDelta: FakeAnthropicOptions['onDelta'],
  ) {
    this.#defaultScript = defaultScript;
    this.#onDelta = onDelta;
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => failResponse(res, error));
    });
    this.#server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
  }

  get url(): string {
    return this.#url;
  }

  get requests(): readonly RecordedAnthropicRequest[] {
    return this.#requests;
  }

  get countTokensRequests(): readonly RecordedCountTokensRequest[] {
    return this.#countTokensRequests;
  }

  get queued(): number {
    return this.#queue.reduce((sum, entry) => sum + entry.remaining, 0);
  }

  async listen(): Promise<void> {
    this.#server.listen(0, '127.0.0.1');
    await once(this.#server, 'listening');
    const { port } = this.#server.address() as AddressInfo;
    this.#url = `http://127.0.0.1:${port}`;
  }

  enqueue(...scripts: AnthropicScript[]): void {
    for (const script of scripts) {
      this.#queue.push({ script, remaining: Math.max(1, script.repeat ?? 1) });
    }
  }

  waitFor<K extends EventName>(
    event: K,
    predicate: (payload: Payload<K>) => boolean = () => true,
  ): Promise<Payload<K>> {
    const seen: Payload<K>[] = this.#history[event];
    return new Promise((resolve) => {
      const check = (): void => {
        const hit = seen.find(predicate);
        if (hit === undefined) return;
        this.#waiters.delete(check);
        resolve(hit);
      };
      this.#waiters.add(check);
      check();
    });
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutDown();
    return this.#closing;
  }

  async #shutDown(): Promise<void> {
    const closed = new Promise<void>((resolve, reject) => {
      this.#server.close((error) => (error ? reject(error) : resolve()));
    });
    // server.close() waits for every connection to end, and a stalled stream never ends by itself.
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }

  #emit<K extends EventName>(event: K, payload: Payload<K>): void {
    const seen: Payload<K>[] = this.#history[event];
    seen.push(payload);
    (this.events as EventEmitter).emit(event, payload);
    for (const check of [...this.#waiters]) check();
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = `req_fake_${++this.#requestCounter}_${randomBytes(6).toString('hex')}`;
    res.setHeader('request-id', requestId);
    const path = (req.url ?? '/').split('?')[0];
    const route = req.method === 'POST' ? path : undefined;
    if (route !== '/v1/messages' && route !== '/v1/messages/count_tokens') {
      sendError(res, 404, 'not_found_error', `Not found: ${req.method ?? '?'} ${path ?? ''}`, requestId);
      return;
    }
    if (req.headers['x-api-key'] === undefined && req.headers.authorization === undefined) {
      sendError(res, 401, 'authentication_error', 'x-api-key header is required', requestId);
      return;
    }
    const body = parseJson(await readText(req));
    if (route === '/v1/messages/count_tokens') {
      this.#countTokensRequests.push(answerCountTokens(res, body, requestId, flattenHeaders(req.headers)));
      return;
    }
    if (!isMessagesBody(body)) {
      sendError(res, 400, 'invalid_request_error', 'model, max_tokens and messages are required', requestId);
      return;
    }
    await this.#answerMessages(req, res, body, requestId);
  }

  async #answerMessages(
    req: IncomingMessage,
    res: ServerResponse,
    body: RecordedMessagesBody,
    requestId: string,
  ): Promise<void> {
    const record: RecordedAnthropicRequest = {
      body,
      headers: flattenHeaders(req.headers),
      index: this.#requests.length,
      at: performance.now(),
      requestId,
    };
    const invalid = invalidMessagesBody(body);
    if (invalid !== undefined) record.rejected = invalid;
    this.#requests.push(record);
    this.#emit('request', record);
    if (invalid !== undefined) {
      // Like the API: a malformed request is refused before any model work, and uses no script.
      sendError(res, 400, 'invalid_request_error', invalid, requestId);
      return;
    }
    const plan = planAnswer(this.#nextScript(record), body, this.#promptCache);
    const exchange: Exchange = { res, index: record.index, requestId, cutByServer: false };
    res.once('close', () => {
      const { index, cutByServer } = exchange;
      this.#emit('clientClosed', { index, at: performance.now(), completed: res.writableFinished, cutByServer });
    });

    if (plan.fault?.kind === 'http-error') {
      const { status, type, message, retryAfterMs } = plan.fault;
      sendError(res, status, type, message ?? defaultErrorMessage(type), requestId, retryAfterMs);
    } else if (body.stream === true) {
      await this.#streamAnswer(exchange, body, plan);
    } else {
      await answerWhole(exchange, body, plan);
    }
  }

  #nextScript(record: RecordedAnthropicRequest): AnthropicScript {
    const head = this.#queue[0];
    if (head === undefined) {
      return typeof this.#defaultScript === 'function' ? this.#defaultScript(record) : this.#defaultScript;
    }
    head.remaining -= 1;
    if (head.remaining <= 0) this.#queue.shift();
    return head.script;
  }

  async #streamAnswer(exchange: Exchange, body: RecordedMessagesBody, plan: AnswerPlan): Promise<void> {
    const { res } = exchange;
    const sse = new SseWriter(res);
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    // The SDK resolves `connect` on headers; the real API sends them before the model answers.
    res.flushHeaders();
    sse.send('message_start', { type: 'message_start', message: startedMessage(exchange, body, plan) });
    await this.#streamFrames(sse, exchange.index, plan);
    if (!sse.open) return;
    await this.#finishStream(sse, exchange, plan);
  }

  async #streamFrames(sse: SseWriter, index: number, plan: AnswerPlan): Promise<void> {
    // Back-to-back frames go out corked in batches: fewer syscalls and chunks, yet never blocking.
    let chars = 0;
    let firstAt = 0;
    let scheduled = 0;
    let sinceYield = 0;
    for (const frame of plan.frames.slice(0, plan.cutAt)) {
      if (frame.kind === 'wait') {
        sse.uncork();
        await pause(sse.res, frame.ms);
        if (firstAt > 0) scheduled += frame.ms;
        continue;
      }
      if (frame.kind === 'delta' && frame.gapMs > 0 && frame.ordinal > 0) {
        scheduled += frame.gapMs;
        sse.uncork();
        await pause(sse.res, plan.steady ? firstAt + scheduled - performance.now() : frame.gapMs);
      }
      if (!sse.open) return;
      sse.cork();
      const flowing = sse.send(frame.kind === 'event' ? frame.event : 'content_block_delta', frame.data);
      if (frame.kind === 'delta') {
        const at = performance.now();
        if (frame.ordinal === 0) {
          firstAt = at;
          this.#emit('firstDelta', { index, at });
        }
        if (frame.textChars !== null) {
          chars += frame.textChars;
          this.#onDelta?.({ index, at, chars });
        }
      }
      sinceYield += 1;
      const batchEnds = sinceYield >= FRAMES_PER_BATCH;
      if (!flowing || batchEnds) sse.uncork();
      if (!flowing) await sse.drained();
      else if (batchEnds) await nextMacrotask();
      if (!flowing || batchEnds) sinceYield = 0;
    }
    sse.uncork();
  }

  async #finishStream(sse: SseWriter, exchange: Exchange, plan: AnswerPlan): Promise<void> {
    const { res, index } = exchange;
    switch (plan.fault?.kind) {
      case 'error-event': {
        const type = plan.fault.type ?? 'overloaded_error';
        const message = plan.fault.message ?? defaultErrorMessage(type);
        sse.send('error', { type: 'error', error: { type, message } });
        res.end();
        return;
      }
      case 'stall':
        // Deliberately nothing: the client must notice and abort; `close()` cleans up otherwise.
        return;
      case 'cut':
        // Destroying the socket drops whatever is still queued in Node, and the client must see the
        // deltas before the cut; the extra macrotask lets them reach the client as their own read.
        await sse.flushed();
        await nextMacrotask();
        exchange.cutByServer = true;
        res.destroy();
        return;
      case 'http-error':
      case undefined:
        break;
    }
    sse.send('message_delta', {
      type: 'message_delta',
      // The SDK copies stop_details into its snapshot unconditionally: null keeps it typed right.
      delta: { stop_reason: plan.stopReason, stop_sequence: null, stop_details: null },
      usage: { output_tokens: plan.outputTokens, ...serverToolUsage(plan) },
    });
    sse.send('message_stop', { type: 'message_stop' });
    this.#emit('messageStop', { index, at: performance.now() });
    res.end();
  }
}

/** Writes SSE frames; every frame has an `event:` line because the SDK skips frames without one. */
class SseWriter {
  constructor(readonly res: ServerResponse) {}

  #corked = false;
  #lastWrite: Promise<void> = Promise.resolve();

  get open(): boolean {
    return !this.res.destroyed && !this.res.writableEnded;
  }

  cork(): void {
    if (this.#corked) return;
    this.res.cork();
    this.#corked = true;
  }

  /** Must run before awaiting a drain: a corked stream never drains. */
  uncork(): void {
    if (!this.#corked) return;
    this.res.uncork();
    this.#corked = false;
  }

  /** Returns false when the socket buffer is full: the caller should await `drained()`. */
  send(event: string, data: object): boolean {
    if (!this.open) return false;
    let flowing = true;
    this.#lastWrite = new Promise((resolve) => {
      flowing = this.res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`, () => resolve());
    });
    return flowing;
  }

  /** Resolves once everything sent so far has left for the socket (or failed to). */
  flushed(): Promise<void> {
    this.uncork();
    return this.#lastWrite;
  }

  drained(): Promise<void> {
    return waitForEither(this.res, 'drain');
  }
}

/** Non-stream answer: the whole Message at once, after `ttftMs`. Stream faults map onto it. */
async function answerWhole(exchange: Exchange, body: RecordedMessagesBody, plan: AnswerPlan): Promise<void> {
  const { res, requestId } = exchange;
  if (plan.ttftMs > 0) await pause(res, plan.ttftMs);
  if (res.destroyed) return;
  switch (plan.fault?.kind) {
    case 'stall':
      return;
    case 'cut':
      exchange.cutByServer = true;
      res.destroy();
      return;
    case 'error-event': {
      const type = plan.fault.type ?? 'overloaded_error';
      sendError(res, statusForErrorType(type), type, plan.fault.message ?? defaultErrorMessage(type), requestId);
      return;
    }
    case 'http-error':
    case undefined:
      break;
  }
  const message = {
    ...startedMessage(exchange, body, plan),
    content: plan.blocks.map((block) => block.final),
    stop_reason: plan.stopReason,
    usage: { ...startUsage(plan), output_tokens: plan.outputTokens, ...serverToolUsage(plan) },
  };
  sendJson(res, 200, message);
}

/** Counts like the API, after the same checks as a messages request (thinking, tools, blocks). */
function answerCountTokens(
  res: ServerResponse,
  body: unknown,
  requestId: string,
  headers: Record<string, string>,
): RecordedCountTokensRequest {
  const record: RecordedCountTokensRequest = { body: isRecord(body) ? body : {}, headers };
  const messages = isRecord(body) && Array.isArray(body.messages) ? body.messages : undefined;
  const invalid =
    messages === undefined ? 'messages: Field required' : invalidMessagesBody({ ...record.body, messages });
  if (invalid !== undefined) {
    record.rejected = invalid;
    sendError(res, 400, 'invalid_request_error', invalid, requestId);
    return record;
  }
  sendJson(res, 200, { input_tokens: approxInputTokens(record.body.system, messages) });
  return record;
}

function planAnswer(script: AnthropicScript, body: RecordedMessagesBody, cache: PromptCache): AnswerPlan {
  const chunkSize = script.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const blocks =
    script.blocks === undefined
      ? [plainTextBlock(script.deltas ?? splitText(script.text ?? DEFAULT_TEXT, chunkSize))]
      : planBlocks(script.blocks, { chunkSize, split: splitText });
  const deltaCount = blocks.reduce((sum, block) => sum + block.deltas.length, 0);
  const cached = cache.usage(body.system ?? null, body.messages, body.cache_control);
  const frames = buildFrames(blocks, {
    initialPing: script.initialPing ?? true,
    ttftMs: script.ttftMs ?? 0,
    delayMs: script.delayMs ?? 0,
    pingEveryDeltas: script.pingEveryDeltas ?? 0,
  });
  const fault = script.fault;
  return {
    blocks,
    deltaCount,
    frames,
    cutAt:
      fault === undefined || fault.kind === 'http-error' ? frames.length : framesBeforeFault(frames, fault.afterDeltas),
    webSearchRequests:
      script.webSearchRequests ?? (script.blocks ? countSearches(script.blocks) || undefined : undefined),
    webFetchRequests: script.blocks ? countSearches(script.blocks, 'web_fetch') : 0,
    stopReason: script.stopReason ?? 'end_turn',
    inputTokens: script.inputTokens ?? cached.input,
    cacheReadTokens: script.cacheReadTokens ?? (script.inputTokens === undefined ? cached.cacheRead : 0),
    cacheCreationTokens: script.cacheCreationTokens ?? (script.inputTokens === undefined ? cached.cacheCreation : 0),
    outputTokens: script.outputTokens ?? deltaCount,
    ttftMs: script.ttftMs ?? 0,
    delayMs: script.delayMs ?? 0,
    steady: script.steady ?? false,
    pingEveryDeltas: script.pingEveryDeltas ?? 0,
    initialPing: script.initialPing ?? true,
    fault: script.fault,
  };
}

/** Chunks of `size` UTF-16 units, one longer where a cut would separate a surrogate pair. */
export function splitText(text: string, size: number): string[] {
  const step = Math.max(1, Math.floor(size));
  const chunks: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + step, text.length);
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end += 1;
    chunks.push(text.slice(start, end));
    start = end;
  }
  return chunks;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Rough token count: the same rule for count_tokens and usage, so tests can compare the two. */
function approxInputTokens(system: unknown, messages: unknown): number {
  return Math.max(1, Math.ceil(JSON.stringify({ system: system ?? null, messages }).length / 4));
}

function serverToolUsage(plan: AnswerPlan): Record<string, unknown> {
  if (plan.webSearchRequests === undefined && plan.webFetchRequests === 0) return {};
  return {
    server_tool_use: { web_search_requests: plan.webSearchRequests ?? 0, web_fetch_requests: plan.webFetchRequests },
  };
}

function startUsage(plan: AnswerPlan): Record<string, number> {
  return {
    input_tokens: plan.inputTokens,
    output_tokens: 1,
    cache_creation_input_tokens: plan.cacheCreationTokens,
    cache_read_input_tokens: plan.cacheReadTokens,
  };
}

function startedMessage(exchange: Exchange, body: RecordedMessagesBody, plan: AnswerPlan): Record<string, unknown> {
  return {
    id: `msg_fake_${exchange.index}_${randomBytes(6).toString('hex')}`,
    type: 'message',
    role: 'assistant',
    model: body.model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    stop_details: null,
    usage: startUsage(plan),
  };
}

function sendJson(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(payload));
}

function sendError(
  res: ServerResponse,
  status: number,
  type: string,
  message: string,
  requestId: string,
  retryAfterMs?: number,
): void {
  const headers: Record<string, string> = {};
  if (retryAfterMs !== undefined) {
    headers['retry-after-ms'] = String(retryAfterMs);
    headers['retry-after'] = String(Math.ceil(retryAfterMs / 1000));
  }
  sendJson(res, status, { type: 'error', error: { type, message }, request_id: requestId }, headers);
}

/** A bug in the fake should fail the test loudly, not hang it. */
function failResponse(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const detail = error instanceof Error ? error.message : String(error);
  sendJson(res, 500, { type: 'error', error: { type: 'api_error', message: `fake-anthropic: ${detail}` } });
}

const STATUS_BY_ERROR_TYPE: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

function statusForErrorType(type: string): number {
  return STATUS_BY_ERROR_TYPE[type] ?? 500;
}

function defaultErrorMessage(type: string): string {
  return type === 'overloaded_error' ? 'Overloaded' : `Fake ${type}`;
}

/** Resolves after `ms`, or as soon as the response closes so an aborted stream stops at once. */
function pause(res: ServerResponse, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    res.once('close', done);
    function done(): void {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    }
  });
}

/** Resolves on `event` or on `close`, whichever comes first; never rejects. */
function waitForEither(res: ServerResponse, event: string): Promise<void> {
  if (res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      res.off(event, done);
      res.off('close', done);
      resolve();
    };
    res.once(event, done);
    res.once('close', done);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isMessagesBody(value: unknown): value is RecordedMessagesBody {
  return (
    isRecord(value) &&
    typeof value.model === 'string' &&
    typeof value.max_tokens === 'number' &&
    Array.isArray(value.messages) &&
    value.messages.every((m) => isRecord(m) && typeof m.role === 'string' && 'content' in m)
  );
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
