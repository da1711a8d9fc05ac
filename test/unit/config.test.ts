import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_MODEL, loadConfig } from '../../src/config.js';

const required = { DISCORD_TOKEN: 'discord-token', ANTHROPIC_API_KEY: 'anthropic-key' };

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
      'DISCORD_TOKEN is required',
      'ANTHROPIC_API_KEY is required',
      'MAX_TOKENS must be a number',
      'IDLE_TIMEOUT_MS must be at least 1',
      'DISCORD_API_URL must be a URL such as https://example.com',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    ]);
  });

  it('treats empty and blank values as missing', () => {
    expect(problemsOf({ DISCORD_TOKEN: '', ANTHROPIC_API_KEY: '   ' })).toEqual([
      'DISCORD_TOKEN is required',
      'ANTHROPIC_API_KEY is required',
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
    });
    expect(config.discord).toEqual({ token: 'discord-token', clientId: undefined, apiUrl: 'https://discord.com/api' });
    expect(config.answers.maxTokens).toBe(1024);
    expect(config.answers.systemPrompt.length).toBeGreaterThan(0);
    expect(config.answers.history).toEqual({ maxTurns: 20, maxTokens: 8000 });
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
      DISCORD_CLIENT_ID: '123456789012345678',
      DISCORD_API_URL: 'http://127.0.0.1:8888/api',
    });
    expect(config.anthropic.model).toBe('claude-haiku-4-5');
    expect(config.anthropic.baseURL).toBe('http://127.0.0.1:9999');
    expect(config.answers).toMatchObject({
      maxTokens: 200,
      idleTimeoutMs: 1500,
      history: { maxTurns: 0, maxTokens: 500 },
    });
    expect(config.discord).toMatchObject({ clientId: '123456789012345678', apiUrl: 'http://127.0.0.1:8888/api' });
  });

  it('never puts a secret in its error message', () => {
    const problems = problemsOf({ DISCORD_TOKEN: 'secret-token', ANTHROPIC_API_KEY: 'secret-key', MAX_TOKENS: 'x' });
    expect(problems.join('\n')).not.toMatch(/secret/);
  });

  it('checks settings that depend on each other', () => {
    expect(problemsOf({ ...required, SHARD_IDS: '0,1' })).toEqual([
      'SHARD_IDS needs SHARD_COUNT: every host must agree on the total',
    ]);
    expect(problemsOf({ ...required, SHARD_IDS: '1,4', SHARD_COUNT: '4' })).toEqual([
      'SHARD_IDS 4 must be below SHARD_COUNT',
    ]);
    const config = loadConfig({
      ...required,
      SHARD_IDS: '2, 3',
      SHARD_COUNT: '4',
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
    expect(config.shardIds).toEqual([2, 3]);
    expect(config.storage.redisUrl).toBe('redis://127.0.0.1:6379');
  });
});
