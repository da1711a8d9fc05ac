import { describe, expect, it } from 'vitest';
import { createAccessPolicy } from '../../../../src/core/access/access-policy.js';
import type { AccessLists, Asker } from '../../../../src/core/access/access-policy.js';
import type { StoredAccessLists } from '../../../../src/core/ports/storage.js';

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

const decide = (lists: Partial<AccessLists>, asker: Asker, guildLists?: StoredAccessLists) =>
  createAccessPolicy({ ...open, ...lists })(asker, guildLists);

const serverAdmin: Asker = { ...inChannel, userId: 'mod1', roleIds: [], managesGuild: true };

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

describe('access policy with a guild’s own lists', () => {
  it('replaces the operator’s channel list with the guild’s', () => {
    const operator = { allowedChannelIds: new Set(['c9']) };
    expect(decide(operator, inChannel)).toEqual({ allowed: false, reason: 'channel' });
    expect(decide(operator, inChannel, { allowedChannelIds: ['c1'] })).toEqual({ allowed: true });
    expect(decide(operator, { ...inChannel, channelIds: ['c9'] }, { allowedChannelIds: ['c1'] })).toEqual({
      allowed: false,
      reason: 'channel',
    });
    // A thread under a channel the guild allows.
    expect(decide(operator, inThread, { allowedChannelIds: ['c1'] })).toEqual({ allowed: true });
  });

  it('replaces the operator’s role and user lists with the guild’s, each on its own', () => {
    const operator = { allowedRoleIds: new Set(['r1']), allowedUserIds: new Set(['u7']) };
    expect(decide(operator, inChannel)).toEqual({ allowed: true });
    expect(decide(operator, inChannel, { allowedRoleIds: ['r2'] })).toEqual({ allowed: false, reason: 'role' });
    // The operator's role list still applies when the guild only set its users.
    expect(decide(operator, inChannel, { allowedUserIds: ['u2'] })).toEqual({ allowed: true });
    expect(decide(operator, { ...inChannel, userId: 'u7', roleIds: [] }, { allowedUserIds: ['u2'] })).toEqual({
      allowed: false,
      reason: 'role',
    });
  });

  it('keeps the operator’s lists where the guild set none', () => {
    const operator = { allowedChannelIds: new Set(['c9']) };
    expect(decide(operator, inChannel, { allowedUserIds: ['u1'] })).toEqual({ allowed: false, reason: 'channel' });
  });

  it('lets an emptied guild list restrict nobody, over the operator’s', () => {
    expect(decide({ allowedChannelIds: new Set(['c9']) }, inChannel, { allowedChannelIds: [] })).toEqual({
      allowed: true,
    });
  });

  it('adds the guild’s blocked users to the operator’s, over every allow list', () => {
    const guildLists = { blockedUserIds: ['u1'], allowedUserIds: ['u1'] };
    expect(decide({}, inChannel, guildLists)).toEqual({ allowed: false, reason: 'blocked' });
    // An empty guild blocked list does not unblock the operator's.
    expect(decide({ blockedUserIds: new Set(['u1']) }, inChannel, { blockedUserIds: [] })).toEqual({
      allowed: false,
      reason: 'blocked',
    });
  });

  it('lets the guild’s admins (Manage Server) pass the guild’s lists', () => {
    const guildLists = { allowedChannelIds: ['c2'], allowedRoleIds: ['r2'], blockedUserIds: ['mod1'] };
    expect(decide({}, serverAdmin, guildLists)).toEqual({ allowed: true });
    expect(decide({}, { ...serverAdmin, managesGuild: false }, guildLists)).toEqual({
      allowed: false,
      reason: 'blocked',
    });
  });

  it('holds the guild’s admins to the operator’s guild allowlist and blocked list', () => {
    expect(decide({ allowedGuildIds: new Set(['g2']) }, serverAdmin)).toEqual({ allowed: false, reason: 'guild' });
    expect(decide({ blockedUserIds: new Set(['mod1']) }, serverAdmin)).toEqual({ allowed: false, reason: 'blocked' });
  });

  it('lets the operator’s admins pass the guild’s lists too', () => {
    const guildLists = { allowedChannelIds: ['c2'], blockedUserIds: ['u1'] };
    expect(decide({ adminIds: new Set(['u1']) }, inChannel, guildLists)).toEqual({ allowed: true });
  });
});
