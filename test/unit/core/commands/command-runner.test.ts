import { describe, expect, it } from 'vitest';
import type { Command, CommandContext, CommandData, CommandOptions } from '../../../../src/core/commands/command.js';
import { createCommandRunner } from '../../../../src/core/commands/command-runner.js';
import { commandText } from '../../../../src/core/user-text.js';

// Validation follows the subcommand run: its own options, their choices and limits.

const logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** `/settings show`, `/settings set key:<persona|model> value:<text>`, `/settings access add|remove id:<text>`. */
const settings: CommandData = {
  name: 'settings',
  description: 'Settings',
  access: 'everyone',
  options: [
    { type: 'subcommand', name: 'show', description: 'Show', options: [] },
    {
      type: 'subcommand',
      name: 'set',
      description: 'Set',
      options: [
        {
          type: 'string',
          name: 'key',
          description: 'Which',
          required: true,
          choices: [
            { name: 'Persona', value: 'persona' },
            { name: 'Model', value: 'model' },
          ],
        },
        { type: 'string', name: 'value', description: 'To what', required: true, maxLength: 10 },
      ],
    },
    {
      type: 'group',
      name: 'access',
      description: 'Access lists',
      subcommands: ['add', 'remove'].map((name) => ({
        type: 'subcommand' as const,
        name,
        description: name,
        options: [
          { type: 'string' as const, name: 'id', description: 'An id', required: true, minLength: 2 },
          { type: 'boolean' as const, name: 'block', description: 'Block list', required: true },
        ],
      })),
    },
  ],
};

/** A plain command with a choice option. */
const pick: CommandData = {
  name: 'pick',
  description: 'Pick',
  access: 'everyone',
  options: [{ type: 'string', name: 'colour', description: 'Colour', choices: [{ name: 'Red', value: 'red' }] }],
};

interface Given {
  readonly group?: string;
  readonly subcommand?: string;
  readonly values?: Readonly<Record<string, string | boolean>>;
}

function runWith(data: CommandData, given: Given) {
  const said: string[] = [];
  const seen: { group: string | null; subcommand: string | null; values: Record<string, unknown> }[] = [];
  const command: Command = {
    data,
    execute: ({ options }) => {
      seen.push({ group: options.group(), subcommand: options.subcommand(), values: { ...given.values } });
      return Promise.resolve();
    },
  };
  const values = given.values ?? {};
  const options: CommandOptions = {
    string: (name) => {
      const value = values[name];
      return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
    },
    boolean: (name) => {
      const value = values[name];
      return typeof value === 'boolean' ? value : null;
    },
    // A file is "given" as `true` in the values: the runner only checks that one was picked.
    attachment: (name) =>
      values[name] === true
        ? { name: 'a.png', contentType: 'image/png', size: 1, load: () => Promise.resolve(new Uint8Array()) }
        : null,
    subcommand: () => given.subcommand ?? null,
    group: () => given.group ?? null,
  };
  const unused = () => Promise.reject(new Error('not used in this test'));
  const context: CommandContext = {
    channelId: 'c1',
    place: { guildId: 'g1', channelIds: ['c1'] },
    caller: { userId: 'u1', isModerator: false, isAdmin: false },
    options,
    respondPrivately: (text) => {
      said.push(text);
      return Promise.resolve();
    },
    answer: () => Promise.resolve(),
    stopStreaming: () => null,
    usageReport: unused,
    settings: { show: unused, set: unused, reset: unused, editAccess: unused },
    conversation: { clear: () => Promise.resolve(0), busy: () => false },
  };
  const run = createCommandRunner({ commands: [command], access: {}, logger });
  return run(data.name, context).then(() => ({ said, ran: seen.length > 0, seen }));
}

describe('command runner with subcommands', () => {
  it('runs a subcommand, a grouped subcommand and one without options', async () => {
    const set = await runWith(settings, { subcommand: 'set', values: { key: 'model', value: 'opus' } });
    expect(set).toMatchObject({ said: [], ran: true });
    expect(set.seen[0]).toMatchObject({ group: null, subcommand: 'set' });
    const add = await runWith(settings, { group: 'access', subcommand: 'add', values: { id: '42', block: false } });
    expect(add.seen[0]).toMatchObject({ group: 'access', subcommand: 'add' });
    expect((await runWith(settings, { subcommand: 'show' })).ran).toBe(true);
  });

  it("checks the options of the subcommand run, not its siblings'", async () => {
    // `show` has no options, so the required options of `set` and `access add` do not apply.
    expect((await runWith(settings, { subcommand: 'show' })).said).toEqual([]);
    const missing = await runWith(settings, { subcommand: 'set', values: { key: 'model' } });
    expect(missing).toMatchObject({ said: [commandText.missing('value')], ran: false });
    const long = await runWith(settings, { subcommand: 'set', values: { key: 'model', value: 'x'.repeat(11) } });
    expect(long.said).toEqual([commandText.tooLong('value', 10)]);
    const short = await runWith(settings, { group: 'access', subcommand: 'remove', values: { id: '7', block: true } });
    expect(short.said).toEqual([commandText.tooShort('id', 2)]);
    const noBoolean = await runWith(settings, { group: 'access', subcommand: 'add', values: { id: '42' } });
    expect(noBoolean).toMatchObject({ said: [commandText.missing('block')], ran: false });
  });

  it('refuses a command whose required file is missing', async () => {
    const upload: CommandData = {
      name: 'upload',
      description: 'Upload',
      access: 'everyone',
      options: [{ type: 'attachment', name: 'file', description: 'A file', required: true }],
    };
    expect(await runWith(upload, {})).toMatchObject({ said: [commandText.missing('file')], ran: false });
    expect((await runWith(upload, { values: { file: true } })).ran).toBe(true);
  });

  it('refuses a value that is not among the choices, naming the choices', async () => {
    const wrong = await runWith(settings, { subcommand: 'set', values: { key: 'colour', value: 'red' } });
    expect(wrong).toMatchObject({ said: [commandText.notAChoice('key', ['Persona', 'Model'])], ran: false });
    // A choice is matched by value, not by the name the user saw.
    const byName = await runWith(settings, { subcommand: 'set', values: { key: 'Model', value: 'x' } });
    expect(byName.ran).toBe(false);
    expect((await runWith(pick, { values: { colour: 'blue' } })).said).toEqual([
      commandText.notAChoice('colour', ['Red']),
    ]);
    expect((await runWith(pick, { values: { colour: 'red' } })).ran).toBe(true);
    // An optional choice option may be left out.
    expect((await runWith(pick, {})).ran).toBe(true);
  });

  it('refuses a command with subcommands run without one, or with one it does not have', async () => {
    const paths = ['show', 'set', 'access add', 'access remove'];
    const none = await runWith(settings, {});
    expect(none).toMatchObject({ said: [commandText.subcommandNeeded('settings', paths)], ran: false });
    expect((await runWith(settings, { subcommand: 'dance' })).ran).toBe(false);
    expect((await runWith(settings, { group: 'access' })).ran).toBe(false);
    // `add` exists only inside the group.
    expect((await runWith(settings, { subcommand: 'add', values: { id: '42', block: true } })).ran).toBe(false);
    expect((await runWith(settings, { group: 'nope', subcommand: 'add' })).ran).toBe(false);
  });
});
