import { PermissionFlagsBits, PermissionsBitField } from 'discord.js';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../../../src/core/ports/logger.js';
import { createChannelGate, missingPermissions } from '../../../../src/platforms/discord/channel-permissions.js';
import type { ChannelAccessQuery } from '../../../../src/platforms/discord/channel-permissions.js';

const { ViewChannel, SendMessages, SendMessagesInThreads, ReadMessageHistory, Administrator } = PermissionFlagsBits;
const ALL_NEEDED = ViewChannel | SendMessages | SendMessagesInThreads | ReadMessageHistory;

function query(permissions: bigint | null, extra: Partial<ChannelAccessQuery> = {}): ChannelAccessQuery {
  return {
    channelId: 'c1',
    guildId: 'g1',
    thread: false,
    permissions: permissions === null ? null : new PermissionsBitField(permissions).freeze(),
    ...extra,
  };
}

function recordingLogger(): Logger & { warnings: unknown[]; debugs: unknown[] } {
  const warnings: unknown[] = [];
  const debugs: unknown[] = [];
  const ignore = () => {};
  return {
    debug: (object: unknown) => void debugs.push(object),
    info: ignore,
    error: ignore,
    warn: (object: unknown) => void warnings.push(object),
    warnings,
    debugs,
  };
}

function fixedClock(at = 0) {
  let now = at;
  return { now: () => now, elapsed: () => now, set: (ms: number) => void (now = ms) };
}

describe('missingPermissions', () => {
  it('needs View Channel, Send Messages and Read Message History in a channel', () => {
    expect(missingPermissions(query(ALL_NEEDED))).toEqual([]);
    expect(missingPermissions(query(ALL_NEEDED & ~SendMessages))).toEqual(['SendMessages']);
    expect(missingPermissions(query(SendMessages))).toEqual(['ViewChannel', 'ReadMessageHistory']);
  });

  it('needs Send Messages in Threads instead of Send Messages in a thread', () => {
    const thread = { thread: true };
    expect(missingPermissions(query(ALL_NEEDED & ~SendMessages, thread))).toEqual([]);
    expect(missingPermissions(query(ALL_NEEDED & ~SendMessagesInThreads, thread))).toEqual(['SendMessagesInThreads']);
  });

  it('lets an administrator do anything', () => {
    expect(missingPermissions(query(Administrator))).toEqual([]);
  });

  it('always allows DMs, and leaves unknown permissions to the post', () => {
    expect(missingPermissions(query(0n, { guildId: null }))).toEqual([]);
    expect(missingPermissions(query(null))).toEqual([]);
  });
});

describe('createChannelGate', () => {
  it('refuses a channel missing permissions and warns once, not once per question (those go at debug)', () => {
    const logger = recordingLogger();
    const gate = createChannelGate({ logger, clock: fixedClock() });
    const closed = query(ViewChannel | ReadMessageHistory);
    expect(gate.admits(closed)).toBe(false);
    expect(gate.admits(closed)).toBe(false);
    expect(gate.admits(query(ALL_NEEDED, { channelId: 'c2' }))).toBe(true);
    const line = { guildId: 'g1', channelId: 'c1', reason: 'missing-permissions', missing: ['SendMessages'] };
    expect(logger.warnings).toEqual([line]);
    expect(logger.debugs).toEqual([line]);
  });

  it('logs again once permissions came back and were lost again', () => {
    const logger = recordingLogger();
    const gate = createChannelGate({ logger, clock: fixedClock() });
    gate.admits(query(0n));
    gate.admits(query(ALL_NEEDED));
    gate.admits(query(0n));
    expect(logger.warnings).toHaveLength(2);
  });

  it('logs a channel that stays closed again after an hour', () => {
    const logger = recordingLogger();
    const clock = fixedClock();
    const gate = createChannelGate({ logger, clock });
    gate.admits(query(0n));
    clock.set(60 * 60 * 1000 - 1);
    gate.admits(query(0n));
    expect(logger.warnings).toHaveLength(1);
    clock.set(60 * 60 * 1000);
    gate.admits(query(0n));
    expect(logger.warnings).toHaveLength(2);
  });
});
