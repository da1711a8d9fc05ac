import { DiscordAPIError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import type { LoggerOptions } from '../../src/logger.js';

function capturedLogger(secrets: readonly string[] = []) {
  const lines: string[] = [];
  const logger = createLogger('debug', { secrets, destination: { write: (line) => void lines.push(line) } });
  return { logger, lines };
}

describe('createLogger', () => {
  it('writes one JSON line per call to the destination', () => {
    const { logger, lines } = capturedLogger();
    logger.info({ channelId: '1' }, 'hello');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ level: 30, channelId: '1', msg: 'hello' });
  });

  it('masks known secrets anywhere in a line, the message included', () => {
    const { logger, lines } = capturedLogger(['bot-token-secret', 'api-key-secret']);
    logger.warn({ note: 'uses api-key-secret' }, 'logged in with bot-token-secret');
    expect(lines.join('')).not.toMatch(/bot-token-secret|api-key-secret/);
  });

  it('still redacts configuration keys by path', () => {
    const { logger, lines } = capturedLogger();
    logger.info({ discord: { token: 'abc' }, anthropic: { apiKey: 'def' } }, 'config');
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      discord: { token: '[redacted]' },
      anthropic: { apiKey: '[redacted]' },
    });
  });

  it('serializes errors under err, error and reason through the allowlist', () => {
    const { logger, lines } = capturedLogger();
    const url = 'https://discord.com/api/v10/interactions/123456789012345678/aW50ZXJhY3Rpb24tdG9rZW4/callback';
    const error = new DiscordAPIError({ code: 10062, message: 'Unknown interaction' }, 10062, 404, 'POST', url, {
      files: undefined,
      body: { type: 5 },
    });
    for (const key of ['err', 'error', 'reason']) logger.error({ [key]: error }, 'failed');
    for (const line of lines) {
      expect(line).not.toContain('aW50ZXJhY3Rpb24tdG9rZW4');
      expect(line).not.toContain('requestBody');
      expect(line).toContain('/interactions/123456789012345678/[redacted]/callback');
    }
  });
});

describe('createLogger: reason', () => {
  it('keeps a string reason (why a question was refused) as it is, and serializes an error under it', () => {
    const { logger, lines } = capturedLogger();
    logger.info({ reason: 'queue-full' }, 'question refused');
    logger.error({ reason: new TypeError('boom') }, 'unhandled rejection');
    const [refused, rejected] = lines.map((line) => JSON.parse(line) as { reason: unknown });
    expect(refused?.reason).toBe('queue-full');
    expect(rejected?.reason).toMatchObject({ name: 'TypeError', message: 'boom' });
  });
});

describe('createLogger with LOG_FORMAT=pretty', () => {
  function prettyLogger(options: Omit<LoggerOptions, 'destination' | 'format'> = {}) {
    const lines: string[] = [];
    const notices: string[] = [];
    const logger = createLogger('debug', {
      format: 'pretty',
      destination: { write: (line) => void lines.push(line) },
      notice: (message) => void notices.push(message),
      ...options,
    });
    return { logger, lines, notices };
  }

  it('writes pino-pretty’s readable line instead of JSON', () => {
    const { logger, lines, notices } = prettyLogger();
    logger.info({ channelId: '42' }, 'answer finished');
    expect(lines).toHaveLength(1);
    expect(() => JSON.parse(lines[0] ?? '') as unknown).toThrow();
    expect(lines[0]).toMatch(/INFO.*answer finished.*"channelId":\s*"42"/);
    expect(notices).toEqual([]);
  });

  it('still masks secrets, and the shapes of tokens it was not told', () => {
    const { logger, lines } = prettyLogger({ secrets: ['bot-token-secret'] });
    const url = 'https://discord.com/api/v10/interactions/123456789012345678/aW50ZXJhY3Rpb24tdG9rZW4/callback';
    logger.warn({ note: 'uses bot-token-secret', url }, 'logged in with bot-token-secret');
    expect(lines.join('')).not.toMatch(/bot-token-secret|aW50ZXJhY3Rpb24tdG9rZW4/);
    expect(lines.join('')).toContain('/interactions/123456789012345678/[redacted]/callback');
  });

  it('is handed the JSON line already masked', () => {
    const seen: string[] = [];
    const { logger } = prettyLogger({
      secrets: ['api-key-secret'],
      loadPretty: () => (line) => {
        seen.push(line);
        return line;
      },
    });
    logger.info({ key: 'api-key-secret' }, 'config');
    expect(seen).toHaveLength(1);
    expect(seen[0]).not.toContain('api-key-secret');
  });

  it('logs JSON and says so once when pino-pretty is not installed (a production install)', () => {
    const missing = Object.assign(new Error("Cannot find module 'pino-pretty'"), { code: 'MODULE_NOT_FOUND' });
    const { logger, lines, notices } = prettyLogger({
      loadPretty: () => {
        throw missing;
      },
    });
    logger.info({ channelId: '1' }, 'one');
    logger.info({ channelId: '2' }, 'two');
    expect(lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(['one', 'two']);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/LOG_FORMAT=pretty needs pino-pretty.*MODULE_NOT_FOUND.*JSON/);
  });
});
