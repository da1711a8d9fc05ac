import { z } from 'zod';
import type { AccessLists } from './core/access/access-policy.js';
import type { BudgetLimits } from './core/budget/budget-limits.js';
import type { Access } from './core/commands/command.js';

// The environment is read here and only here, once, and every problem is reported at once.
//
// Our names must not collide with names a dependency reads from the environment itself (checked
// by grepping node_modules for process.env, workerData and the SDK's readEnv):
// - discord.js reads SHARD_COUNT and SHARDS in every Client (ShardingManager sets them for its
//   shards); an empty `SHARD_COUNT=` from a .env becomes 0 and the client refuses to start. Ours
//   are STREAMCORD_SHARD_COUNT and STREAMCORD_SHARD_IDS, and the two discord.js names are refused
//   outside a shard (see discordJsNames). discord.js also reads DISCORD_TOKEN: same meaning as ours.
//   It sets SHARDING_MANAGER and SHARDING_MANAGER_MODE for its shards; we only read the first.
// - The Anthropic SDK reads ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL with our meaning (we pass the
//   key, and the URL when set; an empty ANTHROPIC_BASE_URL is unset for the SDK too), and
//   ANTHROPIC_AUTH_TOKEN, ANTHROPIC_LOG, ANTHROPIC_WEBHOOK_SIGNING_KEY and ANTHROPIC_* credential-
//   profile names, which we do not use. ANTHROPIC_MODEL, _MAX_RETRIES and _TIMEOUT_MS are ours alone.
// - dotenv reads DOTENV_*; pino and thread-stream only debugging names (NODE_OPTIONS, CI, DEBUG);
//   undici HTTP(S)_PROXY and NO_PROXY; ws WS_NO_*; @discordjs/*, ioredis, better-sqlite3 and
//   prom-client nothing. None of them is one of ours (METRICS_PORT and METRICS_HOST included).
// - @slack/bolt, web-api, socket-mode, oauth and logger read no environment name (their examples
//   pass process.env.SLACK_* explicitly): SLACK_SIGNING_SECRET and SLACK_PORT are ours alone.

export const DEFAULT_MODEL = 'claude-sonnet-5-5';
export const DEFAULT_SYSTEM_PROMPT =
  'You are Claude, answering in a Discord chat. Be concise and use Discord markdown. Several people may talk in one channel.';

const text = (name: string) =>
  z
    .string({ error: `${name} is required` })
    .trim()
    .min(1, { error: `${name} is required` });
const optionalText = () =>
  z
    .string()
    .trim()
    .transform((value) => (value === '' ? undefined : value))
    .optional();
const count = (name: string, fallback: number, minimum = 1) =>
  z.coerce
    .number({ error: `${name} must be a number` })
    .int({ error: `${name} must be a whole number` })
    .min(minimum, { error: `${name} must be at least ${minimum}` })
    .default(fallback);
const url = (name: string) => z.url({ error: `${name} must be a URL such as https://example.com` });
const SNOWFLAKE = /^\d{17,20}$/;
const snowflake = (name: string) =>
  z
    .string()
    .trim()
    .regex(SNOWFLAKE, { error: `${name} must be a Discord id (17–20 digits)` });
// A comma-separated list whose items must each match `item`.
const commaList = (item: RegExp, error: string) =>
  z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== ''),
    )
    .refine((entries) => entries.every((entry) => item.test(entry)), { error });
const idList = (name: string, kind: string) =>
  commaList(SNOWFLAKE, `${name} must be Discord ${kind} ids separated by commas`).default([]);
// Slack's ids, by their first letter: one list serves both platforms, as the shapes never collide.
const SLACK_USER = /^[UW][A-Z0-9]{6,20}$/;
const SLACK_CHANNEL = /^[CGD][A-Z0-9]{6,20}$/;
const SLACK_WORKSPACE = /^[TE][A-Z0-9]{6,20}$/;
const eitherId = (slack: RegExp) => new RegExp(`${SNOWFLAKE.source}|${slack.source}`);
const platformIdList = (name: string, discordKind: string, slack: RegExp, slackKind: string) =>
  commaList(
    eitherId(slack),
    `${name} must be Discord ${discordKind} ids or Slack ${slackKind} ids separated by commas`,
  ).default([]);
