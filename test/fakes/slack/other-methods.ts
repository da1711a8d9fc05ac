import { SlackApiError } from './api-errors.js';
import { channelOf } from './chat-methods.js';
import type { MethodDefinition } from './methods.js';
import { optionalArray, requiredString } from './params.js';
import { apiMessage, APP_ID, BOT_ID, TEAM_DOMAIN, TEAM_ID } from './workspace.js';

const authTest: MethodDefinition = {
  token: 'any',
  handle({ services }) {
    const bot = services.workspace.botUser;
    return {
      url: `https://${TEAM_DOMAIN}.slack.com/`,
      team: 'Fake Team',
      user: bot.name,
      team_id: TEAM_ID,
      user_id: bot.id,
      bot_id: BOT_ID,
      is_enterprise_install: false,
    };
  },
};

const connectionsOpen: MethodDefinition = {
  token: 'app',
  handle({ services }) {
    return { url: services.openConnectionUrl() };
  },
};

const setStatus: MethodDefinition = {
  token: 'bot',
  handle(context) {
    const channel = channelOf(context, 'channel_id');
    const threadTs = requiredString(context.params, 'thread_ts');
    // `status` is required but may be '' (that clears it), so it is read by hand.
    const status = context.params['status'];
    if (typeof status !== 'string') throw new SlackApiError('invalid_arguments');
    const loading = optionalArray(context.params, 'loading_messages', 'invalid_arguments');
    const loadingMessages = loading?.map(String);
    context.services.workspace.statuses.set(`${channel.id}/${threadTs}`, status);
    context.services.events.emit('statusSet', { channel: channel.id, threadTs, status, loadingMessages });
    return {};
  },
};

const replies: MethodDefinition = {
  token: 'bot',
  handle(context) {
    const channel = channelOf(context);
    const ts = requiredString(context.params, 'ts');
    const live = channel.messages.filter((message) => !message.deleted);
    const parent = live.find((message) => message.ts === ts);
    if (parent === undefined) throw new SlackApiError('thread_not_found');
    const thread = live.filter((message) => message.threadTs === ts && message.ts !== ts);
    return {
      messages: [apiMessage(parent, thread.length), ...thread.map((message) => apiMessage(message))],
      has_more: false,
    };
  },
};

const history: MethodDefinition = {
  token: 'bot',
  handle(context) {
    const channel = channelOf(context);
    const live = channel.messages.filter((message) => !message.deleted);
    const top = live.filter((message) => message.threadTs === undefined || message.threadTs === message.ts);
    const replyCount = (ts: string): number => live.filter((message) => message.threadTs === ts).length;
    // Newest first, as Slack returns history.
    return { messages: top.reverse().map((message) => apiMessage(message, replyCount(message.ts))), has_more: false };
  },
};

const usersInfo: MethodDefinition = {
  token: 'bot',
  handle(context) {
    const id = requiredString(context.params, 'user');
    const user = context.services.workspace.users.get(id);
    if (user === undefined) throw new SlackApiError('user_not_found');
    const isBot = id === context.services.workspace.botUser.id;
    return {
      user: {
        id: user.id,
        team_id: TEAM_ID,
        name: user.name,
        real_name: user.name,
        is_bot: isBot,
        profile: {
          display_name: user.name,
          real_name: user.name,
          ...(isBot ? { bot_id: BOT_ID, api_app_id: APP_ID } : {}),
        },
      },
    };
  },
};

export const OTHER_METHODS: Readonly<Record<string, MethodDefinition>> = {
  'auth.test': authTest,
  'apps.connections.open': connectionsOpen,
  'assistant.threads.setStatus': setStatus,
  'conversations.replies': replies,
  'conversations.history': history,
  'users.info': usersInfo,
};
