import type { Asker } from '../../core/access/access-policy.js';
import { admissionText } from '../../core/access/admission.js';
import type { Admit } from '../../core/access/admission.js';
import type { Answerer } from '../../core/answer/answerer.js';
import type { UsageViewer } from '../../core/budget/usage-report.js';
import type { Command, CommandContext } from '../../core/commands/command.js';
import type { RunCommand } from '../../core/commands/command-runner.js';
import type { Clock } from '../../core/ports/clock.js';
import type { Question } from '../../core/prompt/question.js';
import { view } from '../../core/reply/message-view.js';
import { GoneError, ForbiddenError } from '../../core/reply/platform-errors.js';
import type { ReplyTarget } from '../../core/reply/reply-target.js';
import type { SettingsAdmin } from '../../core/settings/settings-admin.js';
import { slackCommandText } from '../../core/user-text.js';
import { createResponseUrl } from './response-url.js';
import type { Respond, ResponseUrl } from './response-url.js';
import { responseUrlTarget } from './response-url-target.js';
import { slackAuthorRef } from './slack-author-ref.js';
import { slackCommandOptions } from './slack-command-options.js';
import { slackCall } from './slack-errors.js';
import { postToThread, slackReplyTarget } from './slack-reply-target.js';
import type { SlackReplyDeps } from './slack-reply-target.js';
import { slackMarkdown, slackNotice } from './slack-text.js';
import { pacedPost } from './slack-rate-limits.js';
import type { SlackThread } from './slack-thread.js';

// Slack's slash commands reach the core's command runner, as Discord's do, with a context of core
// services. Slack commands cannot be run in threads, so a command's conversation is its channel's
// (`slack:<team>:<channel>`, apart from the threads mentions open): every /ask there continues it
// and /reset clears it. A public /ask posts the question as the app (a command leaves no message of
// its own) and streams the answer into that message's thread; a private one (`/ask private: …`)
// answers through the command's response_url. Whatever a command says to the caller alone goes
// there too.

/** The commands a Slack app offers (its manifest lists them); the others are Discord's for now. */
export const SLACK_COMMANDS: readonly string[] = ['ask', 'usage', 'reset'];

/** What a slash command's payload gives us (Bolt's `SlashCommand`). */
export interface SlackCommandPayload {
  /** `/ask`. */
  readonly command: string;
  readonly text: string;
  readonly user_id: string;
  readonly user_name: string;
  readonly team_id: string;
  readonly channel_id: string;
  readonly trigger_id: string;
}

export interface SlackCommandDeps {
  readonly commands: readonly Command[];
  readonly runCommand: RunCommand;
  readonly answerer: Answerer;
  readonly admit: Admit;
  readonly adminIds: ReadonlySet<string>;
  readonly settings: SettingsAdmin;
  readonly usageReport: (viewer: UsageViewer) => Promise<string>;
  readonly clock: Clock;
  readonly reply: SlackReplyDeps;
}

export function createSlackCommandHandler(
  deps: SlackCommandDeps,
): (payload: SlackCommandPayload, respond: Respond) => Promise<void> {
  const byName = new Map(deps.commands.map((command) => [command.data.name, command]));
  return async (payload, respond) => {
    const name = payload.command.replace(/^\//, '');
    const options = slackCommandOptions(byName.get(name)?.data.options ?? [], payload.text);
    const url = createResponseUrl(respond, deps.clock);
    await deps.runCommand(name, { ...commandContext(payload, url, deps), options });
  };
}

/** A channel's conversation for slash commands; also the key its daily budget counts under. */
export const channelConversationKey = (teamId: string, channel: string): string => `slack:${teamId}:${channel}`;

function commandContext(
  payload: SlackCommandPayload,
  url: ResponseUrl,
  deps: SlackCommandDeps,
): Omit<CommandContext, 'options'> {
  const { team_id: teamId, channel_id: channel, user_id: userId } = payload;
  // Only a DM with the app has an id starting with D; it is the caller's own conversation.
  const direct = channel.startsWith('D');
  const guildId = direct ? null : teamId;
  const channelId = channelConversationKey(teamId, channel);
  const isAdmin = deps.adminIds.has(userId);
  const respondPrivately = async (text: string) => {
    if (!(await url.post(slackNotice(text)))) deps.reply.logger.warn({ channelId }, 'no response_url post left');
  };
  const asker: Asker = { userId, roleIds: [], guildId, channelIds: [channel] };
  return {
    channelId,
    place: asker,
    // Slack has no Manage Messages: in a channel, moderators are the bot's admins (RESET_ACCESS opens /reset).
    caller: { userId, isModerator: direct || isAdmin, isAdmin },
    respondPrivately,
    answer: async (prompt, { private: isPrivate }) => {
      const question: Question = {
        id: `slack:${teamId}:${channel}:command:${payload.trigger_id}`,
        channelId,
        budgetChannelId: channelId,
        guildId,
        authorId: userId,
        authorRef: slackAuthorRef(teamId, userId),
        text: prompt,
        remember: !isPrivate,
      };
      const admission = await deps.admit(question, asker);
      if (admission.kind !== 'admitted') return respondPrivately(admissionText(admission, deps.clock.now()));
      const target: CommandReply | undefined = isPrivate
        ? {
            reply: responseUrlTarget(url, {
              answerId: question.id,
              channelId,
              clock: deps.clock,
              logger: deps.reply.logger,
            }),
            refuse: respondPrivately,
          }
        : await postQuestion(payload, prompt, question.id, deps);
      if (target === undefined) return respondPrivately(slackCommandText.cannotPostHere);
      const started = deps.answerer.start({ question: admission.question, target: target.reply });
      if ('refused' in started) return target.refuse(started.refused);
      await started.answering;
    },
    stopStreaming: () => slackCommandText.notOnSlack,
    usageReport: () => deps.usageReport({ userId, channelId, guildId, isAdmin }),
    settings: deps.settings,
    conversation: {
      clear: () => deps.answerer.conversations.clear(channelId),
      busy: () => deps.answerer.conversations.busy(channelId),
    },
  };
}

interface CommandReply {
  readonly reply: ReplyTarget;
  /** Says why the answer cannot start after all (its channel's queue is full). */
  readonly refuse: (text: string) => Promise<void>;
}

// Native streams need a thread: the question, posted as the app, is its parent. Undefined when the app
// may not post in the conversation (not invited, a DM between other people).
async function postQuestion(
  payload: SlackCommandPayload,
  prompt: string,
  answerId: string,
  deps: SlackCommandDeps,
): Promise<CommandReply | undefined> {
  const { client, budgets } = deps.reply;
  const { team_id: teamId, channel_id: channel, user_id: userId } = payload;
  let ts: string;
  try {
    const posted = await pacedPost(budgets, teamId, () =>
      slackCall(() =>
        client.chat.postMessage({
          channel,
          markdown_text: slackMarkdown(slackCommandText.asked(payload.user_name, prompt)),
        }),
      ),
    );
    ts = posted.ts ?? '';
  } catch (error) {
    if (error instanceof GoneError || error instanceof ForbiddenError) return undefined;
    throw error;
  }
  const thread: SlackThread = { teamId, channel, threadTs: ts };
  return {
    reply: slackReplyTarget(deps.reply, { thread, userId, answerId }),
    refuse: async (text) => {
      await postToThread(deps.reply, thread, view(text), answerId);
    },
  };
}
