import type { Command } from '../src/core/commands/command.js';
import { commandText } from '../src/core/user-text.js';

export const reset = {
  data: {
    name: 'reset',
    description: 'Clear this channel’s conversation with Claude',
    access: 'moderators',
    options: [],
  },
  async execute({ conversation, respondPrivately }) {
    await respondPrivately(commandText.cleared(await conversation.clear()));
  },
} satisfies Command;
