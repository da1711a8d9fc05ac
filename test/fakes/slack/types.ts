import type { MethodRateLimit } from './rate-tiers.js';

/** One chunk of a native stream, as `chat.startStream` / `appendStream` / `stopStream` take them. */
export interface StreamChunk {
  readonly type: string;
  readonly text?: string;
  readonly [key: string]: unknown;
}

/** A stream's life on Slack: open for appends, or ended by the app, by the user, or by time. */
export type StreamState = 'streaming' | 'stopped' | 'stopped_by_user' | 'expired';

export interface StreamRecord {
  state: StreamState;
  /**
   * Whether the stream speaks `markdown_text` or `chunks`: set by the first call that carries content.
   * Slack refuses the other one afterwards (`streaming_mode_mismatch`).
   */
  mode: 'markdown_text' | 'chunks' | undefined;
  /** Every chunk appended, in order; `markdown_text` arguments are kept as `{ type: 'markdown_text', text }`. */
  readonly chunks: StreamChunk[];
  readonly recipientUserId: string | undefined;
  readonly recipientTeamId: string | undefined;
}

/** What a message shows at one moment: kept for each post and each update. */
export interface MessageContent {
  readonly text: string | undefined;
  readonly markdownText: string | undefined;
  readonly blocks: readonly unknown[] | undefined;
}

export interface StoredSlackMessage {
  readonly channel: string;
  readonly ts: string;
  /** The parent's ts for a reply; a parent has none (Slack gives it `thread_ts === ts` once replied to). */
  readonly threadTs: string | undefined;
  /** The human author; undefined for the app's own messages. */
  readonly user: string | undefined;
  /** Set on the app's messages. */
  readonly botId: string | undefined;
  /** The content now. For a stream: the text appended so far (`markdownText`), and stop's blocks. */
  content: MessageContent;
  /** Every content it had, in order: the first post, then each `chat.update` (a stream adds one at stop). */
  readonly edits: MessageContent[];
  /** Present only for messages made by `chat.startStream`. */
  readonly stream: StreamRecord | undefined;
  deleted: boolean;
}

/** A copy for tests: later changes to the fake do not show through. */
export type SlackMessageSnapshot = Readonly<Omit<StoredSlackMessage, 'stream' | 'edits'>> & {
  readonly edits: readonly MessageContent[];
  readonly stream: Readonly<StreamRecord> | undefined;
};

export interface EphemeralMessage {
  readonly channel: string;
  readonly user: string;
  readonly messageTs: string;
  readonly threadTs: string | undefined;
  readonly content: MessageContent;
}

/** Which token a call carried, as the fake classified it. */
export type TokenKind = 'bot' | 'app' | 'none' | 'invalid';

export interface RecordedApiCall {
  /** e.g. 'chat.postMessage'. */
  readonly method: string;
  /** The arguments as the fake read them: form values, JSON-looking form values parsed. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly contentType: string;
  readonly token: TokenKind;
  /** 200, or 429 when rate-limited. */
  readonly status: number;
  readonly response: Readonly<Record<string, unknown>>;
  /** The Retry-After header (seconds) of a 429. */
  readonly retryAfter: number | undefined;
  /** performance.now() when the request arrived and when it was answered. */
  readonly at: number;
  readonly respondedAt: number;
}

export interface AckRecord {
  readonly envelopeId: string;
  /** The `payload` the client sent with its ack ({} for a bare ack). */
  readonly payload: Readonly<Record<string, unknown>>;
  /** Which connection (1, 2, … in opening order) it came on; 0 for an HTTP answer. */
  readonly connection: number;
  /** False for an ack of an envelope the fake never sent (or already acked), or an HTTP answer but 200. */
  readonly known: boolean;
  /** Over HTTP, the answer's status (its body is `payload`); undefined over Socket Mode. */
  readonly httpStatus: number | undefined;
  readonly at: number;
}

export type EnvelopeType = 'events_api' | 'slash_commands' | 'interactive';

export interface SentEnvelope {
  /** Over HTTP, an id the fake gives the request (Slack's HTTP requests carry none). */
  readonly envelopeId: string;
  readonly type: EnvelopeType;
  readonly transport: 'socket' | 'http';
  /** The Socket Mode connection it went on; 0 over HTTP. */
  readonly connection: number;
  readonly payload: Readonly<Record<string, unknown>>;
  /** 0 for a first delivery; `redeliver` counts up (`retry_attempt` / `X-Slack-Retry-Num`). */
  readonly retryAttempt: number;
}

export interface ResponseUrlPost {
  /** What the response_url belonged to: a slash command's or a button press's envelope. */
  readonly envelopeId: string;
  readonly body: Readonly<Record<string, unknown>>;
  readonly at: number;
}

export interface SocketOpenEvent {
  readonly connection: number;
  readonly open: number;
}

export interface SocketCloseEvent {
  readonly connection: number;
  readonly code: number;
  readonly open: number;
}

export interface StatusSetEvent {
  readonly channel: string;
  readonly threadTs: string;
  readonly status: string;
  readonly loadingMessages: readonly string[] | undefined;
}

export interface StreamAppendedEvent {
  readonly channel: string;
  readonly ts: string;
  readonly chunks: readonly StreamChunk[];
}

export interface FakeSlackEvents {
  apiCall: [RecordedApiCall];
  rateLimited: [RecordedApiCall];
  ack: [AckRecord];
  envelope: [SentEnvelope];
  messagePosted: [SlackMessageSnapshot];
  messageUpdated: [SlackMessageSnapshot];
  messageDeleted: [SlackMessageSnapshot];
  ephemeralPosted: [EphemeralMessage];
  streamStarted: [SlackMessageSnapshot];
  streamAppended: [StreamAppendedEvent];
  streamStopped: [SlackMessageSnapshot];
  statusSet: [StatusSetEvent];
  responseUrlPost: [ResponseUrlPost];
  socketOpen: [SocketOpenEvent];
  socketClose: [SocketCloseEvent];
}

export type FakeSlackEventName = keyof FakeSlackEvents;

export interface FakeSlackUser {
  readonly id: string;
  readonly name: string;
}

export interface FakeSlackOptions {
  /**
   * Budgets per method that answer 429 + Retry-After by themselves (none by default; tests arm
   * single 429s with `rateLimit`). `SLACK_RATE_TIERS` holds Slack's documented ones.
   */
  readonly rateLimits?: Readonly<Record<string, MethodRateLimit>>;
  /** Delay before each Web API answer, after the state changed (default 0). */
  readonly latencyMs?: number;
  /** The bot token (`xoxb-…`) the Web API accepts; default 'xoxb-fake-bot-token'. */
  readonly botToken?: string;
  /** The app-level token (`xapp-…`) for `apps.connections.open`; default 'xapp-fake-app-token'. */
  readonly appToken?: string;
  /** Public channels besides the DMs; default 2. */
  readonly channels?: number;
  /**
   * Event subscriptions, as in the app's manifest; default ['app_mention', 'message.im'].
   * With 'message.channels', a mention also sends the channel's `message` event, as Slack does.
   */
  readonly events?: readonly string[];
}
