import { InteractionContextType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.js';
import type { Command, CommandContext } from '../../../src/core/commands/command.js';
import { createCommandRunner } from '../../../src/core/commands/command-runner.js';
import { commandText } from '../../../src/core/user-text.js';
import { CommandDefinitionError, slashCommandsJSON } from '../../../src/platforms/discord/slash-commands.js';

const errors: unknown[] = [];
const logger = { debug: () => {}, info: () => {}, warn: () => {}, error: (object: unknown) => errors.push(object) };

function context(
  values: Record<string, string | boolean>,
  caller: Partial<CommandContext['caller']> = {},
  channel: { busy: boolean } = { busy: false },
) {
  const said: string[] = [];
  const asked: { prompt: string; private: boolean }[] = [];
  let cleared = 0;
  const ctx: CommandContext = {
    channelId: 'c1',
    place: { guildId: 'g1', channelIds: ['c1'] },
    caller: { userId: 'u1', isModerator: false, isAdmin: false, ...caller },
    options: {
      string: (name) => {
        const value = values[name];
        return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
      },
      boolean: (name) => {
        const value = values[name];
        return typeof value === 'boolean' ? value : null;
      },
      attachment: () => null,
      subcommand: () => null,
      group: () => null,
    },
    respondPrivately: (text) => {
      said.push(text);
      return Promise.resolve();
    },
    answer: (prompt, options) => {
      asked.push({ prompt, ...options });
      return Promise.resolve();
    },
    stopStreaming: () => null,
    usageReport: () => Promise.resolve('usage'),
    settings: unusedSettings,
    conversation: {
      clear: () => {
        cleared += 1;
        return Promise.resolve(3);
      },
      busy: () => channel.busy,
    },
  };
  return { ctx, said, asked, cleared: () => cleared };
}

const unused = () => Promise.reject(new Error('not used in this test'));
const unusedSettings = { show: unused, set: unused, reset: unused, editAccess: unused };

const run = createCommandRunner({ commands, access: {}, logger });

describe('the command catalogue', () => {
  it('is valid slash-command JSON with the documented options', () => {
    const json = slashCommandsJSON(commands);
    expect(json.map((command) => command.name)).toEqual(['ask', 'stop', 'reset', 'usage', 'config']);
    expect(json[0]?.options).toEqual([
      expect.objectContaining({ name: 'prompt', type: 3, required: true, max_length: 4000 }),
      expect.objectContaining({ name: 'private', type: 5, required: false }),
      expect.objectContaining({ name: 'file', type: 11, required: false }),
    ]);
  });

  it('offers /config in servers only, and the others in DMs too', () => {
    const contexts = Object.fromEntries(slashCommandsJSON(commands).map((json) => [json.name, json.contexts]));
    expect(contexts).toEqual({
      ask: [InteractionContextType.Guild, InteractionContextType.BotDM],
      stop: [InteractionContextType.Guild, InteractionContextType.BotDM],
      reset: [InteractionContextType.Guild, InteractionContextType.BotDM],
      usage: [InteractionContextType.Guild, InteractionContextType.BotDM],
      config: [InteractionContextType.Guild],
    });
  });

  it('fails loudly on a broken definition or a duplicate name', () => {
    const broken: Command = { ...commands[0]!, data: { ...commands[0]!.data, name: 'Not Valid' } };
    expect(() => slashCommandsJSON([broken])).toThrow(CommandDefinitionError);
    expect(() => slashCommandsJSON([broken])).toThrow(/"Not Valid"/);
    expect(() => slashCommandsJSON([commands[0]!, commands[0]!])).toThrow(/Two commands are named "ask"/);
  });
});

describe('createCommandRunner', () => {
  it('streams /ask through the core, public or private', async () => {
    const publicAsk = context({ prompt: ' what is 2+2? ' });
    await run('ask', publicAsk.ctx);
    const privateAsk = context({ prompt: 'secret?', private: true });
    await run('ask', privateAsk.ctx);
    expect(publicAsk.asked).toEqual([{ prompt: 'what is 2+2?', private: false }]);
    expect(privateAsk.asked).toEqual([{ prompt: 'secret?', private: true }]);
  });

  it('refuses an empty or too long prompt without asking Claude', async () => {
    const empty = context({ prompt: '   ' });
    await run('ask', empty.ctx);
    const long = context({ prompt: 'x'.repeat(4001) });
    await run('ask', long.ctx);
    expect(empty.asked).toEqual([]);
    expect(empty.said).toEqual([commandText.missing('prompt')]);
    expect(long.asked).toEqual([]);
    expect(long.said).toEqual([commandText.tooLong('prompt', 4000)]);
  });

  it('lets moderators and admins reset, and refuses others', async () => {
    const member = context({});
    await run('reset', member.ctx);
    expect(member.cleared()).toBe(0);
    expect(member.said).toEqual([commandText.notAllowed('reset', 'moderators')]);

    const moderator = context({}, { isModerator: true });
    await run('reset', moderator.ctx);
    const admin = context({}, { isAdmin: true });
    await run('reset', admin.ctx);
    expect([moderator.cleared(), admin.cleared()]).toEqual([1, 1]);
    expect(admin.said).toEqual([commandText.cleared(3)]);
  });

  it('says at once that a reset waits for the answer being written, then what it cleared', async () => {
    const busy = context({}, { isModerator: true }, { busy: true });
    await run('reset', busy.ctx);
    expect(busy.said).toEqual([commandText.clearsAfterAnswer, commandText.cleared(3)]);
  });

  it('takes who may run a command from the configuration', async () => {
    const adminsOnly = createCommandRunner({ commands, access: { reset: 'admins' }, logger });
    const moderator = context({}, { isModerator: true });
    await adminsOnly('reset', moderator.ctx);
    expect(moderator.said).toEqual([commandText.notAllowed('reset', 'admins')]);
    const everyone = createCommandRunner({ commands, access: { reset: 'everyone' }, logger });
    const member = context({});
    await everyone('reset', member.ctx);
    expect(member.cleared()).toBe(1);
  });

  it('answers an unknown command privately', async () => {
    const unknown = context({});
    await run('dance', unknown.ctx);
    expect(unknown.said).toEqual([commandText.unknown]);
  });

  it('logs a failing command and tells the user, without throwing', async () => {
    const failing: Command = {
      data: { name: 'boom', description: 'fails', access: 'everyone', options: [] },
      execute: () => Promise.reject(new Error('kaboom')),
    };
    const runner = createCommandRunner({ commands: [failing], access: {}, logger });
    const caller = context({});
    errors.length = 0;
    await runner('boom', caller.ctx);
    expect(caller.said).toEqual([commandText.failed]);
    expect(errors).toHaveLength(1);
  });
});
