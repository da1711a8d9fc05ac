import Anthropic from '@anthropic-ai/sdk';
import { DiscordAPIError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { ModelError } from '../../../src/core/ports/model.js';
import { ExpiredError } from '../../../src/core/reply/platform-errors.js';
import { createMask } from '../../../src/logging/mask-secrets.js';
import { createErrorSerializer } from '../../../src/logging/serialize-error.js';

const serialize = createErrorSerializer(createMask(['the-api-key-value']));
const TOKEN = 'aW50ZXJhY3Rpb246c2VjcmV0LXRva2Vu';
const URL = `https://discord.com/api/v10/webhooks/123456789012345678/${TOKEN}/messages/@original`;

function discordError(): DiscordAPIError {
  return new DiscordAPIError({ code: 50027, message: 'Invalid Webhook Token' }, 50027, 401, 'PATCH', URL, {
    files: undefined,
    body: { content: 'what the user asked' },
  });
}

describe('createErrorSerializer', () => {
  it('keeps a short list of fields of a Discord error: no body, the token masked in the URL', () => {
    const serialized = serialize(discordError());
    expect(serialized).toEqual({
      name: 'DiscordAPIError[50027]',
      message: 'Invalid Webhook Token',
      code: 50027,
      status: 401,
      method: 'PATCH',
      url: 'https://discord.com/api/v10/webhooks/123456789012345678/[redacted]/messages/@original',
    });
    expect(JSON.stringify(serialized)).not.toContain('what the user asked');
  });

  it('takes the fields of a wrapped platform error from its cause, and names the cause once', () => {
    const error = new ExpiredError('Invalid Webhook Token', { cause: discordError() });
    expect(serialize(error)).toEqual({
      name: 'ExpiredError',
      message: 'Invalid Webhook Token',
      kind: 'expired',
      code: 50027,
      status: 401,
      method: 'PATCH',
      url: 'https://discord.com/api/v10/webhooks/123456789012345678/[redacted]/messages/@original',
      causes: ['DiscordAPIError[50027]'],
    });
  });

  it('prints a repeated cause chain once: the message, then each cause, text only where new', () => {
    const socket = Object.assign(new Error('other side closed'), { name: 'SocketError', code: 'UND_ERR_SOCKET' });
    const fetchError = new TypeError('terminated', { cause: socket });
    const sdkError = new Anthropic.AnthropicError('terminated', { cause: fetchError });
    const error = new ModelError('stream_cut', 'terminated', { cause: sdkError });
    expect(serialize(error)).toEqual({
      name: 'ModelError',
      message: 'terminated',
      failure: 'stream_cut',
      code: 'UND_ERR_SOCKET',
      causes: ['AnthropicError', 'TypeError', 'SocketError: other side closed'],
    });
  });

  it('keeps the type and request id of an Anthropic error, not its headers', () => {
    const headers = new Headers({ 'request-id': 'req_42', 'set-cookie': 'session=abc' });
    const error = Anthropic.APIError.generate(
      529,
      { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      undefined,
      headers,
    );
    const serialized = serialize(error);
    expect(serialized).toMatchObject({ status: 529, type: 'overloaded_error', requestId: 'req_42' });
    expect(JSON.stringify(serialized)).not.toContain('session=abc');
  });

  it('keeps the stack of an error nobody classified: a bug needs it', () => {
    const serialized = serialize(new TypeError('x is not a function'));
    expect(serialized.stack).toMatch(/^TypeError: x is not a function\n\s+at /);
    expect(serialize(discordError()).stack).toBeUndefined();
  });

  it('masks secrets in messages and causes', () => {
    const error = new Error('bad key the-api-key-value', { cause: new Error(`at ${URL}`) });
    const text = JSON.stringify(serialize(error));
    expect(text).not.toContain('the-api-key-value');
    expect(text).not.toContain(TOKEN);
  });

  it('stops at a cyclic or very long cause chain', () => {
    const first = new Error('first');
    const second = new Error('second', { cause: first });
    first.cause = second;
    expect(serialize(first).causes).toEqual(['Error: second']);
    let deep = new Error('level 0');
    for (let level = 1; level < 20; level += 1) deep = new Error(`level ${level}`, { cause: deep });
    expect(serialize(deep).causes).toHaveLength(5);
  });

  it('describes a thrown non-error without dumping it', () => {
    expect(serialize('plain text')).toEqual({ name: 'string', message: 'plain text' });
    expect(serialize({ token: 'x' })).toEqual({ name: 'object', message: '[object Object]' });
  });
});
