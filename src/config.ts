import { z } from 'zod';

// The environment is read here and only here, once, and every problem is reported at once.

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

const schema = z.object({
  DISCORD_TOKEN: text('DISCORD_TOKEN'),
  ANTHROPIC_API_KEY: text('ANTHROPIC_API_KEY'),
  ANTHROPIC_MODEL: optionalText().default(DEFAULT_MODEL),
  ANTHROPIC_BASE_URL: url('ANTHROPIC_BASE_URL').optional(),
  ANTHROPIC_MAX_RETRIES: count('ANTHROPIC_MAX_RETRIES', 2, 0),
  ANTHROPIC_TIMEOUT_MS: count('ANTHROPIC_TIMEOUT_MS', 60_000),
  MAX_TOKENS: count('MAX_TOKENS', 1024),
  SYSTEM_PROMPT: optionalText().default(DEFAULT_SYSTEM_PROMPT),
  HISTORY_MAX_TURNS: count('HISTORY_MAX_TURNS', 20, 0),
  HISTORY_MAX_TOKENS: count('HISTORY_MAX_TOKENS', 8000),
  IDLE_TIMEOUT_MS: count('IDLE_TIMEOUT_MS', 30_000),
  DISCORD_CLIENT_ID: optionalText(),
  DISCORD_API_URL: url('DISCORD_API_URL').default('https://discord.com/api'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
});

export interface Config {
  readonly discord: { readonly token: string; readonly clientId: string | undefined; readonly apiUrl: string };
  readonly anthropic: {
    readonly apiKey: string;
    readonly baseURL: string | undefined;
    readonly model: string;
    readonly maxRetries: number;
    readonly timeoutMs: number;
  };
  readonly answers: {
    readonly maxTokens: number;
    readonly systemPrompt: string;
    readonly idleTimeoutMs: number;
    readonly history: { readonly maxTurns: number; readonly maxTokens: number };
  };
  readonly logLevel: z.infer<typeof schema>['LOG_LEVEL'];
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: readonly string[]) {
    super(`Configuration problems:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

/** Reads the configuration from `env`; throws ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  // Empty values (KEY= in .env) mean "not set", so defaults apply to them too.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => issue.message));
  }
  const values = parsed.data;
  return {
    discord: { token: values.DISCORD_TOKEN, clientId: values.DISCORD_CLIENT_ID, apiUrl: values.DISCORD_API_URL },
    anthropic: {
      apiKey: values.ANTHROPIC_API_KEY,
      baseURL: values.ANTHROPIC_BASE_URL,
      model: values.ANTHROPIC_MODEL,
      maxRetries: values.ANTHROPIC_MAX_RETRIES,
      timeoutMs: values.ANTHROPIC_TIMEOUT_MS,
    },
    answers: {
      maxTokens: values.MAX_TOKENS,
      systemPrompt: values.SYSTEM_PROMPT,
      idleTimeoutMs: values.IDLE_TIMEOUT_MS,
      history: { maxTurns: values.HISTORY_MAX_TURNS, maxTokens: values.HISTORY_MAX_TOKENS },
    },
    logLevel: values.LOG_LEVEL,
  };
}
