import { ChannelType, PermissionFlagsBits, PermissionsBitField } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { answerPlace, isThreadFollowUp } from '../../../../src/platforms/discord/thread-routing.js';
import type { FollowUpQuery } from '../../../../src/platforms/discord/thread-routing.js';

const ALL = new PermissionsBitField(PermissionsBitField.All);
// Administrator would grant every bit: the sets below leave it out.
const without = (bit: bigint) =>
  new PermissionsBitField(PermissionsBitField.All & ~PermissionFlagsBits.Administrator & ~bit);

describe('answerPlace', () => {
  it('opens a thread with THREADS=auto in text and announcement channels', () => {
    for (const channelType of [ChannelType.GuildText, ChannelType.GuildAnnouncement]) {
      expect(answerPlace({ mode: 'auto', channelType, permissions: ALL })).toEqual({ kind: 'thread' });
    }
    // Unknown permissions: Discord decides, and a refusal falls back to the channel.
    expect(answerPlace({ mode: 'auto', channelType: ChannelType.GuildText, permissions: null })).toEqual({
      kind: 'thread',
    });
  });

  it('answers where it was asked with THREADS=off, in threads, and in DMs', () => {
    expect(answerPlace({ mode: 'off', channelType: ChannelType.GuildText, permissions: ALL })).toEqual({
      kind: 'here',
      missing: [],
    });
    for (const channelType of [ChannelType.PublicThread, ChannelType.PrivateThread, ChannelType.DM]) {
      expect(answerPlace({ mode: 'auto', channelType, permissions: ALL })).toEqual({ kind: 'here', missing: [] });
    }
  });

  it('answers in the channel, saying what is missing, without Create Public Threads or Send Messages in Threads', () => {
    const query = { mode: 'auto', channelType: ChannelType.GuildText } as const;
    expect(answerPlace({ ...query, permissions: without(PermissionFlagsBits.CreatePublicThreads) })).toEqual({
      kind: 'here',
      missing: ['CreatePublicThreads'],
    });
    expect(answerPlace({ ...query, permissions: without(PermissionFlagsBits.SendMessagesInThreads) })).toEqual({
      kind: 'here',
      missing: ['SendMessagesInThreads'],
    });
  });
});

describe('isThreadFollowUp', () => {
  const followUp: FollowUpQuery = {
    mode: 'auto',
    messageContent: true,
    botId: 'bot',
    threadOwnerId: 'bot',
    hasContent: true,
    mentionsOthers: false,
  };

  it('takes a message in a thread the bot opened as a question, with the Message Content intent', () => {
    expect(isThreadFollowUp(followUp)).toBe(true);
  });

  it('needs a mention otherwise', () => {
    expect(isThreadFollowUp({ ...followUp, messageContent: false })).toBe(false);
    expect(isThreadFollowUp({ ...followUp, mode: 'off' })).toBe(false);
    expect(isThreadFollowUp({ ...followUp, threadOwnerId: 'someone' })).toBe(false);
    expect(isThreadFollowUp({ ...followUp, threadOwnerId: null })).toBe(false);
    expect(isThreadFollowUp({ ...followUp, hasContent: false })).toBe(false);
    expect(isThreadFollowUp({ ...followUp, mentionsOthers: true })).toBe(false);
  });
});