const userIdList = (name: string) => platformIdList(name, 'user', SLACK_USER, 'user (U…, W…)');
// A limit that is off unless set.
const optionalCount = (name: string, minimum = 1) =>
  z.coerce
    .number({ error: `${name} must be a number` })
    .int({ error: `${name} must be a whole number` })
    .min(minimum, { error: `${name} must be at least ${minimum}` })
    .optional();
const flag = (name: string, fallback: boolean) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { error: `${name} must be true or false` }))
    .transform((value) => ['true', '1', 'yes', 'on'].includes(value))
    .default(fallback);
// A feature switch: on or off.
const onOff = (name: string) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(['on', 'off'], { error: `${name} must be on or off` }))
    .transform((value) => value === 'on')
    .default(false);
// A Slack token is recognised by its prefix; a swapped pair is the common mistake.
const slackToken = (name: string, prefix: string, kind: string) =>
  z
    .string()
    .trim()
    .refine((value) => value.startsWith(prefix), { error: `${name} must be ${kind} (${prefix}…)` })
    .optional();
const access = (name: string) =>
  z.enum(['everyone', 'moderators', 'admins'], { error: `${name} must be everyone, moderators or admins` });

// Discord lets an interaction's token edit its messages for 15 minutes.
const INTERACTION_TOKEN_LIFETIME_MS = 15 * 60_000;

