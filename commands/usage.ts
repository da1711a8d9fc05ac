import type { Command } from '../src/core/commands/command.js';

export const usage = {
  data: {
    name: 'usage',
    description: 'Your Claude use today and your limits (admins: the server’s too)',
    access: 'everyone',
    options: [],
  },
  async execute({ usageReport, respondPrivately }) {
    await respondPrivately(await usageReport());
  },
} satisfies Command;
