import type { Names } from '../../core/budget/usage-report.js';

// How Slack shows channels and people in our own text (/usage): as mentions, which Slack renders as
// names. The usage counters key a Slack channel as `slack:<team>:<channel>`; roles do not exist.

export const slackNames: Names & { readonly role: (id: string) => string } = {
  channel: (key) => `<#${key.slice(key.lastIndexOf(':') + 1)}>`,
  user: (id) => `<@${id}>`,
  role: (id) => id,
};