const schema = z.object({
  // Discord, Slack or both: each platform runs when its tokens are set (see PLATFORM_SETTINGS).
  DISCORD_TOKEN: optionalText(),
  // Slack in Socket Mode: the bot token for the Web API, the app-level token (connections:write) for
  // the websocket. SLACK_API_URL is the Web API's base (Bolt's slackApiUrl): a proxy or a test server.
  SLACK_BOT_TOKEN: slackToken('SLACK_BOT_TOKEN', 'xoxb-', 'a bot token'),
  SLACK_APP_TOKEN: slackToken('SLACK_APP_TOKEN', 'xapp-', 'an app-level token'),
  SLACK_API_URL: url('SLACK_API_URL')
    .default('https://slack.com/api/')
    // The Web API client appends method names to it.
    .transform((value) => (value.endsWith('/') ? value : `${value}/`)),
  // Slack over HTTP instead of Socket Mode: the app's signing secret verifies each request, which
  // arrives on SLACK_PORT at /slack/events (Bolt reads neither name itself).
  SLACK_SIGNING_SECRET: optionalText(),
  SLACK_PORT: z.coerce
    .number({ error: 'SLACK_PORT must be a number' })
    .int({ error: 'SLACK_PORT must be a whole number' })
    .min(0, { error: 'SLACK_PORT must be a port number, 0 to 65535' })
    .max(65535, { error: 'SLACK_PORT must be a port number, 0 to 65535' })
    .default(3000),
  ANTHROPIC_API_KEY: text('ANTHROPIC_API_KEY'),
  ANTHROPIC_MODEL: optionalText().default(DEFAULT_MODEL),
  ANTHROPIC_BASE_URL: url('ANTHROPIC_BASE_URL').optional(),
  ANTHROPIC_MAX_RETRIES: count('ANTHROPIC_MAX_RETRIES', 2, 0),
  ANTHROPIC_TIMEOUT_MS: count('ANTHROPIC_TIMEOUT_MS', 60_000),
  // Claude's thinking and server tools (see src/llm/anthropic-params.ts). The API's least budget is 1024.
  THINKING: onOff('THINKING'),
  THINKING_BUDGET_TOKENS: count('THINKING_BUDGET_TOKENS', 4096, 1024),
  WEB_SEARCH: onOff('WEB_SEARCH'),
  WEB_SEARCH_MAX_USES: count('WEB_SEARCH_MAX_USES', 5),
  WEB_FETCH: onOff('WEB_FETCH'),
  WEB_FETCH_MAX_USES: count('WEB_FETCH_MAX_USES', 5),
  MAX_TOKENS: count('MAX_TOKENS', 1024),
  SYSTEM_PROMPT: optionalText().default(DEFAULT_SYSTEM_PROMPT),
  HISTORY_MAX_TURNS: count('HISTORY_MAX_TURNS', 20, 0),
  HISTORY_MAX_TOKENS: count('HISTORY_MAX_TOKENS', 8000),
  IDLE_TIMEOUT_MS: count('IDLE_TIMEOUT_MS', 30_000),
  BUTTONS_TTL_SECONDS: count('BUTTONS_TTL_SECONDS', 24 * 3600),
  DISCORD_API_URL: url('DISCORD_API_URL').default('https://discord.com/api'),
  // Discord's global limit per bot; larger bots get more from Discord on request.
  DISCORD_GLOBAL_REQUESTS_PER_SECOND: count('DISCORD_GLOBAL_REQUESTS_PER_SECOND', 50),
  SYNC_COMMANDS: flag('SYNC_COMMANDS', true),
  DISCORD_GUILD_ID: snowflake('DISCORD_GUILD_ID').optional(),
  // auto: a mention in a text channel opens a thread on the question and is answered there.
  THREADS: z.enum(['off', 'auto'], { error: 'THREADS must be off or auto' }).default('off'),
  // Privileged: the Developer Portal must allow it too, or Discord refuses the connection.
  MESSAGE_CONTENT_INTENT: flag('MESSAGE_CONTENT_INTENT', false),
  ADMIN_USER_IDS: userIdList('ADMIN_USER_IDS'),
  // Who may ask (empty: no restriction). Blocked wins; admins pass every list.
  ALLOWED_GUILD_IDS: platformIdList('ALLOWED_GUILD_IDS', 'guild', SLACK_WORKSPACE, 'workspace (T…, E…)'),
  ALLOWED_CHANNEL_IDS: platformIdList(
    'ALLOWED_CHANNEL_IDS',
    'channel or category',
    SLACK_CHANNEL,
    'channel (C…, G…, D…)',
  ),
  ALLOWED_ROLE_IDS: idList('ALLOWED_ROLE_IDS', 'role'),
  ALLOWED_USER_IDS: userIdList('ALLOWED_USER_IDS'),
  BLOCKED_USER_IDS: userIdList('BLOCKED_USER_IDS'),
  ALLOW_DMS: flag('ALLOW_DMS', true),
  RESET_ACCESS: access('RESET_ACCESS').default('moderators'),
  INTERACTION_HANDOFF_MS: count('INTERACTION_HANDOFF_MS', 13 * 60_000, 0).refine(
    (ms) => ms < INTERACTION_TOKEN_LIFETIME_MS,
    { error: 'INTERACTION_HANDOFF_MS must be under 900000 (15 minutes, when Discord expires the interaction)' },
  ),
  DATA_DIR: optionalText().default('./data'),
  REDIS_URL: z
    .string()
    .trim()
    .regex(/^rediss?:\/\//, { error: 'REDIS_URL must start with redis:// or rediss://' })
    .optional(),
  // Every key the bot writes starts with this, so that several bots (or test runs) share one Redis.
  REDIS_KEY_PREFIX: z
    .string()
    .trim()
    .regex(/^[\w.:-]{1,64}$/, { error: 'REDIS_KEY_PREFIX must be up to 64 letters, digits, ".", ":", "_" or "-"' })
    .default('streamcord:'),
  CONVERSATION_TTL_SECONDS: count('CONVERSATION_TTL_SECONDS', 30 * 24 * 3600),
  CHANNEL_LEASE_MS: count('CHANNEL_LEASE_MS', 30_000, 100),
  // Below Docker's default stop timeout (10 s), so the end notices go out before `docker stop` kills us.
  SHUTDOWN_GRACE_MS: count('SHUTDOWN_GRACE_MS', 7_000, 0),
  STREAMCORD_SHARD_IDS: commaList(/^\d+$/, 'STREAMCORD_SHARD_IDS must be shard numbers separated by commas, e.g. 0,1')
    .transform((ids) => ids.map(Number))
    .optional(),
  STREAMCORD_SHARD_COUNT: z.coerce
    .number({ error: 'STREAMCORD_SHARD_COUNT must be a number' })
    .int({ error: 'STREAMCORD_SHARD_COUNT must be a whole number' })
    .min(1, { error: 'STREAMCORD_SHARD_COUNT must be at least 1' })
    .optional(),
  USAGE_FOOTER: flag('USAGE_FOOTER', false),
  MAX_QUEUED_PER_CHANNEL: count('MAX_QUEUED_PER_CHANNEL', 5, 0),
  MAX_QUEUED_PER_USER: optionalCount('MAX_QUEUED_PER_USER', 0),
  // Budgets (unset: unlimited); tokens are counted per UTC day, see src/core/budget/budget-tokens.ts.
  USER_REQUESTS_PER_MINUTE: optionalCount('USER_REQUESTS_PER_MINUTE'),
  USER_DAILY_TOKENS: optionalCount('USER_DAILY_TOKENS'),
  CHANNEL_DAILY_TOKENS: optionalCount('CHANNEL_DAILY_TOKENS'),
  GUILD_DAILY_TOKENS: optionalCount('GUILD_DAILY_TOKENS'),
  // The models /config may pick; ANTHROPIC_MODEL is always one of them.
  // Attachments read with a question (0: none) and the largest file downloaded. Anthropic refuses an
  // image over 5 MB, measured on its base64 text: 3.75 MiB of file is the largest that always fits. Five
  // such files are about 25 MiB as base64, inside Anthropic's 32 MB request with room for the
  // conversation (the API takes up to 100 images, but the request size binds long before that).
  MAX_ATTACHMENTS: count('MAX_ATTACHMENTS', 5, 0),
  MAX_ATTACHMENT_BYTES: count('MAX_ATTACHMENT_BYTES', 3_932_160),
  ALLOWED_MODELS: commaList(/^[\w.:@/-]+$/, 'ALLOWED_MODELS must be model names separated by commas').default([]),
  // The health and metrics server: off unless a port is set; 0 takes any free port (tests).
  METRICS_PORT: z.coerce
    .number({ error: 'METRICS_PORT must be a number' })
    .int({ error: 'METRICS_PORT must be a whole number' })
    .min(0, { error: 'METRICS_PORT must be a port number, 0 to 65535' })
    .max(65535, { error: 'METRICS_PORT must be a port number, 0 to 65535' })
    .optional(),
  METRICS_HOST: optionalText().default('127.0.0.1'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  // pretty needs pino-pretty, a dev dependency: without it the logger says so and writes JSON.
  LOG_FORMAT: z.enum(['json', 'pretty'], { error: 'LOG_FORMAT must be json or pretty' }).default('json'),
});

// Rules between settings, reported with the rest. zod skips a refinement once any value failed, so
// each rule says which settings it needs: it runs whenever those parsed, whatever else is wrong.
const SHARD_SETTINGS: readonly PropertyKey[] = ['STREAMCORD_SHARD_IDS', 'STREAMCORD_SHARD_COUNT'];
const checkedSchema = schema.superRefine(
  (values, context) => {
    const ids = values.STREAMCORD_SHARD_IDS;
    const total = values.STREAMCORD_SHARD_COUNT;
    if (ids && total === undefined) {
      context.addIssue({
        code: 'custom',
        message: 'STREAMCORD_SHARD_IDS needs STREAMCORD_SHARD_COUNT: every host must agree on the total',
      });
    }
    const outOfRange = ids?.filter((id) => total !== undefined && id >= total);
    if (outOfRange?.length) {
      context.addIssue({
        code: 'custom',
        message: `STREAMCORD_SHARD_IDS ${outOfRange.join(', ')} must be below STREAMCORD_SHARD_COUNT`,
      });
    }
  },
  { when: (payload) => payload.issues.every((issue) => !SHARD_SETTINGS.includes(issue.path?.[0] ?? '')) },
);

// Which platforms run is chosen by the tokens set: at least one platform, and Slack's two tokens together.
const PLATFORM_SETTINGS: readonly PropertyKey[] = [
  'DISCORD_TOKEN',
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_PORT',
  'METRICS_PORT',
];
const platformsChecked = checkedSchema.superRefine(
  (values, context) => {
    for (const message of slackEventsProblems(values)) context.addIssue({ code: 'custom', message });
    // SLACK_SIGNING_SECRET stands in for SLACK_APP_TOKEN (HTTP events instead of Socket Mode).
    const slackReceiver = values.SLACK_APP_TOKEN ?? values.SLACK_SIGNING_SECRET;
    const slackTokens = [values.SLACK_BOT_TOKEN, slackReceiver].filter((token) => token !== undefined);
    if (values.DISCORD_TOKEN === undefined && slackTokens.length === 0) {
      context.addIssue({
        code: 'custom',
        message:
          'No platform is configured: set DISCORD_TOKEN (Discord), or SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Slack), or all three',
      });
    }
    if (slackTokens.length === 1) {
      context.addIssue({
        code: 'custom',
        message:
          'Slack needs SLACK_BOT_TOKEN (xoxb-…) and either SLACK_APP_TOKEN (xapp-…, Socket Mode) or SLACK_SIGNING_SECRET (HTTP events)',
      });
    }
  },
  { when: (payload) => payload.issues.every((issue) => !PLATFORM_SETTINGS.includes(issue.path?.[0] ?? '')) },
);

// Socket Mode or HTTP events, never both: a Slack app delivers its events one way, and guessing
// which one the operator meant would leave the other silently unused.
function slackEventsProblems(values: Values): string[] {
  if (values.SLACK_SIGNING_SECRET === undefined) return [];
  if (values.SLACK_APP_TOKEN !== undefined) {
    return [
      'Set SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP events), not both: Slack delivers events one way',
    ];
  }
  if (values.SLACK_PORT !== 0 && values.SLACK_PORT === values.METRICS_PORT) {
    return [`SLACK_PORT and METRICS_PORT must differ (both are ${values.SLACK_PORT})`];
  }
  return [];
}

// discord.js's own names (see the top of this file), refused where discord.js would misread them:
// everywhere but in a shard that its ShardingManager started (which sets SHARDING_MANAGER).
const DISCORD_JS_NAMES: Readonly<Record<string, string>> = {
  SHARD_COUNT: 'SHARD_COUNT is read by discord.js itself; remove it (our setting is STREAMCORD_SHARD_COUNT)',
  SHARDS: 'SHARDS is read by discord.js itself; remove it (to run some shards here, use STREAMCORD_SHARD_IDS)',
};

function discordJsNames(env: NodeJS.ProcessEnv): string[] {
  if (env['SHARDING_MANAGER'] !== undefined) return [];
  // discord.js checks `name in process.env`, so an empty value counts too.
  return Object.entries(DISCORD_JS_NAMES)
    .filter(([name]) => name in env)
    .map(([, problem]) => problem);
}

export interface Config {
  /** Discord's settings; undefined when DISCORD_TOKEN is not set (Discord does not run). */
  readonly discord: DiscordConfig | undefined;
  /** Slack's settings; undefined unless both Slack tokens are set. */
  readonly slack: SlackConfig | undefined;
  readonly anthropic: {
    readonly apiKey: string;
    readonly baseURL: string | undefined;
    readonly model: string;
    readonly maxRetries: number;
    readonly timeoutMs: number;
    /** THINKING, THINKING_BUDGET_TOKENS: adaptive thinking where the model takes it, else this budget. */
    readonly thinking: { readonly enabled: boolean; readonly budgetTokens: number };
    /** WEB_SEARCH, WEB_SEARCH_MAX_USES; null: off. */
    readonly webSearch: { readonly maxUses: number } | null;
    /** WEB_FETCH, WEB_FETCH_MAX_USES; null: off. */
    readonly webFetch: { readonly maxUses: number } | null;
  };
  readonly answers: {
    readonly maxTokens: number;
    readonly systemPrompt: string;
    readonly idleTimeoutMs: number;
    readonly history: { readonly maxTurns: number; readonly maxTokens: number };
    readonly usageFooter: boolean;
    /** How long an ended answer's Regenerate/Continue keep working; the bot forgets it after. */
    readonly buttonsTtlMs: number;
    /** Most questions waiting per channel, and per person (undefined: no cap), in this process. */
    readonly queueCaps: { readonly perChannel: number; readonly perUser: number | undefined };
    /** The models /config may set (ALLOWED_MODELS and ANTHROPIC_MODEL). */
    readonly allowedModels: ReadonlySet<string>;
  };
  /** Limits on spending; admins are exempt. */
  readonly budgets: BudgetLimits;
  /** Files read with a question: how many, and the largest downloaded, in bytes. */
  readonly attachments: { readonly maxCount: number; readonly maxBytes: number };
  readonly commands: {
    readonly adminIds: ReadonlySet<string>;
    readonly access: { readonly reset: Access };
    readonly handoffAfterMs: number;
  };
  /** Who may ask; empty sets mean no restriction (see src/core/access/access-policy.ts). */
  readonly access: Omit<AccessLists, 'adminIds'>;
  readonly storage: {
    /** SQLite lives here unless Redis is configured. */
    readonly dataDir: string;
    readonly redisUrl: string | undefined;
    /** What every Redis key starts with. */
    readonly redisKeyPrefix: string;
    /** Redis forgets a conversation this long after its last message. */
    readonly conversationTtlSeconds: number;
    /** How long a dead process can keep a channel locked (Redis). */
    readonly channelLeaseMs: number;
  };
  /** How long running answers may go on after SIGTERM before they are ended with a notice. */
  readonly shutdownGraceMs: number;
  /** Shards for `npm run start:sharded` (STREAMCORD_SHARD_COUNT); unset: Discord's recommendation. */
  readonly shardCount: number | undefined;
  /** The shards this host runs (STREAMCORD_SHARD_IDS, shards over several hosts); unset: all of them. */
  readonly shardIds: readonly number[] | undefined;
  readonly logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  /** JSON lines, or pino-pretty's for development. */
  readonly logFormat: z.infer<typeof schema>['LOG_FORMAT'];
  /** /healthz, /readyz and /metrics (METRICS_PORT, METRICS_HOST); undefined: off. */
  readonly metrics: MetricsConfig | undefined;
}

export interface DiscordConfig {
  readonly token: string;
  readonly apiUrl: string;
  /** Make Discord's registered slash commands match the catalogue at start-up. */
  readonly syncCommands: boolean;
  /** Commands live in this guild (instant); unset: globally. */
  readonly guildId: string | undefined;
  /** This process's share of Discord's global limit (DISCORD_GLOBAL_REQUESTS_PER_SECOND is the bot's). */
  readonly globalRequestsPerSecond: number;
  /** THREADS: whether a mention in a text channel is answered in a thread of its own. */
  readonly threads: 'off' | 'auto';
  /** MESSAGE_CONTENT_INTENT: read every message (the bot's threads then need no mention). */
  readonly messageContentIntent: boolean;
}

export interface SlackConfig {
  /** SLACK_BOT_TOKEN (xoxb-…): the Web API. */
  readonly botToken: string;
  /** How Slack delivers events to the app. */
  readonly events: SlackEventsConfig;
  /** SLACK_API_URL: the Web API's base, ending in a slash. */
  readonly apiUrl: string;
}

/**
 * Socket Mode (SLACK_APP_TOKEN, xapp-…: the app opens a websocket, no public URL), or Slack's signed
 * HTTP requests (SLACK_SIGNING_SECRET) to /slack/events on SLACK_PORT (0: any free port).
 */
export type SlackEventsConfig =
  | { readonly kind: 'socket-mode'; readonly appToken: string }
  | { readonly kind: 'http'; readonly signingSecret: string; readonly port: number };

export interface MetricsConfig {
  /** 0: any free port. */
  readonly port: number;
  readonly host: string;
  /**
   * Who listens: this process, or under `npm run start:sharded` the sharding manager, which asks its
   * shards (each a process of its own) for their readiness and metrics.
   */
  readonly listener: 'self' | 'sharding-manager';
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: readonly string[]) {
    super(`Configuration problems:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

/** What no log line may show: every token and key the configuration holds. */
export function configSecrets(config: Config): string[] {
  const { discord, slack, anthropic } = config;
  const events = slack?.events;
  const slackReceiver = events?.kind === 'http' ? events.signingSecret : events?.appToken;
  return [discord?.token, slack?.botToken, slackReceiver, anthropic.apiKey].filter((secret) => secret !== undefined);
}

/** For entry points: the configuration, or every problem on stderr and exit status 1. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${error.message}\nSee .env.example for every setting.`);
    process.exit(1);
  }
}

/** Reads the configuration from `env`; throws ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = platformsChecked.safeParse(withoutEmpty(env));
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => issue.message)),
    ...discordJsNames(env),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const values = parsed.data;
  return {
    discord: discordOf(values, env),
    slack: slackOf(values),
    anthropic: anthropicOf(values),
    answers: {
      ...conversationOf(values),
      usageFooter: values.USAGE_FOOTER,
      buttonsTtlMs: values.BUTTONS_TTL_SECONDS * 1000,
      queueCaps: { perChannel: values.MAX_QUEUED_PER_CHANNEL, perUser: values.MAX_QUEUED_PER_USER },
      allowedModels: new Set([values.ANTHROPIC_MODEL, ...values.ALLOWED_MODELS]),
    },
    budgets: {
      userRequestsPerMinute: values.USER_REQUESTS_PER_MINUTE,
      userDailyTokens: values.USER_DAILY_TOKENS,
      channelDailyTokens: values.CHANNEL_DAILY_TOKENS,
      guildDailyTokens: values.GUILD_DAILY_TOKENS,
    },
    attachments: { maxCount: values.MAX_ATTACHMENTS, maxBytes: values.MAX_ATTACHMENT_BYTES },
    commands: {
      adminIds: new Set(values.ADMIN_USER_IDS),
      access: { reset: values.RESET_ACCESS },
      handoffAfterMs: values.INTERACTION_HANDOFF_MS,
    },
    access: {
      allowedGuildIds: new Set(values.ALLOWED_GUILD_IDS),
      allowedChannelIds: new Set(values.ALLOWED_CHANNEL_IDS),
      allowedRoleIds: new Set(values.ALLOWED_ROLE_IDS),
      allowedUserIds: new Set(values.ALLOWED_USER_IDS),
      blockedUserIds: new Set(values.BLOCKED_USER_IDS),
      allowDms: values.ALLOW_DMS,
    },
    storage: {
      dataDir: values.DATA_DIR,
      redisUrl: values.REDIS_URL,
      redisKeyPrefix: values.REDIS_KEY_PREFIX,
      conversationTtlSeconds: values.CONVERSATION_TTL_SECONDS,
      channelLeaseMs: values.CHANNEL_LEASE_MS,
    },
    shutdownGraceMs: values.SHUTDOWN_GRACE_MS,
    shardCount: values.STREAMCORD_SHARD_COUNT,
    shardIds: values.STREAMCORD_SHARD_IDS,
    logLevel: values.LOG_LEVEL,
    metrics:
      values.METRICS_PORT === undefined
        ? undefined
        : {
            port: values.METRICS_PORT,
            host: values.METRICS_HOST,
            listener: env['SHARDING_MANAGER'] === undefined ? 'self' : 'sharding-manager',
          },
    logFormat: values.LOG_FORMAT,
  };
}

const deploySchema = z.object({
  DISCORD_TOKEN: text('DISCORD_TOKEN'),
  DISCORD_CLIENT_ID: z
    .string({
      error:
        'DISCORD_CLIENT_ID is required to register commands (Developer Portal → General Information → Application ID)',
    })
    .pipe(snowflake('DISCORD_CLIENT_ID')),
  DISCORD_GUILD_ID: schema.shape.DISCORD_GUILD_ID,
  DISCORD_API_URL: schema.shape.DISCORD_API_URL,
});

export interface DeployConfig {
  readonly token: string;
  readonly clientId: string;
  /** Register in this guild only (instant); unset: globally. */
  readonly guildId: string | undefined;
  readonly apiUrl: string;
}

