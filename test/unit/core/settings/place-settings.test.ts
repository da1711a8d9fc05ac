import { describe, expect, it } from 'vitest';
import type { ScopeSettings } from '../../../../src/core/ports/storage.js';
import { loadPlaceSettings } from '../../../../src/core/settings/place-settings.js';
import { scopeKey } from '../../../../src/core/settings/settings-scopes.js';
import { createMemoryStorage } from '../../../../src/storage/memory-storage.js';

const MODELS = new Set(['claude-a', 'claude-b', 'claude-c']);
const inChannel = { guildId: 'g1', channelIds: ['c1', 'cat1'] };
const inThread = { guildId: 'g1', channelIds: ['t1', 'c1', 'cat1'] };

async function storeWith(scopes: Record<string, ScopeSettings>) {
  const { settings } = createMemoryStorage({ keep: 10 });
  for (const [scope, value] of Object.entries(scopes)) await settings.update(scope, () => value);
  return settings;
}

describe('loadPlaceSettings', () => {
  it('leaves everything to the operator’s defaults where nothing is set', async () => {
    const store = await storeWith({});
    expect(await loadPlaceSettings(store, inChannel, MODELS)).toEqual({
      answer: { system: undefined, model: undefined, maxTokens: undefined },
      access: {},
    });
  });

  it('takes each setting from the closest scope that has it: the channel over the guild', async () => {
    const store = await storeWith({
      [scopeKey.guild('g1')]: { persona: 'guild persona', model: 'claude-a', maxTokens: 500 },
      [scopeKey.channel('c1')]: { persona: 'channel persona' },
    });
    expect((await loadPlaceSettings(store, inChannel, MODELS)).answer).toEqual({
      system: 'channel persona',
      model: 'claude-a',
      maxTokens: 500,
    });
    expect((await loadPlaceSettings(store, { guildId: 'g1', channelIds: ['c2'] }, MODELS)).answer).toEqual({
      system: 'guild persona',
      model: 'claude-a',
      maxTokens: 500,
    });
  });

  it('gives a thread its parent channel’s settings, unless the thread has its own', async () => {
    const store = await storeWith({
      [scopeKey.guild('g1')]: { model: 'claude-a' },
      [scopeKey.channel('c1')]: { persona: 'parent persona', model: 'claude-b' },
      [scopeKey.channel('t1')]: { maxTokens: 42 },
    });
    expect((await loadPlaceSettings(store, inThread, MODELS)).answer).toEqual({
      system: 'parent persona',
      model: 'claude-b',
      maxTokens: 42,
    });
  });

  it('ignores a stored model the operator took off the allowlist, falling back to the next scope', async () => {
    const store = await storeWith({
      [scopeKey.guild('g1')]: { model: 'claude-a' },
      [scopeKey.channel('c1')]: { model: 'claude-retired' },
    });
    expect((await loadPlaceSettings(store, inChannel, MODELS)).answer.model).toBe('claude-a');
    expect((await loadPlaceSettings(store, inChannel, new Set(['claude-b']))).answer.model).toBeUndefined();
  });

  it('reads the access lists from the guild only', async () => {
    const lists = { allowedChannelIds: ['c1'], blockedUserIds: ['u9'] };
    const store = await storeWith({
      [scopeKey.guild('g1')]: { access: lists },
      [scopeKey.channel('c1')]: { access: { allowedUserIds: ['u1'] } },
    });
    expect((await loadPlaceSettings(store, inChannel, MODELS)).access).toEqual(lists);
  });

  it('reads a DM’s own channel and no guild', async () => {
    const store = await storeWith({
      [scopeKey.channel('dm1')]: { persona: 'dm persona', access: { blockedUserIds: ['u1'] } },
    });
    expect(await loadPlaceSettings(store, { guildId: null, channelIds: ['dm1'] }, MODELS)).toEqual({
      answer: { system: 'dm persona', model: undefined, maxTokens: undefined },
      access: {},
    });
  });
});
