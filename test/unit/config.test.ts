import { readFileSync } from 'node:fs';
import { parse } from 'dotenv';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  configSecrets,
  DEFAULT_MODEL,
  loadChatConfig,
  loadConfig,
  SETTING_NAMES,
} from '../../src/config.js';

const required = { DISCORD_TOKEN: 'discord-token', ANTHROPIC_API_KEY: 'anthropic-key' };
const slackOnly = { SLACK_BOT_TOKEN: 'xoxb-1-bot', SLACK_APP_TOKEN: 'xapp-1-app', ANTHROPIC_API_KEY: 'anthropic-key' };
const SLACK_HALF =
  'Slack needs SLACK_BOT_TOKEN (xoxb-…) and either SLACK_APP_TOKEN (xapp-…, Socket Mode) or SLACK_SIGNING_SECRET (HTTP events)';
const NO_PLATFORM =
  'No platform is configured: set DISCORD_TOKEN (Discord), or SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Slack), or all three';

function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('reports every problem at once', () => {
    expect(
      problemsOf({ MAX_TOKENS: 'lots', IDLE_TIMEOUT_MS: '0', DISCORD_API_URL: 'not a url', LOG_LEVEL: 'loud' }),
    ).toEqual([
      'ANTHROPIC_API_KEY is required',
      'MAX_TOKENS must be a number',
      'IDLE_TIMEOUT_MS must be at least 1',
      'DISCORD_API_URL must be a URL such as https://example.com',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
      NO_PLATFORM,
    ]);
  });

  it('runs Slack alone, Discord alone or both, by the tokens set', () => {
    const slack = loadConfig(slackOnly);
    expect(slack.discord).toBeUndefined();
    expect(slack.slack).toEqual({
      botToken: 'xoxb-1-bot',
      events: { kind: 'socket-mode', appToken: 'xapp-1-app' },
      apiUrl: 'https://slack.com/api/',
    });
    expect(loadConfig(required).slack).toBeUndefined();
    const both = loadConfig({ ...slackOnly, ...required, SLACK_API_URL: 'http://127.0.0.1:7000/api' });
    expect(both.discord?.token).toBe('discord-token');
    // The Web API client appends method names to the base.
    expect(both.slack?.apiUrl).toBe('http://127.0.0.1:7000/api/');
  });

  it('refuses half a Slack configuration and swapped Slack tokens, with the other problems', () => {
    expect(problemsOf({ ...required, SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual([SLACK_HALF]);
    expect(problemsOf({ ...required, SLACK_SIGNING_SECRET: 'secret' })).toEqual([SLACK_HALF]);
    expect(
      problemsOf({ ...slackOnly, SLACK_BOT_TOKEN: 'xapp-1', SLACK_APP_TOKEN: 'xoxb-1', SLACK_API_URL: 'nope' }),
    ).toEqual([
      'SLACK_BOT_TOKEN must be a bot token (xoxb-…)',
      'SLACK_APP_TOKEN must be an app-level token (xapp-…)',
      'SLACK_API_URL must be a URL such as https://example.com',
    ]);
  });

  it('takes Slack’s events over HTTP with a signing secret instead of the app token', () => {
    const http = { ...slackOnly, SLACK_APP_TOKEN: '', SLACK_SIGNING_SECRET: ' signing-secret ' };
    const config = loadConfig(http);
    expect(config.slack?.events).toEqual({ kind: 'http', signingSecret: 'signing-secret', port: 3000 });
    expect(configSecrets(config)).toContain('signing-secret');
    expect(loadConfig({ ...http, SLACK_PORT: '0' }).slack?.events).toMatchObject({ port: 0 });
    expect(problemsOf({ ...http, SLACK_PORT: '70000' })).toEqual(['SLACK_PORT must be a port number, 0 to 65535']);
    expect(problemsOf({ ...http, SLACK_PORT: '9100', METRICS_PORT: '9100' })).toEqual([
      'SLACK_PORT and METRICS_PORT must differ (both are 9100)',
    ]);
  });

  it('refuses Socket Mode and HTTP events together: Slack delivers events one way', () => {
    expect(problemsOf({ ...slackOnly, SLACK_SIGNING_SECRET: 'signing-secret' })).toEqual([
      'Set SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP events), not both: Slack delivers events one way',
    ]);
  });

  it('logs JSON unless LOG_FORMAT asks for pretty lines', () => {
    expect(loadConfig(required).logFormat).toBe('json');
    expect(loadConfig({ ...required, LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(problemsOf({ ...required, LOG_FORMAT: 'colourful' })).toEqual(['LOG_FORMAT must be json or pretty']);
  });

  it('treats empty and blank values as missing', () => {
    expect(problemsOf({ DISCORD_TOKEN: '', ANTHROPIC_API_KEY: '   ' })).toEqual([
      'ANTHROPIC_API_KEY is required',
      NO_PLATFORM,
    ]);
  });

  it('fills in defaults', () => {
    const config = loadConfig({ ...required, SYSTEM_PROMPT: '' });
    expect(config.anthropic).toEqual({
      apiKey: 'anthropic-key',
      baseURL: undefined,
      model: DEFAULT_MODEL,
      maxRetries: 2,
      timeoutMs: 60_000,
      thinking: { enabled: false, budgetTokens: 4096 },
      webSearch: null,
      webFetch: null,
    });
    expect(config.discord).toEqual({
      token: 'discord-token',
      apiUrl: 'https://discord.com/api',
      syncCommands: true,
      guildId: undefined,
      globalRequestsPerSecond: 50,
      threads: 'off',
      messageContentIntent: false,
    });
    // Shorter than Docker's default stop timeout (10 s), so end notices go out before a SIGKILL.
    expect(config.shutdownGraceMs).toBe(7000);
    expect(config.shardCount).toBeUndefined();
    expect(config.shardIds).toBeUndefined();
    expect(config.answers.maxTokens).toBe(1024);
    expect(config.answers.systemPrompt.length).toBeGreaterThan(0);
    expect(config.answers.history).toEqual({ maxTurns: 20, maxTokens: 8000 });
    expect(config.answers.queueCaps).toEqual({ perChannel: 5, perUser: undefined });
    expect(config.attachments).toEqual({ maxCount: 5, maxBytes: 3_932_160 });
  });

  it('reads the attachment limits, 0 files included, and refuses a size of 0', () => {
    const config = loadConfig({ ...required, MAX_ATTACHMENTS: '0', MAX_ATTACHMENT_BYTES: '1048576' });
    expect(config.attachments).toEqual({ maxCount: 0, maxBytes: 1_048_576 });
    expect(problemsOf({ ...required, MAX_ATTACHMENTS: 'many', MAX_ATTACHMENT_BYTES: '0' })).toEqual([
      'MAX_ATTACHMENTS must be a number',
      'MAX_ATTACHMENT_BYTES must be at least 1',
    ]);
  });

  it('turns thinking, web search and web fetch on with their limits, and reports every bad value at once', () => {
    const config = loadConfig({
      ...required,
      THINKING: 'ON',
      THINKING_BUDGET_TOKENS: '2048',
      WEB_SEARCH: 'on',
      WEB_SEARCH_MAX_USES: '3',
      WEB_FETCH: ' on ',
    });
    expect(config.anthropic).toMatchObject({
      thinking: { enabled: true, budgetTokens: 2048 },
      webSearch: { maxUses: 3 },
      webFetch: { maxUses: 5 },
    });
    // A limit without its switch changes nothing.
    expect(loadConfig({ ...required, WEB_SEARCH_MAX_USES: '9' }).anthropic.webSearch).toBeNull();
    expect(
      problemsOf({
        ...required,
        THINKING: 'true',
        THINKING_BUDGET_TOKENS: '1000',
        WEB_SEARCH: 'yes',
        WEB_SEARCH_MAX_USES: '0',
        WEB_FETCH: 'auto',
        WEB_FETCH_MAX_USES: 'many',
      }),
    ).toEqual([
      'THINKING must be on or off',
      'THINKING_BUDGET_TOKENS must be at least 1024',
      'WEB_SEARCH must be on or off',
      'WEB_SEARCH_MAX_USES must be at least 1',
      'WEB_FETCH must be on or off',
      'WEB_FETCH_MAX_USES must be a number',
    ]);
  });

  it('reads the queue caps, 0 included, and refuses ones that are not whole numbers', () => {
    const config = loadConfig({ ...required, MAX_QUEUED_PER_CHANNEL: '0', MAX_QUEUED_PER_USER: '2' });
    expect(config.answers.queueCaps).toEqual({ perChannel: 0, perUser: 2 });
    expect(problemsOf({ ...required, MAX_QUEUED_PER_CHANNEL: '-1', MAX_QUEUED_PER_USER: '1.5' })).toEqual([
      'MAX_QUEUED_PER_CHANNEL must be at least 0',
      'MAX_QUEUED_PER_USER must be a whole number',
    ]);
  });

  it('reads every optional setting', () => {
    const config = loadConfig({
      ...required,
      ANTHROPIC_MODEL: 'claude-haiku-4-5',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:9999',
      MAX_TOKENS: '200',
      HISTORY_MAX_TURNS: '0',
      HISTORY_MAX_TOKENS: '500',
      IDLE_TIMEOUT_MS: '1500',
      DISCORD_GUILD_ID: '123456789012345678',
      SYNC_COMMANDS: 'FALSE',
      DISCORD_API_URL: 'http://127.0.0.1:8888/api',
      DISCORD_GLOBAL_REQUESTS_PER_SECOND: '500',
    });
    expect(config.anthropic.model).toBe('claude-haiku-4-5');
    expect(config.anthropic.baseURL).toBe('http://127.0.0.1:9999');
    expect(config.answers).toMatchObject({
      maxTokens: 200,
      idleTimeoutMs: 1500,
      history: { maxTurns: 0, maxTokens: 500 },
    });
    expect(config.discord).toMatchObject({
      guildId: '123456789012345678',
      syncCommands: false,
      apiUrl: 'http://127.0.0.1:8888/api',
      globalRequestsPerSecond: 500,
    });
  });

  it("gives each of a ShardingManager's shard processes an equal share of Discord's global limit", () => {
    const limit = { ...required, DISCORD_GLOBAL_REQUESTS_PER_SECOND: '100' };
    expect(loadConfig(limit).discord?.globalRequestsPerSecond).toBe(100);
    // discord.js's ShardingManager sets these for each shard's process: four processes share the limit.
    const shard = { SHARDING_MANAGER: 'true', SHARD_COUNT: '4', SHARDS: '[1]' };
    expect(loadConfig({ ...limit, ...shard }).discord?.globalRequestsPerSecond).toBe(25);
    expect(loadConfig({ ...required, ...shard }).discord?.globalRequestsPerSecond).toBe(12.5);
    expect(problemsOf({ ...required, DISCORD_GLOBAL_REQUESTS_PER_SECOND: '0' })).toEqual([
      'DISCORD_GLOBAL_REQUESTS_PER_SECOND must be at least 1',
    ]);
  });

  it('serves health and metrics only when METRICS_PORT is set, on loopback unless told otherwise', () => {
    expect(loadConfig(required).metrics).toBeUndefined();
    expect(loadConfig({ ...required, METRICS_HOST: '0.0.0.0' }).metrics).toBeUndefined();
    expect(loadConfig({ ...required, METRICS_PORT: '9464' }).metrics).toEqual({
      port: 9464,
      host: '127.0.0.1',
      listener: 'self',
    });
    expect(loadConfig({ ...required, METRICS_PORT: '0', METRICS_HOST: ' 0.0.0.0 ' }).metrics).toMatchObject({
      port: 0,
      host: '0.0.0.0',
    });
    // Under `npm run start:sharded` the manager listens; its shards answer it.
    const shard = { SHARDING_MANAGER: 'true', SHARD_COUNT: '2', SHARDS: '[1]' };
    expect(loadConfig({ ...required, ...shard, METRICS_PORT: '9464' }).metrics?.listener).toBe('sharding-manager');
  });

  it('refuses a METRICS_PORT that is no port, with the other problems', () => {
    expect(problemsOf({ ...required, METRICS_PORT: '65536', MAX_TOKENS: '0' })).toEqual([
      'MAX_TOKENS must be at least 1',
      'METRICS_PORT must be a port number, 0 to 65535',
    ]);
    expect(problemsOf({ ...required, METRICS_PORT: '-1' })).toEqual(['METRICS_PORT must be a port number, 0 to 65535']);
    expect(problemsOf({ ...required, METRICS_PORT: 'http' })).toEqual(['METRICS_PORT must be a number']);
    expect(problemsOf({ ...required, METRICS_PORT: '94.64' })).toEqual(['METRICS_PORT must be a whole number']);
  });

  it('never puts a secret in its error message', () => {
    const problems = problemsOf({ DISCORD_TOKEN: 'secret-token', ANTHROPIC_API_KEY: 'secret-key', MAX_TOKENS: 'x' });
    expect(problems.join('\n')).not.toMatch(/secret/);
  });

  it('checks settings that depend on each other', () => {
    expect(problemsOf({ ...required, STREAMCORD_SHARD_IDS: '0,1' })).toEqual([
      'STREAMCORD_SHARD_IDS needs STREAMCORD_SHARD_COUNT: every host must agree on the total',
    ]);
    expect(problemsOf({ ...required, STREAMCORD_SHARD_IDS: '1,4', STREAMCORD_SHARD_COUNT: '4' })).toEqual([
      'STREAMCORD_SHARD_IDS 4 must be below STREAMCORD_SHARD_COUNT',
    ]);
    const config = loadConfig({
      ...required,
      STREAMCORD_SHARD_IDS: '2, 3',
      STREAMCORD_SHARD_COUNT: '4',
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
    expect(config.shardIds).toEqual([2, 3]);
    expect(config.shardCount).toBe(4);
    expect(config.storage.redisUrl).toBe('redis://127.0.0.1:6379');
  });

  it('lists a problem between two settings together with the other problems, in one run', () => {
    expect(problemsOf({ MAX_TOKENS: 'lots', STREAMCORD_SHARD_IDS: '1,4', STREAMCORD_SHARD_COUNT: '4' })).toEqual([
      'ANTHROPIC_API_KEY is required',
      'MAX_TOKENS must be a number',
      'STREAMCORD_SHARD_IDS 4 must be below STREAMCORD_SHARD_COUNT',
      NO_PLATFORM,
    ]);
    expect(problemsOf({ ...required, LOG_LEVEL: 'loud', STREAMCORD_SHARD_IDS: '0' })).toEqual([
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
      'STREAMCORD_SHARD_IDS needs STREAMCORD_SHARD_COUNT: every host must agree on the total',
    ]);
  });

  it('does not compare settings that are themselves wrong', () => {
    expect(problemsOf({ ...required, STREAMCORD_SHARD_IDS: '0', STREAMCORD_SHARD_COUNT: 'two' })).toEqual([
      'STREAMCORD_SHARD_COUNT must be a number',
    ]);
  });

  it("refuses discord.js's own SHARD_COUNT and SHARDS, even empty, outside a ShardingManager's shard", () => {
    expect(problemsOf({ ...required, SHARD_COUNT: '', SHARDS: '[0]' })).toEqual([
      'SHARD_COUNT is read by discord.js itself; remove it (our setting is STREAMCORD_SHARD_COUNT)',
      'SHARDS is read by discord.js itself; remove it (to run some shards here, use STREAMCORD_SHARD_IDS)',
    ]);
    expect(problemsOf({ MAX_TOKENS: 'x', SHARD_COUNT: '2' })).toEqual([
      'ANTHROPIC_API_KEY is required',
      'MAX_TOKENS must be a number',
      NO_PLATFORM,
      'SHARD_COUNT is read by discord.js itself; remove it (our setting is STREAMCORD_SHARD_COUNT)',
    ]);
    // In a shard, the manager sets them for discord.js: they are not ours to judge.
    const shard = loadConfig({ ...required, SHARDING_MANAGER: 'true', SHARDS: '1', SHARD_COUNT: '2' });
    expect(shard.shardCount).toBeUndefined();
  });

  it('reads THREADS and MESSAGE_CONTENT_INTENT, and refuses a THREADS it does not know', () => {
    expect(loadConfig({ ...required, THREADS: 'auto', MESSAGE_CONTENT_INTENT: 'true' }).discord).toMatchObject({
      threads: 'auto',
      messageContentIntent: true,
    });
    expect(problemsOf({ ...required, THREADS: 'always', MESSAGE_CONTENT_INTENT: 'maybe' })).toEqual([
      'THREADS must be off or auto',
      'MESSAGE_CONTENT_INTENT must be true or false',
    ]);
  });

  it('reads the flags in any case', () => {
    expect(loadConfig({ ...required, SYNC_COMMANDS: 'Off', USAGE_FOOTER: 'YES' })).toMatchObject({
      discord: { syncCommands: false },
      answers: { usageFooter: true },
    });
    expect(problemsOf({ ...required, SYNC_COMMANDS: 'maybe' })).toEqual(['SYNC_COMMANDS must be true or false']);
  });

  it('reads the access lists, open by default, and reports every bad id at once', () => {
    expect(loadConfig(required).access).toEqual({
      allowedGuildIds: new Set(),
      allowedChannelIds: new Set(),
      allowedRoleIds: new Set(),
      allowedUserIds: new Set(),
      blockedUserIds: new Set(),
      allowDms: true,
    });
    const config = loadConfig({
      ...required,
      ALLOWED_CHANNEL_IDS: ' 123456789012345678 , 234567890123456789',
      BLOCKED_USER_IDS: '345678901234567890',
      ALLOW_DMS: 'off',
    });
    expect(config.access).toMatchObject({
      allowedChannelIds: new Set(['123456789012345678', '234567890123456789']),
      blockedUserIds: new Set(['345678901234567890']),
      allowDms: false,
    });
    expect(
      problemsOf({ ...required, ALLOWED_GUILD_IDS: 'my-server', ALLOWED_ROLE_IDS: '12,34', ALLOW_DMS: 'sometimes' }),
    ).toEqual([
      'ALLOWED_GUILD_IDS must be Discord guild ids or Slack workspace (T…, E…) ids separated by commas',
      'ALLOWED_ROLE_IDS must be Discord role ids separated by commas',
      'ALLOW_DMS must be true or false',
    ]);
  });

  it('takes Slack ids in the same lists as Discord ids, each list only its own kind', () => {
    const config = loadConfig({
      ...required,
      ADMIN_USER_IDS: 'U012AB3CD, 123456789012345678',
      ALLOWED_USER_IDS: 'W0123ABCDE',
      BLOCKED_USER_IDS: 'U0BLOCKED1',
      ALLOWED_CHANNEL_IDS: 'C0123ABCD,G0123ABCD,D0123ABCD,234567890123456789',
      ALLOWED_GUILD_IDS: 'T0123ABCD,E0123ABCD',
    });
    expect(config.commands.adminIds).toEqual(new Set(['U012AB3CD', '123456789012345678']));
    expect(config.access).toMatchObject({
      allowedUserIds: new Set(['W0123ABCDE']),
      blockedUserIds: new Set(['U0BLOCKED1']),
      allowedChannelIds: new Set(['C0123ABCD', 'G0123ABCD', 'D0123ABCD', '234567890123456789']),
      allowedGuildIds: new Set(['T0123ABCD', 'E0123ABCD']),
    });
    // A channel id among users, a user among channels, a lower-case or cut id: each list says what it takes.
    expect(
      problemsOf({
        ...required,
        ALLOWED_USER_IDS: 'C0123ABCD',
        BLOCKED_USER_IDS: 'u012ab3cd',
        ADMIN_USER_IDS: 'U01',
        ALLOWED_CHANNEL_IDS: 'U012AB3CD',
        ALLOWED_GUILD_IDS: 'C0123ABCD',
      }),
    ).toEqual([
      'ADMIN_USER_IDS must be Discord user ids or Slack user (U…, W…) ids separated by commas',
      'ALLOWED_GUILD_IDS must be Discord guild ids or Slack workspace (T…, E…) ids separated by commas',
      'ALLOWED_CHANNEL_IDS must be Discord channel or category ids or Slack channel (C…, G…, D…) ids separated by commas',
      'ALLOWED_USER_IDS must be Discord user ids or Slack user (U…, W…) ids separated by commas',
      'BLOCKED_USER_IDS must be Discord user ids or Slack user (U…, W…) ids separated by commas',
    ]);
  });

  describe('.env.example', () => {
    const example = parse(readFileSync(new URL('../../.env.example', import.meta.url), 'utf8'));

    it('documents every setting, and nothing else', () => {
      expect(Object.keys(example).sort()).toEqual([...SETTING_NAMES].sort());
    });

    it('starts the bot as shipped, with only the two required values filled in', () => {
      expect(Object.values(example).filter((value) => value !== '')).toEqual([]);
      expect(() => loadConfig({ ...example, ...required })).not.toThrow();
    });
  });

  // The README's table is what users read: it must name every setting, and a default it quotes must
  // be the real one (setting it explicitly changes nothing).
  describe('the README configuration table', () => {
    const rows = configurationTable(readFileSync(new URL('../../README.md', import.meta.url), 'utf8'));

    it('lists every setting, and nothing else', () => {
      expect(rows.map((row) => row.name).sort()).toEqual([...SETTING_NAMES].sort());
    });

    it('quotes the defaults the configuration really has', () => {
      const quoted = rows.filter((row) => row.literalDefault !== undefined && row.name !== 'DISCORD_CLIENT_ID');
      expect(quoted.length).toBeGreaterThan(20);
      const defaults = loadConfig(required);
      for (const { name, literalDefault } of quoted) {
        expect({ name, config: loadConfig({ ...required, [name]: literalDefault }) }).toEqual({
          name,
          config: defaults,
        });
      }
    });
  });
});

describe('loadChatConfig', () => {
  it('needs only ANTHROPIC_API_KEY, and reads the Claude and conversation settings the bot reads', () => {
    expect(loadChatConfig({ ANTHROPIC_API_KEY: 'key' })).toEqual({
      anthropic: {
        apiKey: 'key',
        baseURL: undefined,
        model: DEFAULT_MODEL,
        maxRetries: 2,
        timeoutMs: 60_000,
        thinking: { enabled: false, budgetTokens: 4096 },
        webSearch: null,
        webFetch: null,
      },
      answers: {
        maxTokens: 1024,
        systemPrompt: loadConfig({ ...required }).answers.systemPrompt,
        idleTimeoutMs: 30_000,
        history: { maxTurns: 20, maxTokens: 8000 },
      },
      logLevel: 'error',
    });
    const config = loadChatConfig({
      ANTHROPIC_API_KEY: 'key',
      ANTHROPIC_MODEL: 'claude-test',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:9/',
      SYSTEM_PROMPT: 'Answer in French.',
      MAX_TOKENS: '300',
      HISTORY_MAX_TURNS: '0',
      LOG_LEVEL: 'debug',
      DISCORD_TOKEN: '',
      THINKING: 'on',
      WEB_SEARCH: 'on',
    });
    expect(config.anthropic).toMatchObject({
      model: 'claude-test',
      baseURL: 'http://127.0.0.1:9/',
      thinking: { enabled: true, budgetTokens: 4096 },
      webSearch: { maxUses: 5 },
      webFetch: null,
    });
    expect(config.answers).toMatchObject({ systemPrompt: 'Answer in French.', maxTokens: 300 });
    expect(config.answers.history.maxTurns).toBe(0);
    expect(config.logLevel).toBe('debug');
  });

  it('reports every problem at once, and none about Discord', () => {
    let problems: readonly string[] = [];
    try {
      loadChatConfig({ MAX_TOKENS: 'lots', HISTORY_MAX_TOKENS: '0', LOG_LEVEL: 'loud', SHARD_COUNT: '2' });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems = error.problems;
    }
    expect(problems).toEqual([
      'ANTHROPIC_API_KEY is required',
      'MAX_TOKENS must be a number',
      'HISTORY_MAX_TOKENS must be at least 1',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    ]);
  });
});

interface TableRow {
  readonly name: string;
  /** The default when the table quotes it as one literal value, e.g. `1024`. */
  readonly literalDefault: string | undefined;
}

// The rows of the table under "## Configuration": | `NAME` | default | meaning |.
function configurationTable(readme: string): TableRow[] {
  const section = readme.slice(readme.indexOf('\n## Configuration\n'));
  const body = section.slice(0, section.indexOf('\n## ', 1));
  return [...body.matchAll(/^\| `([A-Z0-9_]+)` +\| ([^|]*?) +\|/gm)].map(([, name = '', cell = '']) => ({
    name,
    literalDefault: /^`[^`]+`$/.test(cell) ? cell.slice(1, -1) : undefined,
  }));
}