/** Every setting read from the environment, by the bot or by `npm run deploy-commands`. */
export const SETTING_NAMES: readonly string[] = [
  ...new Set([...Object.keys(schema.shape), ...Object.keys(deploySchema.shape)]),
];

/** What `npm run deploy-commands` needs; throws ConfigError listing every problem. */
export function loadDeployConfig(env: NodeJS.ProcessEnv): DeployConfig {
  const parsed = deploySchema.safeParse(withoutEmpty(env));
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => issue.message));
  const values = parsed.data;
  return {
    token: values.DISCORD_TOKEN,
    clientId: values.DISCORD_CLIENT_ID,
    guildId: values.DISCORD_GUILD_ID,
    apiUrl: values.DISCORD_API_URL,
  };
}

// `npm run chat` talks to Claude only: no Discord setting is read, so none is required.
const chatSchema = z.object({
  ANTHROPIC_API_KEY: schema.shape.ANTHROPIC_API_KEY,
  ANTHROPIC_MODEL: schema.shape.ANTHROPIC_MODEL,
  ANTHROPIC_BASE_URL: schema.shape.ANTHROPIC_BASE_URL,
  ANTHROPIC_MAX_RETRIES: schema.shape.ANTHROPIC_MAX_RETRIES,
  ANTHROPIC_TIMEOUT_MS: schema.shape.ANTHROPIC_TIMEOUT_MS,
  THINKING: schema.shape.THINKING,
  THINKING_BUDGET_TOKENS: schema.shape.THINKING_BUDGET_TOKENS,
  WEB_SEARCH: schema.shape.WEB_SEARCH,
  WEB_SEARCH_MAX_USES: schema.shape.WEB_SEARCH_MAX_USES,
  WEB_FETCH: schema.shape.WEB_FETCH,
  WEB_FETCH_MAX_USES: schema.shape.WEB_FETCH_MAX_USES,
  MAX_TOKENS: schema.shape.MAX_TOKENS,
  SYSTEM_PROMPT: schema.shape.SYSTEM_PROMPT,
  HISTORY_MAX_TURNS: schema.shape.HISTORY_MAX_TURNS,
  HISTORY_MAX_TOKENS: schema.shape.HISTORY_MAX_TOKENS,
  IDLE_TIMEOUT_MS: schema.shape.IDLE_TIMEOUT_MS,
  // Log lines would land in the middle of the conversation: the chat logs only errors unless told.
  LOG_LEVEL: schema.shape.LOG_LEVEL.unwrap().default('error'),
});

