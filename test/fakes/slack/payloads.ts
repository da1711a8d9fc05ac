import { randomBytes } from 'node:crypto';
import type { StoredSlackMessage } from './types.js';
import { apiMessage, APP_ID, TEAM_DOMAIN, TEAM_ID, type ChannelRecord, type Workspace } from './workspace.js';

// The legacy verification token Slack still puts in payloads; Socket Mode apps ignore it.
const VERIFICATION_TOKEN = 'fakeverificationtoken';

/** The `payload` of an `events_api` envelope: Slack's event_callback wrapper around one event. */
export function eventCallback(workspace: Workspace, event: Record<string, unknown>): Record<string, unknown> {
  const eventCount = workspace.nextEventNumber();
  return {
    token: VERIFICATION_TOKEN,
    team_id: TEAM_ID,
    context_team_id: TEAM_ID,
    context_enterprise_id: null,
    api_app_id: APP_ID,
    event,
    type: 'event_callback',
    event_id: `Ev0FAKE${String(eventCount).padStart(6, '0')}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: TEAM_ID,
        user_id: workspace.botUser.id,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-fake-${eventCount}`,
  };
}

/** A user's message as the `message` and `app_mention` events carry it, with the files shared in it. */
export function userMessageEvent(
  type: 'message' | 'app_mention',
  channel: ChannelRecord,
  message: StoredSlackMessage,
  files?: readonly Record<string, unknown>[],
): Record<string, unknown> {
  const text = message.content.text ?? '';
  return {
    type,
    user: message.user,
    text,
    ts: message.ts,
    client_msg_id: `fake-${message.ts}`,
    team: TEAM_ID,
    blocks: [
      {
        type: 'rich_text',
        block_id: 'fake',
        elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }],
      },
    ],
    channel: channel.id,
    event_ts: message.ts,
    ...(message.threadTs === undefined ? {} : { thread_ts: message.threadTs }),
    // app_mention events carry no channel_type; message events do ('channel', 'im', …).
    ...(type === 'message' ? { channel_type: channel.type } : {}),
    // A message with files is a `file_share` message event; app_mention carries the files, no subtype.
    ...(files === undefined ? {} : { files, upload: false, ...(type === 'message' ? { subtype: 'file_share' } : {}) }),
  };
}

export function triggerId(): string {
  return `${Date.now()}.${randomBytes(6).toString('hex')}`;
}

export interface SlashCommandInput {
  readonly command: string;
  readonly text: string;
  readonly user: string;
  readonly userName: string;
  readonly channel: ChannelRecord;
  readonly responseUrl: string;
}

/** The `payload` of a `slash_commands` envelope: the form fields Slack posts for a command. */
export function slashCommandPayload(input: SlashCommandInput): Record<string, unknown> {
  return {
    token: VERIFICATION_TOKEN,
    team_id: TEAM_ID,
    team_domain: TEAM_DOMAIN,
    channel_id: input.channel.id,
    channel_name: input.channel.type === 'im' ? 'directmessage' : input.channel.name,
    user_id: input.user,
    user_name: input.userName,
    command: input.command,
    text: input.text,
    api_app_id: APP_ID,
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: triggerId(),
  };
}

export interface BlockActionInput {
  readonly actionId: string;
  readonly blockId: string;
  readonly value: string | undefined;
  readonly label: string;
  readonly user: string;
  readonly userName: string;
  readonly channel: ChannelRecord;
  readonly message: StoredSlackMessage;
  readonly responseUrl: string;
}

/** The `payload` of an `interactive` envelope for a button press (`block_actions`). */
export function blockActionsPayload(input: BlockActionInput): Record<string, unknown> {
  const { message } = input;
  return {
    type: 'block_actions',
    user: { id: input.user, username: input.userName, name: input.userName, team_id: TEAM_ID },
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    container: {
      type: 'message',
      message_ts: message.ts,
      channel_id: input.channel.id,
      is_ephemeral: false,
      ...(message.threadTs === undefined ? {} : { thread_ts: message.threadTs }),
    },
    trigger_id: triggerId(),
    team: { id: TEAM_ID, domain: TEAM_DOMAIN },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: input.channel.id, name: input.channel.type === 'im' ? 'directmessage' : input.channel.name },
    message: apiMessage(message),
    state: { values: {} },
    response_url: input.responseUrl,
    actions: [
      {
        action_id: input.actionId,
        block_id: input.blockId,
        text: { type: 'plain_text', text: input.label, emoji: true },
        ...(input.value === undefined ? {} : { value: input.value }),
        type: 'button',
        action_ts: `${(Date.now() / 1000).toFixed(6)}`,
      },
    ],
  };
}
