import { describe, expect, it } from 'vitest';
import { ask } from '../../../../commands/ask.js';
import { usage } from '../../../../commands/usage.js';
import { slackCommandOptions } from '../../../../src/platforms/slack/slack-command-options.js';

const askOptions = (text: string) => slackCommandOptions(ask.data.options, text);

describe('Slack command text as the core command’s options', () => {
  it('is /ask’s prompt, trimmed; blank is no prompt', () => {
    expect(askOptions('  What is a monad?  ').string('prompt')).toBe('What is a monad?');
    expect(askOptions('   ').string('prompt')).toBeNull();
    expect(askOptions('What?').boolean('private')).toBeNull();
  });

  it('reads a leading `private:` (any case, with or without a space) as the private option', () => {
    for (const text of ['private: Only for me?', 'PRIVATE:Only for me?', 'Private:   Only for me?']) {
      const options = askOptions(text);
      expect(options.boolean('private')).toBe(true);
      expect(options.string('prompt')).toBe('Only for me?');
    }
    expect(askOptions('private:').string('prompt')).toBeNull();
  });

  it('leaves words that are not the command’s flags in the prompt', () => {
    for (const text of ['private equity: what is it?', 'note: private: keep it', 'https://example.com is down?']) {
      const options = askOptions(text);
      expect(options.boolean('private')).toBeNull();
      expect(options.string('prompt')).toBe(text);
    }
    // A flag after the question starts is part of the question.
    expect(askOptions('Why private: here?').boolean('private')).toBeNull();
  });

  it('never gives a file, a subcommand, or a value to a command without that option', () => {
    const options = askOptions('private: with a file?');
    expect(options.attachment('file')).toBeNull();
    expect(options.subcommand()).toBeNull();
    expect(options.group()).toBeNull();
    expect(slackCommandOptions(usage.data.options, 'private: anything').string('prompt')).toBeNull();
    expect(slackCommandOptions(usage.data.options, 'private: anything').boolean('private')).toBeNull();
  });
});
