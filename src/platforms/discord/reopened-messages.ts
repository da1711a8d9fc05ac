import { Routes } from 'discord.js';
import type { APIMessage, REST } from 'discord.js';
import type { MessageView } from '../../core/reply/message-view.js';
import type { ReplyReopener } from '../../core/reply/reply-reopener.js';
import type { PostedMessage } from '../../core/reply/reply-target.js';
import { coreErrors } from './discord-errors.js';
import { locate, parseLocator } from './message-locator.js';
import type { MessageLocation } from './message-locator.js';
import { messagePayload } from './message-payload.js';
import type { WriteBudgets } from '../../core/reply/write-budgets.js';
import { channelBudgetKey, webhookBudgetKey } from './rate-limit-buckets.js';

// An ended reply's messages, found again from their locators and reached over REST alone: nothing is
// fetched or cached until a message is edited or deleted. Requests go through the client's REST
// manager, so rate limits and the write budgets' feed see them like any other; a new message takes a
// post's turn in its channel's budget first.

// Raw REST bodies bypass the client's allowedMentions: model output must never ping, on every edit.
const NO_PINGS = { parse: [] };

function body(view: MessageView, answerId: string) {
  return { ...messagePayload(view, answerId), allowed_mentions: NO_PINGS };
}

function reopened(rest: REST, location: MessageLocation, locator: string, answerId: string): PostedMessage {
  if (location.kind === 'channel') {
    const route = Routes.channelMessage(location.channelId, location.messageId);
    return {
      id: location.messageId,
      budgetKey: channelBudgetKey(location.channelId),
      locator,
      edit: async (view) => void (await coreErrors(() => rest.patch(route, { body: body(view, answerId) }))),
      delete: async () => void (await coreErrors(() => rest.delete(route))),
    };
  }
  // An interaction response: its token (valid 15 minutes) authorises the request.
  const route = Routes.webhookMessage(location.applicationId, location.token, location.messageId);
  return {
    // The original response is known only as @original: the locator is what identifies it.
    id: location.messageId === '@original' ? locator : location.messageId,
    budgetKey: webhookBudgetKey(location.token),
    locator,
    edit: async (view) => void (await coreErrors(() => rest.patch(route, { auth: false, body: body(view, answerId) }))),
    delete: async () => void (await coreErrors(() => rest.delete(route, { auth: false }))),
  };
}

export function createReplyReopener(rest: REST, budgets: WriteBudgets): ReplyReopener {
  return {
    message(locator, answerId) {
      const location = parseLocator(locator);
      if (location) return reopened(rest, location, locator, answerId);
      const unknown = () => Promise.reject(new Error('not a message locator'));
      return { id: locator, budgetKey: locator, locator, edit: unknown, delete: unknown };
    },
    async followUp(channelId, view, answerId) {
      await budgets.for(channelBudgetKey(channelId)).acquire('post');
      const posted = (await coreErrors(() =>
        rest.post(Routes.channelMessages(channelId), { body: body(view, answerId) }),
      )) as APIMessage;
      const location = { kind: 'channel', channelId, messageId: posted.id } as const;
      return reopened(rest, location, locate(location), answerId);
    },
  };
}
