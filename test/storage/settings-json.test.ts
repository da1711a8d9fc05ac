import { describe, expect, it } from 'vitest';
import type { ScopeSettings } from '../../src/core/ports/storage.js';
import { settingsFromJson, settingsToJson } from '../../src/storage/settings-json.js';

// The one check of stored settings that SQLite and Redis share.

const read = (json: string | null | undefined) => {
  const problems: Error[] = [];
  const settings = settingsFromJson(json, (error) => problems.push(error));
  return { settings, problems: problems.length };
};

describe('settings JSON', () => {
  it('reads back every field it wrote', () => {
    const settings: ScopeSettings = {
      persona: 'You answer in haiku.',
      model: 'claude-model-b',
      maxTokens: 1024,
      access: { allowedChannelIds: ['1'], allowedRoleIds: [], allowedUserIds: ['2', '3'], blockedUserIds: ['4'] },
    };
    expect(read(settingsToJson(settings))).toEqual({ settings, problems: 0 });
  });

  it('reads nothing stored as nothing set, without a problem', () => {
    expect(read(null)).toEqual({ settings: {}, problems: 0 });
    expect(read(undefined)).toEqual({ settings: {}, problems: 0 });
    expect(read('{}')).toEqual({ settings: {}, problems: 0 });
  });

  it.each([
    ['not JSON', '{"persona": "cut'],
    ['not an object', '["persona"]'],
    ['null', 'null'],
    ['a field of the wrong type', '{"model": 3}'],
    ['a max_tokens that is not a positive integer', '{"maxTokens": 0.5}'],
    ['a list holding a number', '{"access": {"blockedUserIds": ["1", 2]}}'],
  ])('reads %s as nothing set, and reports it', (_, json) => {
    expect(read(json)).toEqual({ settings: {}, problems: 1 });
  });

  it('leaves out fields it does not know', () => {
    expect(read('{"model": "m", "later": true}')).toEqual({ settings: { model: 'm' }, problems: 0 });
  });
});
