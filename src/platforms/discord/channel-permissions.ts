import { PermissionFlagsBits } from 'discord.js';
import type { PermissionsBitField, PermissionsString, TextBasedChannel } from 'discord.js';
import type { Clock } from '../../core/ports/clock.js';
import { logRefusal } from '../../core/access/refusal-log.js';
import type { Logger } from '../../core/ports/logger.js';
import { createOncePerKey } from './once-per-key.js';

// Whether the bot can show an answer in a channel, decided before Claude is asked: a refused post
// would otherwise cost a model call that nobody sees. The gateway keeps roles, overwrites and the
// bot's member in its cache, so the check costs no request. DMs are always allowed.

// A reply quotes the question, which Discord refuses without Read Message History (160002).
const IN_CHANNEL = [
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.SendMessages,
  PermissionFlagsBits.ReadMessageHistory,
];
// In a thread, Send Messages in Threads is what lets the bot post; Send Messages does not matter.
const IN_THREAD = [
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.SendMessagesInThreads,
  PermissionFlagsBits.ReadMessageHistory,
];

// A channel that stays closed is logged again after this long, so the log still shows it a day later.
const LOG_AGAIN_AFTER_MS = 60 * 60 * 1000;
// Channels remembered as logged; more than this only means an extra log line for the oldest.
const REMEMBERED_CHANNELS = 1000;

/** Where a question came from, as far as permissions go. */
export interface ChannelAccessQuery {
  readonly channelId: string;
  readonly guildId: string | null;
  readonly thread: boolean;
  /** The bot's permissions there; null when unknown (the post will tell). */
  readonly permissions: Readonly<PermissionsBitField> | null;
}

export interface ChannelGate {
  /** Whether the bot may answer there; when not, a warning per channel an hour goes to the log. */
  admits(query: ChannelAccessQuery): boolean;
}

export function createChannelGate(deps: { readonly logger: Logger; readonly clock: Clock }): ChannelGate {
  const logged = createOncePerKey({ clock: deps.clock, everyMs: LOG_AGAIN_AFTER_MS, max: REMEMBERED_CHANNELS });
  return {
    admits(query) {
      const missing = missingPermissions(query);
      if (missing.length === 0) {
        // Permissions came back: losing them again deserves a fresh line.
        logged.forget(query.channelId);
        return true;
      }
      // The question's one line: a warning the first time in an hour, so the operator sees the channel;
      // debug for the questions after it, which would only repeat it.
      const level = logged.due(query.channelId) ? 'warn' : 'debug';
      logRefusal(deps.logger, query, 'missing-permissions', { missing }, level);
      return false;
    },
  };
}

/** What the bot lacks to answer there; nothing when the permissions are unknown. */
export function missingPermissions(query: ChannelAccessQuery): PermissionsString[] {
  if (query.guildId === null || query.permissions === null) return [];
  return query.permissions.missing(query.thread ? IN_THREAD : IN_CHANNEL);
}

/**
 * The bot's standing in a message's channel, from the gateway's cache. If the bot's own member is not
 * cached (a bounded member cache may drop it), one request fetches it; if even that fails, the
 * permissions stay unknown and the post decides.
 */
export async function channelAccess(channel: TextBasedChannel): Promise<ChannelAccessQuery> {
  if (channel.isDMBased()) return { channelId: channel.id, guildId: null, thread: false, permissions: null };
  const { guild } = channel;
  const me = guild.members.me ?? (await guild.members.fetchMe().catch(() => null));
  return {
    channelId: channel.id,
    guildId: guild.id,
    thread: channel.isThread(),
    permissions: me === null ? null : channel.permissionsFor(me),
  };
}
