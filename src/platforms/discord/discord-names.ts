import type { Names } from '../../core/budget/usage-report.js';

// How Discord shows channels, people and roles in text, and how an admin may type them: a mention
// renders as a name (and pings nobody: every send sets allowed_mentions) or a bare id.

export const discordNames: Names & { readonly role: (id: string) => string } = {
  channel: (id) => `<#${id}>`,
  user: (id) => `<@${id}>`,
  role: (id) => `<@&${id}>`,
};

const ID = /^(?:\d{17,20}|<#\d{17,20}>|<@!?\d{17,20}>|<@&\d{17,20}>)$/;

/** The ids in `text` (ids or mentions separated by spaces or commas); null when any is neither. */
export function parseDiscordIds(text: string): string[] | null {
  const tokens = text.split(/[\s,]+/).filter((token) => token !== '');
  if (!tokens.every((token) => ID.test(token))) return null;
  return [...new Set(tokens.map((token) => token.replace(/\D/g, '')))];
}
