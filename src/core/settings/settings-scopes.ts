import type { Asker } from '../access/access-policy.js';

// Where /config settings live: a guild's, and each channel's (a thread's own, else its parent's).

export const scopeKey = {
  guild: (guildId: string) => `guild:${guildId}`,
  channel: (channelId: string) => `channel:${channelId}`,
} as const;

/** Where a question is asked, as settings see it: the guild, and the channel then what it lives in. */
export type Place = Pick<Asker, 'guildId' | 'channelIds'>;

/** The scopes that apply to `place`, the closest first: its channels, then its guild. */
export function placeScopes(place: Place): string[] {
  const channels = place.channelIds.map(scopeKey.channel);
  return place.guildId === null ? channels : [...channels, scopeKey.guild(place.guildId)];
}
