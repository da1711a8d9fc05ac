import { describe, expect, it } from 'vitest';
import { requestKey, usageKeys } from '../../../../src/core/budget/usage-keys.js';

describe('usageKeys', () => {
  it('gives every counter and ranking of a day its own key, and the next day new ones', () => {
    const day = (date: string) => [
      usageKeys.total(date),
      usageKeys.channel('1', date),
      usageKeys.user('1', date),
      usageKeys.guild('1', date),
      usageKeys.guildChannels('1', date),
      usageKeys.guildUsers('1', date),
    ];
    const keys = [...day('2026-11-24'), ...day('2026-11-25')];
    expect(new Set(keys).size).toBe(keys.length);
    expect(usageKeys.user('42', '2026-11-24')).toBe('user:42:2026-11-24');
  });

  it('keys a user’s request window by the user alone, across days', () => {
    expect(requestKey('42')).toBe('user:42');
    expect(requestKey('42')).not.toBe(requestKey('43'));
  });
});
