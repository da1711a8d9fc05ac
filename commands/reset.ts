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
    // An answer being written takes the channel's turn first, and its exchange is cleared with the
    // rest; the user hears at once that the reset waits for it (Discord wants an answer within 3 s).
    const busy = conversation.busy();
    const [dropped] = await Promise.all([
      conversation.clear(),
      busy ? respondPrivately(commandText.clearsAfterAnswer) : undefined,
    ]);
    await respondPrivately(commandText.cleared(dropped));
  },
} satisfies Command;
