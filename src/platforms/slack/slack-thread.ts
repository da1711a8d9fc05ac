// Where a Slack answer lives: a thread (its parent's ts) in a channel or DM of one workspace. Each
// thread is one conversation, keyed so that it can never collide with a Discord id (digits only).

export interface SlackThread {
  readonly teamId: string;
  readonly channel: string;
  /** The thread's parent message: the question itself when it was asked outside a thread. */
  readonly threadTs: string;
}

export const conversationKey = (thread: SlackThread): string =>
  `slack:${thread.teamId}:${thread.channel}:${thread.threadTs}`;

/** The thread a conversation key names; undefined for any other key (e.g. a Discord channel id). */
export function threadOfKey(key: string): SlackThread | undefined {
  const [platform, teamId, channel, threadTs, ...rest] = key.split(':');
  if (platform !== 'slack' || !teamId || !channel || !threadTs || rest.length > 0) return undefined;
  return { teamId, channel, threadTs };
}

/** The workspace of any Slack key (a thread's, or a channel's for /ask); undefined for a Discord id. */
export function teamOfKey(key: string): string | undefined {
  const [platform, teamId] = key.split(':');
  return platform === 'slack' && teamId ? teamId : undefined;
}

/** Slack's rate tiers count per method and workspace: posts and updates share a workspace's budget… */
export const workspaceBudgetKey = (teamId: string): string => `slack:${teamId}`;

const STREAMS = ':streams';
/** …and its native streams' appends have their own (slack-write-budgets.ts). */
export const streamBudgetKey = (teamId: string): string => `slack:${teamId}${STREAMS}`;
export const isStreamBudgetKey = (key: string): boolean => key.startsWith('slack:') && key.endsWith(STREAMS);

/** A message of the app, found again from its locator after the answer (Regenerate, buttons). */
export const messageLocator = (thread: SlackThread, ts: string): string => `${conversationKey(thread)}:${ts}`;

export function locatedMessage(locator: string): { thread: SlackThread; ts: string } | undefined {
  const cut = locator.lastIndexOf(':');
  const thread = threadOfKey(locator.slice(0, cut));
  const ts = locator.slice(cut + 1);
  return thread && ts ? { thread, ts } : undefined;
}
