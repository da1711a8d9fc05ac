import { InteractionResponseType, MessageFlags } from 'discord.js';
import { createBotMessage, editBotMessage } from './bot-messages.js';
import { invalidFormBody, unknownMessage } from './errors.js';
import { settled, withSettableFlags } from './interaction-flags.js';
import type { InteractionRecord, InteractionTrigger } from './interactions.js';
import { isRecord, readMessageBody, type MessageBody } from './message-body.js';
import type { StoredMessage } from './types.js';
import type { World } from './world.js';

/**
 * What each first response does. Any interaction may answer with a message (4) or defer one
 * (5: a LOADING placeholder to be filled by an edit). A button's interaction may instead
 * acknowledge without a visible change (6) or edit the message the button is on (7).
 * Everything is validated before anything changes: a refused callback leaves the interaction
 * unacknowledged, as on Discord, so the app can try again within the 3 s.
 */

type CallbackType =
  | InteractionResponseType.ChannelMessageWithSource
  | InteractionResponseType.DeferredChannelMessageWithSource
  | InteractionResponseType.DeferredMessageUpdate
  | InteractionResponseType.UpdateMessage;

/** Modals (9) and the rest are not modelled: they are refused like unknown types. */
const ACCEPTED_TYPES: Readonly<Record<InteractionTrigger['kind'], readonly CallbackType[]>> = {
  command: [InteractionResponseType.ChannelMessageWithSource, InteractionResponseType.DeferredChannelMessageWithSource],
  button: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.DeferredMessageUpdate,
    InteractionResponseType.UpdateMessage,
  ],
};

export interface CallbackOutcome {
  readonly type: CallbackType;
  /** The message the response created (4, 5), edited (7) or acknowledged (6). */
  readonly message: StoredMessage;
  /** What the world should hear about `message`. */
  readonly change: 'created' | 'updated' | 'none';
}

/** Applies a callback body to the world; the caller records the acknowledgement and publishes. */
export function applyCallback(world: World, record: InteractionRecord, body: unknown): CallbackOutcome {
  const { type, data } = readCallback(body, record.trigger.kind);
  switch (type) {
    case InteractionResponseType.DeferredMessageUpdate:
      return { type, message: buttonMessage(world, record), change: 'none' };
    case InteractionResponseType.UpdateMessage: {
      const request = readMessageBody(data);
      const message = buttonMessage(world, record);
      editBotMessage(world, message, settled(message, request), data);
      return { type, message, change: 'updated' };
    }
    case InteractionResponseType.DeferredChannelMessageWithSource:
      return { type, message: createPlaceholder(world, record, readMessageBody(data), data), change: 'created' };
    case InteractionResponseType.ChannelMessageWithSource: {
      const request = withSettableFlags(readMessageBody(data));
      const message = createBotMessage(world, {
        channel: record.channel,
        request,
        body: data,
        interactionId: record.id,
      });
      return { type, message, change: 'created' };
    }
  }
}

function readCallback(body: unknown, kind: InteractionTrigger['kind']): { type: CallbackType; data: unknown } {
  const accepted = ACCEPTED_TYPES[kind];
  const type = isRecord(body) ? body['type'] : undefined;
  const data = isRecord(body) ? body['data'] : undefined;
  const known = accepted.find((candidate) => candidate === type);
  if (known !== undefined) return { type: known, data };
  throw invalidFormBody(['type'], {
    code: 'BASE_TYPE_CHOICES',
    message: `Value must be one of {${accepted.join(', ')}}.`,
  });
}

/** The message a button is on, for 6 and 7; 10008 if it was deleted since the press. */
function buttonMessage(world: World, record: InteractionRecord): StoredMessage {
  const id = record.trigger.kind === 'button' ? record.trigger.messageId : undefined;
  const message = id === undefined ? undefined : world.messages.get(id);
  if (message === undefined || message.deleted) throw unknownMessage();
  return message;
}

/** The deferred "<app> is thinking…" message: empty, LOADING, ephemeral if the defer said so. */
function createPlaceholder(
  world: World,
  record: InteractionRecord,
  request: MessageBody,
  data: unknown,
): StoredMessage {
  return world.createMessage({
    channel: record.channel,
    author: world.botUser,
    content: '',
    mentionIds: [],
    flags: MessageFlags.Loading | ((request.flags ?? 0) & MessageFlags.Ephemeral),
    createdBody: data,
    interactionId: record.id,
  });
}
