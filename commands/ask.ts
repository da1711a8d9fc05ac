import type { Command } from '../src/core/commands/command.js';

// Long enough for a real question with some pasted code; Discord's own cap for a string option is 6000.
const PROMPT_LIMIT = 4000;

export const ask = {
  data: {
    name: 'ask',
    description: 'Ask Claude a question; the answer streams in',
    access: 'everyone',
    options: [
      { type: 'string', name: 'prompt', description: 'Your question', required: true, maxLength: PROMPT_LIMIT },
      {
        type: 'boolean',
        name: 'private',
        description: 'Only you see the answer, and it is not added to the channel’s conversation',
      },
      { type: 'attachment', name: 'file', description: 'An image, a PDF or a text file for Claude to read' },
    ],
  },
  async execute({ options, answer }) {
    const file = options.attachment('file');
    await answer(options.string('prompt') ?? '', {
      private: options.boolean('private') ?? false,
      ...(file === null ? {} : { attachments: [file] }),
    });
  },
} satisfies Command;
