import { describe, expect, it } from 'vitest';
import { createAccessPolicy } from '../../../../src/core/access/access-policy.js';
import type { AccessLists, Asker } from '../../../../src/core/access/access-policy.js';

const open: AccessLists = {
  allowedGuildIds: new Set(),
  allowedChannelIds: new Set(),
  allowedRoleIds: new Set(),
  allowedUserIds: new Set(),
  blockedUserIds: new Set(),
  allowDms: true,
  adminIds: new Set(),
};

const inChannel: Asker = { userId: 'u1', roleIds: ['r1'], guildId: 'g1', channelIds: ['c1', 'cat1'] };
const inThread: Asker = { ...inChannel, channelIds: ['t1', 'c1', 'cat1'] };
const inDm: Asker = { userId: 'u1', roleIds: [], guildId: null, channelIds: ['dm1'] };

const decide = (lists: Partial<AccessLists>, asker: Asker) => createAccessPolicy({ ...open, ...lists })(asker);

describe('access policy', () => {
  it('admits everyone everywhere when nothing is restricted', () => {
    expect(decide({}, inChannel)).toEqual({ allowed: true });
    expect(decide({}, inDm)).toEqual({ allowed: true });
  });

  it('refuses DMs when they are off, but not guild channels', () => {
    expect(decide({ allowDms: false }, inDm)).toEqual({ allowed: false, reason: 'dms_off' });
    expect(decide({ allowDms: false }, inChannel)).toEqual({ allowed: true });
  });

  it('admits only the allowed guilds; DMs are not a guild', () => {
    expect(decide({ allowedGuildIds: new Set(['g1']) }, inChannel)).toEqual({ allowed: true });
    expect(decide({ allowedGuildIds: new Set(['g2']) }, inChannel)).toEqual({ allowed: false, reason: 'guild' });
    expect(decide({ allowedGuildIds: new Set(['g2']) }, inDm)).toEqual({ allowed: true });
  });

  it('admits a channel, a thread under it and a channel under an allowed category', () => {
    expect(decide({ allowedChannelIds: new Set(['c1']) }, inChannel)).toEqual({ allowed: true });
    expect(decide({ allowedChannelIds: new Set(['c1']) }, inThread)).toEqual({ allowed: true });
    expect(decide({ allowedChannelIds: new Set(['cat1']) }, inThread)).toEqual({ allowed: true });
    expect(decide({ allowedChannelIds: new Set(['c2']) }, inThread)).toEqual({ allowed: false, reason: 'channel' });
  });

  it('admits people on the user list or with an allowed role', () => {
    expect(decide({ allowedUserIds: new Set(['u1']) }, inChannel)).toEqual({ allowed: true });
    expect(decide({ allowedUserIds: new Set(['u2']) }, inChannel)).toEqual({ allowed: false, reason: 'user' });
    expect(decide({ allowedRoleIds: new Set(['r1']) }, inChannel)).toEqual({ allowed: true });
    expect(decide({ allowedRoleIds: new Set(['r2']) }, inChannel)).toEqual({ allowed: false, reason: 'role' });
    const both = { allowedRoleIds: new Set(['r2']), allowedUserIds: new Set(['u1']) };
    expect(decide(both, inChannel)).toEqual({ allowed: true });
  });

  it('refuses a DM from someone without an allowed role: DMs carry no roles', () => {
    expect(decide({ allowedRoleIds: new Set(['r1']) }, inDm)).toEqual({ allowed: false, reason: 'role' });
  });

  it('lets blocked win over every allow list', () => {
    const lists = { allowedUserIds: new Set(['u1']), blockedUserIds: new Set(['u1']) };
    expect(decide(lists, inChannel)).toEqual({ allowed: false, reason: 'blocked' });
  });

  it('lets admins pass every list, the block list included', () => {
    const lists: Partial<AccessLists> = {
      adminIds: new Set(['u1']),
      blockedUserIds: new Set(['u1']),
      allowedGuildIds: new Set(['g2']),
      allowDms: false,
    };
    expect(decide(lists, inChannel)).toEqual({ allowed: true });
    expect(decide(lists, inDm)).toEqual({ allowed: true });
  });
});