export interface ChatConfig {
  readonly anthropic: Config['anthropic'];
  readonly answers: Pick<Config['answers'], 'maxTokens' | 'systemPrompt' | 'idleTimeoutMs' | 'history'>;
  readonly logLevel: Config['logLevel'];
}

/** What `npm run chat` needs (no Discord token); throws ConfigError listing every problem. */
export function loadChatConfig(env: NodeJS.ProcessEnv): ChatConfig {
  const parsed = chatSchema.safeParse(withoutEmpty(env));
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => issue.message));
  const values = parsed.data;
  return {
    anthropic: anthropicOf(values),
    answers: conversationOf(values),
    logLevel: values.LOG_LEVEL,
  };
}

// What the bot and the chat read alike: how to reach Claude, and how a conversation is sent.
type ChatValues = z.infer<typeof chatSchema>;

function anthropicOf(values: ChatValues): Config['anthropic'] {
  return {
    apiKey: values.ANTHROPIC_API_KEY,
    baseURL: values.ANTHROPIC_BASE_URL,
    model: values.ANTHROPIC_MODEL,
    maxRetries: values.ANTHROPIC_MAX_RETRIES,
    timeoutMs: values.ANTHROPIC_TIMEOUT_MS,
    thinking: { enabled: values.THINKING, budgetTokens: values.THINKING_BUDGET_TOKENS },
    webSearch: values.WEB_SEARCH ? { maxUses: values.WEB_SEARCH_MAX_USES } : null,
    webFetch: values.WEB_FETCH ? { maxUses: values.WEB_FETCH_MAX_USES } : null,
  };
}

