import type { Command } from '../src/core/commands/command.js';
import { controlText } from '../src/core/user-text.js';

export const stop = {
  data: {
    name: 'stop',
    description: 'Stop the answer streaming in this channel',
    // Who may stop a given answer (its asker, moderators, admins) is checked per answer.
    access: 'everyone',
    options: [],
  },
  async execute({ stopStreaming, respondPrivately }) {
    await respondPrivately(stopStreaming() ?? controlText.stopped);
  },
} satisfies Command;
