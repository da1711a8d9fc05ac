import { commands } from '../../../commands/index.js';
import { NO_LIMITS } from '../../../src/core/budget/budget-limits.js';
import { usageReport } from '../../../src/core/budget/usage-report.js';
import type { CommandContext } from '../../../src/core/commands/command.js';
import { createCommandRunner } from '../../../src/core/commands/command-runner.js';
import { createSettingsAdmin } from '../../../src/core/settings/settings-admin.js';
import type { Place } from '../../../src/core/settings/settings-scopes.js';
import { discordNames, parseDiscordIds } from '../../../src/platforms/discord/discord-names.js';
import { createMemoryStorage } from '../../../src/storage/memory-storage.js';

// Commands as an admin runs them in a server: the command runner, the real settings admin and usage
// report, over the memory storage.

export const G1 = '100000000000000001';
export const C1 = '200000000000000001';
export const C8 = '200000000000000008';
export const T1 = '300000000000000001';
export const U1 = '400000000000000001';
export const U2 = '400000000000000002';
export const NOON = Date.UTC(2026, 10, 24, 12);
export const MODELS = new Set(['claude-default', 'claude-big']);

const logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const run = createCommandRunner({ commands, access: {}, logger });
const unused = () => Promise.reject(new Error('not used in this test'));

export function createCommandHarness() {
  const storage = createMemoryStorage({ keep: 10 });
  const clock = { now: () => NOON, elapsed: () => NOON };
  const limits = { ...NO_LIMITS, userDailyTokens: 10_000 };
  const settings = createSettingsAdmin({
    store: storage.settings,
    allowedModels: MODELS,
    defaults: { system: 'You are helpful.', model: 'claude-default', maxTokens: 1024 },
    operatorAccess: {
      allowedGuildIds: new Set(),
      allowedChannelIds: new Set([C8]),
      allowedRoleIds: new Set(),
      allowedUserIds: new Set(),
      blockedUserIds: new Set(),
      allowDms: true,
    },
    parseIds: parseDiscordIds,
    names: discordNames,
  });

  interface Call {
    readonly group?: string;
    readonly subcommand?: string;
    readonly values?: Record<string, string>;
    readonly place?: Place;
    readonly isAdmin?: boolean;
  }
  // Runs a command and resolves to what the caller was told.
  async function command(name: string, call: Call = {}): Promise<string[]> {
    const said: string[] = [];
    const place = call.place ?? { guildId: G1, channelIds: [C1] };
    const channelId = place.channelIds[0] ?? '';
    const isAdmin = call.isAdmin ?? true;
    const context: CommandContext = {
      channelId,
      place,
      caller: { userId: U1, isModerator: false, isAdmin },
      options: {
        string: (option) => call.values?.[option]?.trim() || null,
        boolean: () => null,
        attachment: () => null,
        subcommand: () => call.subcommand ?? null,
        group: () => call.group ?? null,
      },
      respondPrivately: (text) => {
        said.push(text);
        return Promise.resolve();
      },
      answer: unused,
      stopStreaming: () => null,
      usageReport: () =>
        usageReport(
          { usage: storage.usage, limits, clock, names: discordNames },
          { userId: U1, channelId, guildId: place.guildId, isAdmin },
        ),
      settings,
      conversation: { clear: () => Promise.resolve(0), busy: () => false },
    };
    await run(name, context);
    return said;
  }
  const stored = async (scope: string) => (await storage.settings.getMany([scope]))[0];
  return { command, stored, storage };
}

/** The line of the first answer that starts with `start`. */
export const line = (said: string[], start: string) => said[0]?.split('\n').find((row) => row.startsWith(start));
