import { ApplicationCommandOptionType, InteractionResponseType, MessageFlags, PermissionFlagsBits } from 'discord.js';
import { expect } from 'vitest';
import type { AccessListName, ListChange, SettingName, SettingScope } from '../../src/core/settings/settings-admin.js';
import type { RecordedMessagesBody } from '../fakes/fake-anthropic.js';
import type { CommandOptionValue, FakeDiscord, RunCommandOptions, StoredMessage } from '../fakes/fake-discord.js';
import type { Harness, HarnessOptions } from './harness.js';
import { accessText } from '../../src/core/user-text.js';

// Drives /config as Discord sends it (subcommands nested in the options) and asks questions whose
// request to Claude a test then reads: shared by the /config end-to-end tests.

const { Subcommand, SubcommandGroup, String: Text } = ApplicationCommandOptionType;

const scopeOption = (scope: SettingScope | undefined): CommandOptionValue[] =>
  scope === undefined ? [] : [{ name: 'scope', type: Text, value: scope }];

export const configOptions = {
  show: (): CommandOptionValue[] => [{ name: 'show', type: Subcommand }],
  set: (setting: SettingName, value: string, scope?: SettingScope): CommandOptionValue[] => [
    {
      name: 'set',
      type: Subcommand,
      options: [
        { name: 'setting', type: Text, value: setting },
        { name: 'value', type: Text, value },
        ...scopeOption(scope),
      ],
    },
  ],
  reset: (scope?: SettingScope): CommandOptionValue[] => [
    { name: 'reset', type: Subcommand, options: scopeOption(scope) },
  ],
  access: (change: ListChange, list: AccessListName, ids?: string): CommandOptionValue[] => [
    {
      name: 'access',
      type: SubcommandGroup,
      options: [
        {
          name: change,
          type: Subcommand,
          options: [
            { name: 'list', type: Text, value: list },
            ...(ids === undefined ? [] : [{ name: 'ids', type: Text, value: ids }]),
          ],
        },
      ],
    },
  ],
};

/** What Claude answers every question in these tests. */
export const ANSWER = 'Answered.';

/**
 * Harness options: every answer is ANSWER, and Discord's per-channel buckets have room for the
 * answers these tests ask in a row in one channel (they test what the bot asks Claude, not how it
 * paces its writes).
 */
export const harnessOptions = {
  anthropic: { defaultScript: { text: ANSWER } },
  discord: {
    buckets: {
      channelMessages: { limit: 50, windowMs: 1000 },
      interactionWebhook: { limit: 50, windowMs: 1000 },
    },
  },
} as const satisfies HarnessOptions;

/** Who runs /config, and where. */
export type ConfigRun = Omit<RunCommandOptions, 'name' | 'options'>;

/** A member holding Manage Server, in `channelId` (default the first channel). */
export const asManager = (channelId?: string): ConfigRun => ({
  permissions: PermissionFlagsBits.ManageGuild,
  ...(channelId === undefined ? {} : { channelId }),
});

/**
 * Runs /config and resolves with its reply, checking that the reply was private and the only
 * response: nothing is posted in the channel.
 */
export async function runConfig(
  discord: FakeDiscord,
  options: readonly CommandOptionValue[],
  run: ConfigRun = asManager(),
): Promise<string> {
  const interaction = discord.runCommand({ name: 'config', options, ...run });
  const callback = await discord.waitFor('interactionCallback', (event) => event.interactionId === interaction.id);
  expect(callback.type).toBe(InteractionResponseType.ChannelMessageWithSource);
  expect(callback.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
  const messages = discord.interactionMessages(interaction.id);
  expect(messages).toHaveLength(1);
  return messages[0]?.content ?? '';
}

/** The question a request to Claude ends with. */
export const lastQuestion = (body: RecordedMessagesBody): unknown => body.messages.at(-1)?.content;

/**
 * Mentions the bot with `text` (unique in the test) in `channelId` and resolves with the request
 * Claude got for it once the answer has ended.
 */
export async function ask(harness: Harness, text: string, channelId?: string): Promise<RecordedMessagesBody> {
  const before = harness.reports.length;
  harness.discord.userSays({ channelId: channelId ?? harness.discord.channelId(0), content: harness.mention(text) });
  await harness.answered(before + 1);
  const request = harness.anthropic.requests.find((candidate) => lastQuestion(candidate.body) === text);
  if (!request) throw new Error(`no request to Claude for "${text}"`);
  return request.body;
}

/** The bot's replies to `question` (its refusal, or its answer). */
export function repliesTo(discord: FakeDiscord, question: StoredMessage): string[] {
  return [...discord.messages.values()]
    .filter((message) => message.authorId === discord.botUser.id && message.referencedMessageId === question.id)
    .map((message) => message.content);
}

const REFUSALS: ReadonlySet<string> = new Set(Object.values(accessText));

/**
 * Resolves with how the bot finally replied to `question`: a refusal (access text) or ANSWER once
 * its reply shows it in full. Never resolves for a question left without a reply.
 */
export function outcome(discord: FakeDiscord, question: StoredMessage): Promise<string> {
  const final = (message: StoredMessage) =>
    message.referencedMessageId === question.id && (message.content === ANSWER || REFUSALS.has(message.content));
  const now = [...discord.messages.values()].find((message) => !message.deleted && final(message));
  if (now) return Promise.resolve(now.content);
  return new Promise((resolve) => {
    const check = (message: StoredMessage) => {
      if (!final(message)) return;
      discord.events.off('messageCreate', check);
      discord.events.off('messageUpdate', check);
      resolve(message.content);
    };
    discord.events.on('messageCreate', check);
    discord.events.on('messageUpdate', check);
  });
}
