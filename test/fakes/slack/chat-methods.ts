import { SlackApiError } from './api-errors.js';
import { readContent } from './message-content.js';
import type { MethodContext, MethodDefinition } from './methods.js';
import { optionalString, requiredString } from './params.js';
import type { StoredSlackMessage } from './types.js';
import { apiMessage, snapshot, type ChannelRecord } from './workspace.js';

function channelOf(context: MethodContext, name = 'channel'): ChannelRecord {
  const id = requiredString(context.params, name);
  const channel = context.services.workspace.resolveChannel(id);
  if (channel === undefined) throw new SlackApiError('channel_not_found');
  return channel;
}

/** A live message of the channel, by `ts`; the app may only change its own (`cant_…_message`). */
export function ownMessage(context: MethodContext, channel: ChannelRecord, refusal: string): StoredSlackMessage {
  const ts = requiredString(context.params, 'ts');
  const message = channel.messages.find((candidate) => candidate.ts === ts && !candidate.deleted);
  if (message === undefined) throw new SlackApiError('message_not_found');
  if (message.botId === undefined) throw new SlackApiError(refusal);
  return message;
}

const postMessage: MethodDefinition = {
  token: 'bot',
  handle(context) {
    const channel = channelOf(context);
    const content = readContent(context.params);
    const message = context.services.workspace.addMessage(channel, {
      threadTs: optionalString(context.params, 'thread_ts'),
      user: undefined,
      content,
    });
    context.services.events.emit('messagePosted', snapshot(message));
    return { channel: channel.id, ts: message.ts, message: apiMessage(message) };
  },
};

const update: MethodDefinition = {
  token: 'bot',
  handle(context) {
    const channel = channelOf(context);
    const message = ownMessage(context, channel, 'cant_update_message');
    if (message.stream?.state === 'streaming') throw new SlackApiError('streaming_state_conflict');
    const content = readContent(context.params);
    message.content = content;
    message.edits.push(content);
    context.services.events.emit('messageUpdated', snapshot(message));
    const body = apiMessage(message);
    return { channel: channel.id, ts: message.ts, text: body['text'], message: body };
  },
};

const remove: MethodDefinition = {
  token: 'bot',
  handle(context) {
    const channel = channelOf(context);
    const message = ownMessage(context, channel, 'cant_delete_message');
    message.deleted = true;
    context.services.events.emit('messageDeleted', snapshot(message));
    return { channel: channel.id, ts: message.ts };
  },
};

const postEphemeral: MethodDefinition = {
  token: 'bot',
  handle(context) {
    const channel = channelOf(context);
    const user = requiredString(context.params, 'user');
    const { workspace } = context.services;
    if (!workspace.users.has(user)) throw new SlackApiError('user_not_found');
    const ephemeral = {
      channel: channel.id,
      user,
      messageTs: workspace.clock.next(),
      threadTs: optionalString(context.params, 'thread_ts'),
      content: readContent(context.params),
    };
    workspace.ephemerals.push(ephemeral);
    context.services.events.emit('ephemeralPosted', structuredClone(ephemeral));
    return { message_ts: ephemeral.messageTs };
  },
};

export const CHAT_METHODS: Readonly<Record<string, MethodDefinition>> = {
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.delete': remove,
  'chat.postEphemeral': postEphemeral,
};

export { channelOf };
