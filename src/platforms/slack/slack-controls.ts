import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { AnswerControls } from '../../core/answer/answer-controls.js';
import type { Caller } from '../../core/commands/caller.js';
import type { Logger } from '../../core/ports/logger.js';
import { controlText } from '../../core/user-text.js';
import { CONTROL_ACTION, parseControlAction } from './slack-buttons.js';
import { slackCall } from './slack-errors.js';
import { slackReplyTarget } from './slack-reply-target.js';
import type { SlackReplyDeps } from './slack-reply-target.js';
import { slackMarkdown } from './slack-text.js';
import type { SlackThread } from './slack-thread.js';

// The buttons under Slack answers (block_actions) reach the core's answer controls, as Discord's do.
// Each press is acknowledged at once (Slack wants it within 3 s); the work runs on, its failure
// logged, never thrown into Bolt. Who may act: the person who asked and ADMIN_USER_IDS — Slack shows
// an app no "manage messages" permission, so there are no moderators. Whatever only the presser
// should read (a refusal, Show reasoning) goes to them alone with chat.postEphemeral, in the thread.

export interface SlackControlsDeps {
  readonly controls: AnswerControls;
  /** What a new run (Continue, or Regenerate where the old message cannot be reused) streams through. */
  readonly reply: SlackReplyDeps;
  readonly adminIds: ReadonlySet<string>;
  readonly logger: Logger;
  /** False while the platform drains: presses are acknowledged and otherwise ignored. */
  readonly accepting: () => boolean;
}

/** A press as far as the controls need it. */
export interface SlackPress {
  readonly actionId: string;
  readonly value: string | undefined;
  readonly userId: string;
  readonly thread: SlackThread | undefined;
}

export function listenForControls(app: App, deps: SlackControlsDeps): void {
  const failed = (what: string) => (error: unknown) => deps.logger.error({ err: error }, what);
  app.action<BlockAction<ButtonAction>>(
    { type: 'block_actions', action_id: CONTROL_ACTION },
    async ({ ack, body, action }) => {
      await ack().catch(failed('could not acknowledge a Slack button'));
      if (!deps.accepting()) return;
      pressButton(pressOf(body, action), deps).catch(failed('Slack button failed'));
    },
  );
}

/** The press in a block_actions payload: who pressed which button, and the thread it is in. */
export function pressOf(body: BlockAction, action: ButtonAction): SlackPress {
  const container = body.container as { channel_id?: unknown; thread_ts?: unknown; message_ts?: unknown };
  const channel = body.channel?.id ?? (typeof container.channel_id === 'string' ? container.channel_id : undefined);
  const threadTs = [container.thread_ts, container.message_ts].find((ts): ts is string => typeof ts === 'string');
  const teamId = body.team?.id ?? body.user.team_id;
  const thread = channel && threadTs && teamId ? { teamId, channel, threadTs } : undefined;
  return { actionId: action.action_id, value: action.value, userId: body.user.id, thread };
}

export async function pressButton(press: SlackPress, deps: SlackControlsDeps): Promise<void> {
  const { thread, userId } = press;
  if (thread === undefined) return;
  const tell = (text: string) => tellPrivately(deps.reply, thread, userId, text);
  const parsed = parseControlAction(press.actionId, press.value);
  if (parsed === null) return tell(controlText.unknownButton);
  const { control, answerId } = parsed;
  const caller: Caller = { userId, isModerator: false, isAdmin: deps.adminIds.has(userId) };
  const pressTarget = () => slackReplyTarget(deps.reply, { thread, userId, answerId });
  const result = await deps.controls.press(control, answerId, caller, pressTarget);
  if (result.kind === 'refused') return tell(result.reason);
  if (result.kind === 'private') {
    for (const message of result.messages) await tell(message);
    return;
  }
  // The answer's own messages show what the press did.
  if (result.kind === 'answering') await result.answering;
}

async function tellPrivately(reply: SlackReplyDeps, thread: SlackThread, user: string, text: string): Promise<void> {
  await slackCall(() =>
    reply.client.chat.postEphemeral({
      channel: thread.channel,
      thread_ts: thread.threadTs,
      user,
      markdown_text: slackMarkdown(text),
    }),
  );
}
