import type { StoredAccessLists } from '../ports/storage.js';

// Who may ask: allow and block lists, checked before any model call. Platform-free: the platform
// describes the asker (who, with which roles, where), the policy says yes or why not.
//
// Two levels. The operator's (environment) decide which guilds the bot serves, whether it answers
// DMs and whom it blocks everywhere; their admins (ADMIN_USER_IDS) pass everything. A guild's admins
// (Manage Server) may replace the channel, role and user lists for their guild and block more people
// there (/config access); they pass their guild's lists, never the operator's.

/** Someone asking, as the platform sees them. */
export interface Asker {
  readonly userId: string;
  /** Their roles in the guild (none in a DM). */
  readonly roleIds: readonly string[];
  /** null in a DM. */
  readonly guildId: string | null;
  /** The channel asked in, then what it lives in: a thread's parent channel, a channel's category. */
  readonly channelIds: readonly string[];
  /** Holds Manage Server in the guild asked in. */
  readonly managesGuild?: boolean;
}

/** Empty sets mean no restriction. */
export interface AccessLists {
  readonly allowedGuildIds: ReadonlySet<string>;
  readonly allowedChannelIds: ReadonlySet<string>;
  readonly allowedRoleIds: ReadonlySet<string>;
  readonly allowedUserIds: ReadonlySet<string>;
  readonly blockedUserIds: ReadonlySet<string>;
  readonly allowDms: boolean;
  /** The operator's admins pass every list: they are the ones who set them. */
  readonly adminIds: ReadonlySet<string>;
}

export type AccessRefusal = 'dms_off' | 'guild' | 'channel' | 'role' | 'user' | 'blocked';

export type AccessDecision = { readonly allowed: true } | { readonly allowed: false; readonly reason: AccessRefusal };

/** `guildLists`: the lists the asker's guild set (/config access), over the operator's. */
export type AccessPolicy = (asker: Asker, guildLists?: StoredAccessLists) => AccessDecision;

const ALLOWED: AccessDecision = { allowed: true };
const refused = (reason: AccessRefusal): AccessDecision => ({ allowed: false, reason });

export function createAccessPolicy(operator: AccessLists): AccessPolicy {
  return (asker, guildLists = {}) => {
    if (operator.adminIds.has(asker.userId)) return ALLOWED;
    // Blocked wins over every allow list.
    if (operator.blockedUserIds.has(asker.userId)) return refused('blocked');
    if (asker.guildId === null)
      return operator.allowDms ? decision(personRefusal(operator, asker)) : refused('dms_off');
    if (operator.allowedGuildIds.size > 0 && !operator.allowedGuildIds.has(asker.guildId)) return refused('guild');
    if (asker.managesGuild) return ALLOWED;
    if (guildLists.blockedUserIds?.includes(asker.userId)) return refused('blocked');
    const lists = guildListsOver(operator, guildLists);
    return decision(channelRefusal(lists, asker) ?? personRefusal(lists, asker));
  };
}

const decision = (reason: AccessRefusal | undefined) => (reason ? refused(reason) : ALLOWED);

type GuildLists = Pick<AccessLists, 'allowedChannelIds' | 'allowedRoleIds' | 'allowedUserIds'>;

// A list the guild set replaces the operator's; one it never set falls back to it.
function guildListsOver(operator: AccessLists, guild: StoredAccessLists): GuildLists {
  const pick = (stored: readonly string[] | undefined, fallback: ReadonlySet<string>) =>
    stored ? new Set(stored) : fallback;
  return {
    allowedChannelIds: pick(guild.allowedChannelIds, operator.allowedChannelIds),
    allowedRoleIds: pick(guild.allowedRoleIds, operator.allowedRoleIds),
    allowedUserIds: pick(guild.allowedUserIds, operator.allowedUserIds),
  };
}

function channelRefusal(lists: GuildLists, asker: Asker): AccessRefusal | undefined {
  const { allowedChannelIds } = lists;
  if (allowedChannelIds.size > 0 && !asker.channelIds.some((id) => allowedChannelIds.has(id))) return 'channel';
  return undefined;
}

// The user and role lists together say who may ask: someone on the user list or holding an allowed
// role. A DM has no roles, so there only the user list admits.
function personRefusal(lists: GuildLists, asker: Asker): AccessRefusal | undefined {
  const { allowedUserIds, allowedRoleIds } = lists;
  if (allowedUserIds.size === 0 && allowedRoleIds.size === 0) return undefined;
  if (allowedUserIds.has(asker.userId)) return undefined;
  if (asker.roleIds.some((id) => allowedRoleIds.has(id))) return undefined;
  return allowedRoleIds.size > 0 ? 'role' : 'user';
}
