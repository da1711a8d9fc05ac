import { Client, GatewayIntentBits, Options, Partials } from 'discord.js';
import type { CacheFactory, ClientOptions, GuildMember, ThreadMember, User } from 'discord.js';

export interface DiscordClientOptions {
  /** REST base, e.g. https://discord.com/api; a proxy or a test server can stand in. */
  readonly apiUrl: string;
  /** This process's share of Discord's global limit; discord.js keeps its own count of it too. */
  readonly globalRequestsPerSecond: number;
  /** Ask for the privileged Message Content intent (MESSAGE_CONTENT_INTENT); off when absent. */
  readonly messageContent?: boolean;
}

// The gateway cache, bounded. discord.js keeps every message (200 per channel), user and member it
// hears of; in thousands of busy channels that grows without end. The bot needs little of it: the
// message an event carries comes with the event, its replies are edited through their own objects or
// by id, and deletions are reported for uncached messages too (the message partial). What permission
// checks read stays whole: guilds, channels and roles (discord.js does not support limiting those)
// and the bot's own member, user and thread memberships.
const isBot = (entry: User | GuildMember | ThreadMember) => entry.id === entry.client.user.id;

/** Per channel: the last few messages, and none older than a quarter of an hour once swept. */
export const CACHED_MESSAGES_PER_CHANNEL = 10;
export const CACHED_USERS = 1000;
export const CACHED_MEMBERS_PER_GUILD = 100;

export const CACHE_LIMITS: CacheFactory = Options.cacheWithLimits({
  ...Options.DefaultMakeCacheSettings,
  MessageManager: CACHED_MESSAGES_PER_CHANNEL,
  UserManager: { maxSize: CACHED_USERS, keepOverLimit: isBot },
  GuildMemberManager: { maxSize: CACHED_MEMBERS_PER_GUILD, keepOverLimit: isBot },
  // Whether the bot has joined a thread is read from its own thread member.
  ThreadMemberManager: { maxSize: 0, keepOverLimit: isBot },
  // Nothing the bot reads; no intent delivers presences or voice states, but nothing is kept either way.
  ReactionManager: 0,
  ReactionUserManager: 0,
  PresenceManager: 0,
  VoiceStateManager: 0,
});

// Intervals and lifetimes in seconds.
export const CACHE_SWEEPERS: NonNullable<ClientOptions['sweepers']> = {
  ...Options.DefaultSweeperSettings,
  messages: { interval: 300, lifetime: 900 },
  users: { interval: 3600, filter: () => (user) => !isBot(user) },
  guildMembers: { interval: 3600, filter: () => (member) => !isBot(member) },
};

export function createDiscordClient(options: DiscordClientOptions): Client {
  return new Client({
    // Mentions of the bot and DMs carry their content without the privileged MessageContent intent;
    // the operator asks for it (and enables it in the Developer Portal) to read the rest too.
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      GatewayIntentBits.DirectMessages,
      ...(options.messageContent === true ? [GatewayIntentBits.MessageContent] : []),
    ],
    // Without the channel partial, discord.js drops DMs from channels it has not cached; with the
    // message partial it reports deletions of messages it has not cached (a question from before a
    // restart, or one the bounded cache let go).
    partials: [Partials.Channel, Partials.Message],
    // Sent with every send, reply and edit: model output can never ping anyone, the asker included.
    allowedMentions: { parse: [], repliedUser: false },
    // A question deleted before the reply posts must not make the reply fail.
    failIfNotExists: false,
    makeCache: CACHE_LIMITS,
    sweepers: CACHE_SWEEPERS,
    // discord.js counts whole requests per second: a fractional share is rounded down (at least 1).
    rest: { api: options.apiUrl, globalRequestsPerSecond: Math.max(1, Math.floor(options.globalRequestsPerSecond)) },
  });
}
