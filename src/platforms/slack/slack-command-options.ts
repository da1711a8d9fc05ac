import type { CommandOption, CommandOptions, ValueOption } from '../../core/commands/command.js';

// A Slack slash command carries one line of text, not typed options: the core command's options are
// read from it. Leading `name:` words switch the command's boolean options on (`/ask private: …`);
// the rest of the text is its first string option (`/ask`'s prompt). Slack commands carry no files and
// no subcommands: those options are always absent (the runner then says what is missing).

// `private:` (any case), then the rest; the colon keeps a question that merely starts with the word
// ("private equity…") a question.
const FLAG = /^([a-z][\w-]*):\s*/i;

export function slackCommandOptions(options: readonly CommandOption[], text: string): CommandOptions {
  const values = options.filter(
    (option): option is ValueOption => option.type !== 'subcommand' && option.type !== 'group',
  );
  const flags = new Set<string>();
  let rest = text.trim();
  for (let match = FLAG.exec(rest); match !== null; match = FLAG.exec(rest)) {
    const name = match[1]?.toLowerCase() ?? '';
    if (!values.some((option) => option.type === 'boolean' && option.name === name)) break;
    flags.add(name);
    rest = rest.slice(match[0].length).trimStart();
  }
  const stringOption = values.find((option) => option.type === 'string')?.name;
  return {
    string: (name) => (name === stringOption && rest !== '' ? rest : null),
    // Absent unless given, as on Discord: the command picks the default.
    boolean: (name) => (flags.has(name) ? true : null),
    attachment: () => null,
    subcommand: () => null,
    group: () => null,
  };
}
