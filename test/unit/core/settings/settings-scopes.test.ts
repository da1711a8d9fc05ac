import { describe, expect, it } from 'vitest';
import { placeScopes, scopeKey } from '../../../../src/core/settings/settings-scopes.js';

describe('placeScopes', () => {
  it('lists a thread, its parent channel, the category, then the guild: the closest first', () => {
    expect(placeScopes({ guildId: 'g1', channelIds: ['t1', 'c1', 'cat1'] })).toEqual([
      'channel:t1',
      'channel:c1',
      'channel:cat1',
      'guild:g1',
    ]);
  });

  it('has no guild scope in a DM', () => {
    expect(placeScopes({ guildId: null, channelIds: ['dm1'] })).toEqual(['channel:dm1']);
  });

  it('keeps guild and channel scopes apart even for equal ids', () => {
    expect(scopeKey.guild('1')).not.toBe(scopeKey.channel('1'));
  });
});
