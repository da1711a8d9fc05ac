// Who may ask: allow and block lists from the operator, checked before any model call. Platform-free:
// the platform describes the asker (who, with which roles, where), the policy says yes or why not.

/** Someone asking, as the platform sees them. */
export interface Asker {
  readonly userId: string;
  /** Their roles in the guild (none in a DM). */
  readonly roleIds: readonly string[];
  /** null in a DM. */
  readonly guildId: string | null;
  /** The channel asked in, then what it lives in: a thread's parent channel, a channel's category. */
  readonly channelIds: readonly string[];
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

export type AccessPolicy = (asker: Asker) => AccessDecision;

const ALLOWED: AccessDecision = { allowed: true };
const refused = (reason: AccessRefusal): AccessDecision => ({ allowed: false, reason });

export function createAccessPolicy(lists: AccessLists): AccessPolicy {
  return (asker) => {
    if (lists.adminIds.has(asker.userId)) return ALLOWED;
    // Blocked wins over every allow list.
    if (lists.blockedUserIds.has(asker.userId)) return refused('blocked');
    const reason = placeRefusal(lists, asker) ?? personRefusal(lists, asker);
    return reason ? refused(reason) : ALLOWED;
  };
}

function placeRefusal(lists: AccessLists, asker: Asker): AccessRefusal | undefined {
  if (asker.guildId === null) return lists.allowDms ? undefined : 'dms_off';
  if (lists.allowedGuildIds.size > 0 && !lists.allowedGuildIds.has(asker.guildId)) return 'guild';
  const { allowedChannelIds } = lists;
  if (allowedChannelIds.size > 0 && !asker.channelIds.some((id) => allowedChannelIds.has(id))) return 'channel';
  return undefined;
}

// The user and role lists together say who may ask: someone on the user list or holding an allowed
// role. A DM has no roles, so there only the user list admits.
function personRefusal(lists: AccessLists, asker: Asker): AccessRefusal | undefined {
  const { allowedUserIds, allowedRoleIds } = lists;
  if (allowedUserIds.size === 0 && allowedRoleIds.size === 0) return undefined;
  if (allowedUserIds.has(asker.userId)) return undefined;
  if (asker.roleIds.some((id) => allowedRoleIds.has(id))) return undefined;
  return allowedRoleIds.size > 0 ? 'role' : 'user';
}
