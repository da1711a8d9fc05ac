import type { Command, CommandContext, StringOption, SubcommandOption } from '../src/core/commands/command.js';
import type { AccessListName, ListChange, SettingName, SettingScope } from '../src/core/settings/settings-admin.js';
import { PERSONA_MAX_LENGTH } from '../src/core/settings/settings-admin.js';
import { settingsText } from '../src/core/settings/settings-text.js';

// /config: a server's admins set the persona, model and max tokens per channel or for the server,
// and edit who may ask. Every answer is private.

const scope: StringOption = {
  type: 'string',
  name: 'scope',
  description: 'This channel (default) or the whole server',
  choices: [
    { name: 'channel', value: 'channel' },
    { name: 'server', value: 'guild' },
  ],
};

const list: StringOption = {
  type: 'string',
  name: 'list',
  description: 'Which list',
  required: true,
  choices: [
    { name: 'allowed channels (a category covers its channels)', value: 'allowed_channels' },
    { name: 'allowed roles', value: 'allowed_roles' },
    { name: 'allowed users', value: 'allowed_users' },
    { name: 'blocked users', value: 'blocked_users' },
  ],
};

const ids: StringOption = {
  type: 'string',
  name: 'ids',
  description: 'Ids or mentions, separated by spaces or commas',
  required: true,
  maxLength: 2000,
};

const listEdit = (name: ListChange, description: string, options: StringOption[]): SubcommandOption => ({
  type: 'subcommand',
  name,
  description,
  options,
});

const handlers: Record<string, (context: CommandContext & { place: { guildId: string } }) => Promise<string>> = {
  show: ({ settings, place }) => settings.show(place),
  set: ({ settings, place, options }) =>
    settings.set(
      place,
      scopeOf(options.string('scope')),
      (options.string('setting') ?? 'persona') as SettingName,
      options.string('value') ?? '',
    ),
  reset: ({ settings, place, options }) => settings.reset(place, scopeOf(options.string('scope'))),
  'access add': (context) => editList(context, 'add'),
  'access remove': (context) => editList(context, 'remove'),
  'access clear': (context) => editList(context, 'clear'),
};

function scopeOf(value: string | null): SettingScope {
  return value === 'guild' ? 'guild' : 'channel';
}

function editList(context: CommandContext & { place: { guildId: string } }, change: ListChange): Promise<string> {
  const { settings, place, options } = context;
  return settings.editAccess(place, change, (options.string('list') ?? '') as AccessListName, options.string('ids'));
}

export const config = {
  data: {
    name: 'config',
    description: 'Set Claude’s persona, model and limits here, and who may ask (server admins)',
    access: 'admins',
    // Discord does not offer it in DMs; a stale client that still does gets told why below.
    serversOnly: true,
    options: [
      { type: 'subcommand', name: 'show', description: 'What applies in this channel, and who may ask', options: [] },
      {
        type: 'subcommand',
        name: 'set',
        description: 'Set the persona, model or max tokens for this channel or the server',
        options: [
          {
            type: 'string',
            name: 'setting',
            description: 'What to set',
            required: true,
            choices: [
              { name: 'persona (system prompt)', value: 'persona' },
              { name: 'model', value: 'model' },
              { name: 'max tokens per answer', value: 'max_tokens' },
            ],
          },
          // One more than the limit, so that an over-long persona gets our explanation, not Discord's.
          {
            type: 'string',
            name: 'value',
            description: 'The new value',
            required: true,
            maxLength: PERSONA_MAX_LENGTH + 1,
          },
          scope,
        ],
      },
      {
        type: 'subcommand',
        name: 'reset',
        description: 'Back to the server’s settings (channel) or the bot’s defaults (server)',
        options: [scope],
      },
      {
        type: 'group',
        name: 'access',
        description: 'Who may ask in this server',
        subcommands: [
          listEdit('add', 'Add ids to a list', [list, ids]),
          listEdit('remove', 'Remove ids from a list', [list, ids]),
          listEdit('clear', 'Forget this server’s list: the bot’s defaults apply again', [list]),
        ],
      },
    ],
  },
  async execute(context) {
    const { guildId } = context.place;
    if (guildId === null) return context.respondPrivately(settingsText.onlyInServers);
    const { group, subcommand } = context.options;
    const name = [group(), subcommand()].filter((part) => part !== null).join(' ');
    const handler = handlers[name];
    if (!handler) return context.respondPrivately(settingsText.unknownSubcommand);
    await context.respondPrivately(await handler({ ...context, place: { ...context.place, guildId } }));
  },
} satisfies Command;
