import { describe, expect, it } from 'vitest';
import { createMask } from '../../../src/logging/mask-secrets.js';

const mask = createMask(['the-bot-token-value', 'the-api-key-value', 'short']);

describe('createMask', () => {
  it('masks the secrets it was given, wherever they appear', () => {
    expect(mask('token=the-bot-token-value; key "the-api-key-value"')).toBe('token=[redacted]; key "[redacted]"');
  });

  it('ignores "secrets" too short to be real, so ordinary words survive', () => {
    expect(mask('a short line')).toBe('a short line');
  });

  it('masks interaction tokens in webhook and callback URLs, and in reply locators', () => {
    const token = 'aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OTpzZWNyZXQ';
    expect(mask(`PATCH https://discord.com/api/v10/webhooks/123456789012345678/${token}/messages/@original`)).toBe(
      'PATCH https://discord.com/api/v10/webhooks/123456789012345678/[redacted]/messages/@original',
    );
    expect(mask(`/api/v10/webhooks/123456789012345678/${token}?wait=true`)).toBe(
      '/api/v10/webhooks/123456789012345678/[redacted]?wait=true',
    );
    expect(mask(`/api/v10/interactions/123456789012345678/${token}/callback`)).toBe(
      '/api/v10/interactions/123456789012345678/[redacted]/callback',
    );
    expect(mask(`webhook/123456789012345678/${token}/@original`)).toBe(
      'webhook/123456789012345678/[redacted]/@original',
    );
  });

  it('leaves channel and message ids alone', () => {
    const url = '/api/v10/channels/123456789012345678/messages/223456789012345678';
    expect(mask(url)).toBe(url);
  });

  it('masks authorization headers and tokens by their shape', () => {
    expect(mask('Authorization: Bot abc.def.ghijklmnop')).toBe('Authorization: Bot [redacted]');
    expect(mask('authorization: Bearer sk-something-long')).toBe('authorization: Bearer [redacted]');
    const discordToken = `MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.${'x'.repeat(38)}`;
    expect(mask(`login with ${discordToken} failed`)).toBe('login with [redacted] failed');
    expect(mask('key sk-ant-api03-abcdefghijkl was refused')).toBe('key [redacted] was refused');
  });
});
