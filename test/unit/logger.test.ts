import { DiscordAPIError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';

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