function conversationOf(values: ChatValues): ChatConfig['answers'] {
  return {
    maxTokens: values.MAX_TOKENS,
    systemPrompt: values.SYSTEM_PROMPT,
    idleTimeoutMs: values.IDLE_TIMEOUT_MS,
    history: { maxTurns: values.HISTORY_MAX_TURNS, maxTokens: values.HISTORY_MAX_TOKENS },
  };
}

type Values = z.infer<typeof schema>;

function discordOf(values: Values, env: NodeJS.ProcessEnv): Config['discord'] {
  if (values.DISCORD_TOKEN === undefined) return undefined;
  return {
    token: values.DISCORD_TOKEN,
    apiUrl: values.DISCORD_API_URL,
    syncCommands: values.SYNC_COMMANDS,
    guildId: values.DISCORD_GUILD_ID,
    globalRequestsPerSecond: values.DISCORD_GLOBAL_REQUESTS_PER_SECOND / shardProcesses(env),
    threads: values.THREADS,
    messageContentIntent: values.MESSAGE_CONTENT_INTENT,
  };
}

function slackOf(values: Values): Config['slack'] {
  const { SLACK_BOT_TOKEN: botToken, SLACK_APP_TOKEN: appToken, SLACK_SIGNING_SECRET: signingSecret } = values;
  if (botToken === undefined) return undefined;
  const apiUrl = values.SLACK_API_URL;
  if (appToken !== undefined) return { botToken, events: { kind: 'socket-mode', appToken }, apiUrl };
  if (signingSecret === undefined) return undefined;
  return { botToken, events: { kind: 'http', signingSecret, port: values.SLACK_PORT }, apiUrl };
}

// Discord counts its global limit per bot, whatever runs it. Under `npm run start:sharded` each shard is
// a process of its own, and discord.js's ShardingManager tells each one how many there are in
// SHARD_COUNT: each takes an equal share. Other ways of running several processes set the share.
function shardProcesses(env: NodeJS.ProcessEnv): number {
  const total = Number(env['SHARD_COUNT']);
  return env['SHARDING_MANAGER'] !== undefined && Number.isInteger(total) && total > 1 ? total : 1;
}

// Empty values (KEY= in .env) mean "not set", so defaults apply to them too.
function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''),
  );
}
