import { createHash } from 'node:crypto';

/** A stable hash of a Slack person, never the raw id: what the model provider is told. */
export const slackAuthorRef = (teamId: string, userId: string): string =>
  createHash('sha256').update(`slack:${teamId}:${userId}`).digest('hex').slice(0, 32);
