import { SlackApiError } from './api-errors.js';
import { channelOf, ownMessage } from './chat-methods.js';
import { checkBlocks, MARKDOWN_TEXT_LIMIT } from './message-content.js';
import type { MethodContext, MethodDefinition } from './methods.js';
import { isRecord, optionalArray, optionalString, requiredString, type Params } from './params.js';
import type { StoredSlackMessage, StreamChunk, StreamRecord } from './types.js';
import { apiMessage, snapshot } from './workspace.js';

/** The content of one streaming call: `markdown_text` or `chunks`, never both. */
interface StreamContent {
  readonly mode: 'markdown_text' | 'chunks';
  readonly chunks: readonly StreamChunk[];
}

// The chunk types of @slack/types' AnyChunk and Slack's "text streaming" docs.
const CHUNK_FIELDS: Readonly<Record<string, readonly string[]>> = {
  markdown_text: ['text'],
  task_update: ['id', 'title', 'status'],
  plan_update: ['title'],
  blocks: ['blocks'],
};

function readStreamContent(params: Params): StreamContent | undefined {
  const markdownText = optionalString(params, 'markdown_text');
  const chunks = optionalArray(params, 'chunks', 'invalid_chunks');
  if (markdownText !== undefined && chunks !== undefined) {
    throw new SlackApiError('cannot_provide_both_markdown_text_and_chunks');
  }
  if (markdownText !== undefined) {
    if (markdownText.length > MARKDOWN_TEXT_LIMIT) throw new SlackApiError('msg_too_long');
    return { mode: 'markdown_text', chunks: [{ type: 'markdown_text', text: markdownText }] };
  }
  // The WebClient's ChatStreamer sends `chunks: []` when its buffer is empty: no content then.
  if (chunks === undefined || chunks.length === 0) return undefined;
  return { mode: 'chunks', chunks: chunks.map(checkChunk) };
}

function checkChunk(chunk: unknown): StreamChunk {
  if (!isRecord(chunk) || typeof chunk['type'] !== 'string') throw new SlackApiError('invalid_chunks');
  const fields = CHUNK_FIELDS[chunk['type']];
  if (fields === undefined || fields.some((field) => chunk[field] === undefined))
    throw new SlackApiError('invalid_chunks');
  const text = chunk['text'];
  if (chunk['type'] === 'markdown_text' && (typeof text !== 'string' || text.length > MARKDOWN_TEXT_LIMIT)) {
    throw new SlackApiError(typeof text === 'string' ? 'msg_too_long' : 'invalid_chunks');
  }
  if (chunk['type'] === 'blocks')
    checkBlocks(optionalArray(chunk, 'blocks', 'invalid_chunks') ?? [], 'msg_blocks_too_many');
  return { ...chunk, type: chunk['type'] };
}

/** The text a stream shows: its markdown chunks joined in order. */
export function streamedText(chunks: readonly StreamChunk[]): string {
  return chunks
    .map((chunk) => (chunk.type === 'markdown_text' && typeof chunk.text === 'string' ? chunk.text : ''))
    .join('');
}

function add(context: MethodContext, message: StoredSlackMessage, stream: StreamRecord, content: StreamContent): void {
  if (stream.mode !== undefined && stream.mode !== content.mode) throw new SlackApiError('streaming_mode_mismatch');
  stream.mode = content.mode;
  stream.chunks.push(...content.chunks);
  message.content = { ...message.content, markdownText: streamedText(stream.chunks) };
  context.services.events.emit('streamAppended', {
    channel: message.channel,
    ts: message.ts,
    chunks: structuredClone(content.chunks),
  });
}

/** The app's message in streaming state, or Slack's reason why it is not. */
function openStream(context: MethodContext): { message: StoredSlackMessage; stream: StreamRecord } {
  const message = ownMessage(context, channelOf(context), 'message_not_owned_by_app');
  const { stream } = message;
  if (stream === undefined) throw new SlackApiError('message_not_in_streaming_state');
  if (stream.state === 'stopped_by_user') throw new SlackApiError('stopped_by_user');
  if (stream.state !== 'streaming') throw new SlackApiError('message_not_in_streaming_state');
  return { message, stream };
}

const startStream: MethodDefinition = {
  token: 'bot',
  handle(context) {
    const { params, services } = context;
    const channel = channelOf(context);
    const threadTs = requiredString(params, 'thread_ts');
    const recipientUserId = optionalString(params, 'recipient_user_id');
    const recipientTeamId = optionalString(params, 'recipient_team_id');
    // "Required when streaming to channels" (chat.startStream); a DM knows its recipient.
    if (channel.type === 'channel') {
      if (recipientUserId === undefined) throw new SlackApiError('missing_recipient_user_id');
      if (recipientTeamId === undefined) throw new SlackApiError('missing_recipient_team_id');
    }
    if (recipientUserId !== undefined && !services.workspace.users.has(recipientUserId)) {
      throw new SlackApiError('user_not_found');
    }
    const content = readStreamContent(params);
    const stream: StreamRecord = { state: 'streaming', mode: undefined, chunks: [], recipientUserId, recipientTeamId };
    const message = services.workspace.addMessage(channel, {
      threadTs,
      user: undefined,
      content: { text: undefined, markdownText: '', blocks: undefined },
      stream,
    });
    services.events.emit('streamStarted', snapshot(message));
    if (content !== undefined) add(context, message, stream, content);
    return { channel: channel.id, ts: message.ts };
  },
};

const appendStream: MethodDefinition = {
  token: 'bot',
  handle(context) {
    const { message, stream } = openStream(context);
    const content = readStreamContent(context.params);
    if (content === undefined) throw new SlackApiError('markdown_text_or_chunks_required');
    add(context, message, stream, content);
    return { channel: message.channel, ts: message.ts };
  },
};

const stopStream: MethodDefinition = {
  token: 'bot',
  handle(context) {
    const { message, stream } = openStream(context);
    // stop's own `blocks` (≤ 50) render after the streamed content.
    const blocks = optionalArray(context.params, 'blocks', 'invalid_blocks_format');
    if (blocks !== undefined) checkBlocks(blocks, 'msg_blocks_too_many');
    const content = readStreamContent(context.params);
    if (content !== undefined) add(context, message, stream, content);
    stream.state = 'stopped';
    message.content = { ...message.content, blocks };
    message.edits.push(message.content);
    context.services.events.emit('streamStopped', snapshot(message));
    return { channel: message.channel, ts: message.ts, message: apiMessage(message) };
  },
};

export const STREAM_METHODS: Readonly<Record<string, MethodDefinition>> = {
  'chat.startStream': startStream,
  'chat.appendStream': appendStream,
  'chat.stopStream': stopStream,
};
