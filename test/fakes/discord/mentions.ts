import { AllowedMentionsTypes, type APIAllowedMentions } from 'discord.js';

export interface ResolvedMentions {
  readonly userIds: string[];
  readonly everyone: boolean;
}

/** User ids written as <@id> or <@!id>, in order, without duplicates. */
export function userMentionsIn(content: string): string[] {
  const ids = [...content.matchAll(/<@!?(\d{17,20})>/g)].map((match) => match[1] ?? '');
  return [...new Set(ids)].filter((id) => id !== '');
}

/**
 * Whom a bot message pings. Without allowed_mentions Discord parses everything and pings the
 * replied-to author; with it, only what it lists — which is why a bot streaming edits must send
 * allowed_mentions on every edit.
 */
export function resolveMentions(
  content: string,
  allowed: APIAllowedMentions | undefined,
  isKnownUser: (id: string) => boolean,
  repliedUserId: string | undefined,
): ResolvedMentions {
  // An allowed_mentions without `parse` parses nothing: only its explicit lists count.
  const parse = allowed === undefined ? Object.values(AllowedMentionsTypes) : (allowed.parse ?? []);
  const listedUsers = new Set(allowed?.users ?? []);
  const parsesUsers = parse.includes(AllowedMentionsTypes.User);
  const userIds = userMentionsIn(content).filter((id) => isKnownUser(id) && (parsesUsers || listedUsers.has(id)));
  const pingsRepliedUser = allowed === undefined ? true : (allowed.replied_user ?? false);
  if (repliedUserId !== undefined && pingsRepliedUser && !userIds.includes(repliedUserId)) userIds.push(repliedUserId);
  const everyone = /@(everyone|here)\b/.test(content) && parse.includes(AllowedMentionsTypes.Everyone);
  return { userIds, everyone };
}
