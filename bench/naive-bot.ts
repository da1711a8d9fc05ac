import Anthropic from '@anthropic-ai/sdk';
import { Client, Events, GatewayIntentBits } from 'discord.js';
import type { Message } from 'discord.js';
import pThrottle from 'p-throttle';
import type { BucketSettings } from './settings.js';

// The baseline, written the way tutorials do it: reply with a placeholder, then on every `text`
// event a p-throttled edit with the snapshot (the throttle set to the channel's budget; it queues
// every call and never drops one), and a last edit after finalMessage(). No splitting: the bench
// keeps answers under 2000 characters.

export interface NaiveBotOptions {
  readonly apiUrl: string;
  readonly anthropicUrl: string;
  readonly channelBucket: BucketSettings;
  readonly onAnswered: () => void;
  readonly onError: (error: unknown) => void;
}

export interface NaiveBot {
  readonly client: Client;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createNaiveBot(options: NaiveBotOptions): NaiveBot {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages],
    rest: { api: options.apiUrl },
  });
  const anthropic = new Anthropic({ apiKey: 'bench-key', baseURL: options.anthropicUrl, maxRetries: 0 });

  async function answer(message: Message): Promise<void> {
    const reply = await message.reply('…');
    const edit = pThrottle({ limit: options.channelBucket.limit, interval: options.channelBucket.windowMs })(
      (content: string) => reply.edit(content),
    );
    const stream = anthropic.messages.stream({
      model: 'claude-sonnet-5-5',
      max_tokens: 1024,
      messages: [{ role: 'user', content: message.content.replace(/<@!?\d+>/g, '').trim() }],
    });
    stream.on('text', (_delta, snapshot) => {
      edit(snapshot).catch(options.onError);
    });
    const final = await stream.finalMessage();
    const text = final.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
    await edit(text);
    options.onAnswered();
  }

  client.on(Events.MessageCreate, (message) => {
    if (message.author.bot || !client.user || !message.mentions.has(client.user)) return;
    answer(message).catch(options.onError);
  });

  return {
    client,
    async start() {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login('bench-token');
      await ready;
    },
    async stop() {
      await client.destroy();
    },
  };
}
