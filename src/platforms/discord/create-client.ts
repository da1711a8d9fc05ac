import { Client, GatewayIntentBits, Partials } from 'discord.js';

export interface DiscordClientOptions {
  /** REST base, e.g. https://discord.com/api; a proxy or a test server can stand in. */
  readonly apiUrl: string;
}

export function createDiscordClient(options: DiscordClientOptions): Client {
  return new Client({
    // Mentions of the bot and DMs carry their content without the privileged MessageContent intent.
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages],
    // Without the channel partial, discord.js drops DMs from channels it has not cached; with the
    // message partial it reports deletions of messages it has not cached (a question from before a restart).
    partials: [Partials.Channel, Partials.Message],
    // Sent with every send, reply and edit: model output can never ping anyone, the asker included.
    allowedMentions: { parse: [], repliedUser: false },
    // A question deleted before the reply posts must not make the reply fail.
    failIfNotExists: false,
    rest: { api: options.apiUrl },
  });
}
