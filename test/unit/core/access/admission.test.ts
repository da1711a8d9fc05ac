import { describe, expect, it } from 'vitest';
import { createAccessPolicy } from '../../../../src/core/access/access-policy.js';
import type { AccessLists, Asker } from '../../../../src/core/access/access-policy.js';
import { admissionText, createAdmission, createRerunCheck } from '../../../../src/core/access/admission.js';
import { createBudgetCheck } from '../../../../src/core/budget/budget-check.js';
import type { BudgetCheck } from '../../../../src/core/budget/budget-check.js';
import type { BudgetLimits } from '../../../../src/core/budget/budget-limits.js';
import { NO_LIMITS } from '../../../../src/core/budget/budget-limits.js';
import { budgetRefusalText } from '../../../../src/core/budget/budget-text.js';
import { recordUsage } from '../../../../src/core/budget/usage-recorder.js';
import type { SettingsStore } from '../../../../src/core/ports/storage.js';
import type { RefusalReason } from '../../../../src/core/ports/telemetry.js';
import type { Question } from '../../../../src/core/prompt/question.js';
import { scopeKey } from '../../../../src/core/settings/settings-scopes.js';
import { EMPTY_MENTION_HINT, accessText, queueText } from '../../../../src/core/user-text.js';
import { createMemoryStorage } from '../../../../src/storage/memory-storage.js';

const NOON = Date.UTC(2026, 10, 24, 12);
const MIDNIGHT = Date.UTC(2026, 10, 25);

const open: AccessLists = {
  allowedGuildIds: new Set(),
  allowedChannelIds: new Set(),
  allowedRoleIds: new Set(),
  allowedUserIds: new Set(),
  blockedUserIds: new Set(),
  allowDms: true,
  adminIds: new Set(['op1']),
};

const question: Question = { id: 'q1', channelId: 'c1', guildId: 'g1', authorId: 'u1', text: 'hi?', remember: true };
const asker: Asker = { userId: 'u1', roleIds: [], guildId: 'g1', channelIds: ['c1'] };

interface Options {
  readonly limits?: Partial<BudgetLimits>;
  readonly operator?: Partial<AccessLists>;
  /** Replaces the real budget check. */
  readonly budget?: BudgetCheck;
  readonly settings?: SettingsStore;
}

function setup(options: Options = {}) {
  const storage = createMemoryStorage({ keep: 10 });
  const clock = { now: () => NOON, elapsed: () => NOON };
  const limits = { ...NO_LIMITS, ...options.limits };
  const budget = options.budget ?? createBudgetCheck({ ...storage, limits, clock });
  const queue = { refusals: [] as Array<string | null>, seen: [] as Question[] };
  const queueRefusal = (asked: Question) => {
    queue.seen.push(asked);
    return queue.refusals.shift() ?? null;
  };
  const logs: Array<{ level: string; object: object; message: string | undefined }> = [];
  const log = (level: string) => (object: object | string, message?: string) => {
    logs.push({ level, object: typeof object === 'string' ? {} : object, message });
  };
  const logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  const operator = { ...open, ...options.operator };
  const refused: RefusalReason[] = [];
  const deps = {
    settings: options.settings ?? storage.settings,
    access: createAccessPolicy(operator),
    budget,
    queueRefusal,
    adminIds: operator.adminIds,
    allowedModels: new Set(['claude-a', 'claude-b']),
    logger,
    telemetry: { refused: (reason: RefusalReason) => refused.push(reason) },
  };
  const spend = (outputTokens: number, who: Question = question) =>
    recordUsage(storage.usage, who, { inputTokens: 0, outputTokens, cacheReadTokens: 0, cacheCreationTokens: 0 }, NOON);
  return {
    admit: createAdmission(deps),
    rerun: createRerunCheck({ ...deps, clock }),
    storage,
    queue,
    logs,
    spend,
    refused,
  };
}

describe('admission', () => {
  it('admits a question with the settings of where it was asked', async () => {
    const { admit, storage } = setup();
    await storage.settings.update(scopeKey.guild('g1'), () => ({ model: 'claude-b', maxTokens: 300 }));
    await storage.settings.update(scopeKey.channel('c1'), () => ({ persona: 'Pirate' }));
    expect(await admit(question, asker)).toEqual({
      kind: 'admitted',
      question: { ...question, settings: { system: 'Pirate', model: 'claude-b', maxTokens: 300 } },
    });
  });

  it('refuses by the guild’s own lists, before the queue or the budgets are asked', async () => {
    const { admit, storage, queue } = setup({ limits: { userRequestsPerMinute: 1 } });
    await storage.settings.update(scopeKey.guild('g1'), () => ({ access: { allowedChannelIds: ['c2'] } }));
    expect(await admit(question, asker)).toEqual({ kind: 'not-allowed', reason: 'channel', told: true });
    expect(await admit(question, asker)).toEqual({ kind: 'not-allowed', reason: 'channel', told: true });
    expect(queue.seen).toEqual([]);
    // The person's one request this minute is still there.
    expect(await admit({ ...question, channelId: 'c2' }, { ...asker, channelIds: ['c2'] })).toMatchObject({
      kind: 'admitted',
    });
  });

  it('refuses someone not allowed before saying their question is empty', async () => {
    const { admit } = setup({ operator: { blockedUserIds: new Set(['u1']) } });
    expect(await admit({ ...question, text: ' ' }, asker)).toEqual({
      kind: 'not-allowed',
      reason: 'blocked',
      told: true,
    });
  });

  it('answers an empty question with a hint, taking nothing from the rate', async () => {
    const { admit, queue } = setup({ limits: { userRequestsPerMinute: 1 } });
    expect(await admit({ ...question, text: '  \n ' }, asker)).toEqual({ kind: 'empty' });
    expect(queue.seen).toEqual([]);
    expect(await admit(question, asker)).toMatchObject({ kind: 'admitted' });
  });

  it('admits a question that is only files', async () => {
    const { admit } = setup();
    const file = { name: 'cat.png', contentType: 'image/png', size: 10, load: () => Promise.resolve(new Uint8Array()) };
    expect(await admit({ ...question, text: '', attachments: [file] }, asker)).toMatchObject({ kind: 'admitted' });
    expect(await admit({ ...question, text: '', attachments: [] }, asker)).toEqual({ kind: 'empty' });
  });

  it('refuses a question the queue refuses before the budgets, taking nothing from the rate', async () => {
    const { admit, queue } = setup({ limits: { userRequestsPerMinute: 1 } });
    queue.refusals.push(queueText.channelBusy);
    expect(await admit(question, asker)).toEqual({ kind: 'queue-full', text: queueText.channelBusy });
    expect(queue.seen).toHaveLength(1);
    expect(await admit(question, asker)).toMatchObject({ kind: 'admitted' });
  });

  it('checks the queue once, before the budgets; the caller checks it again before answering', async () => {
    const { admit, queue } = setup();
    // Full by the time the budgets have been read: admission has already passed it, the caller's
    // synchronous check (answerer.refusal) catches it.
    queue.refusals.push(null, queueText.youAreWaiting(2));
    const admitted = await admit(question, asker);
    expect(admitted).toMatchObject({ kind: 'admitted', question: { id: question.id } });
    expect(queue.seen).toHaveLength(1);
  });

  it('refuses a question over a budget, and logs which one without the question', async () => {
    const { admit, spend, logs } = setup({ limits: { userDailyTokens: 100 } });
    await spend(100);
    expect(await admit(question, asker)).toEqual({
      kind: 'over-budget',
      refusal: { kind: 'user', limit: 100, used: 100, resetsAt: MIDNIGHT },
    });
    expect(logs).toEqual([
      {
        level: 'info',
        object: { guildId: 'g1', channelId: 'c1', reason: 'over-budget', budget: 'user', limit: 100, used: 100 },
        message: 'question refused',
      },
    ]);
  });

  it('exempts the operator’s admins and the guild’s (Manage Server) from budgets and the rate', async () => {
    const { admit, spend } = setup({ limits: { guildDailyTokens: 10, userRequestsPerMinute: 1 } });
    await spend(10);
    const operatorAdmin = { ...asker, userId: 'op1' };
    const serverAdmin = { ...asker, userId: 'mod1', managesGuild: true };
    for (let i = 0; i < 3; i += 1) {
      expect(await admit({ ...question, authorId: 'op1' }, operatorAdmin)).toMatchObject({ kind: 'admitted' });
      expect(await admit({ ...question, authorId: 'mod1' }, serverAdmin)).toMatchObject({ kind: 'admitted' });
    }
    expect(await admit(question, asker)).toMatchObject({ kind: 'over-budget', refusal: { kind: 'guild' } });
  });

  it('holds admins to the queue caps', async () => {
    const { admit, queue } = setup();
    queue.refusals.push(queueText.channelBusy);
    expect(await admit({ ...question, authorId: 'op1' }, { ...asker, userId: 'op1' })).toMatchObject({
      kind: 'queue-full',
    });
  });

  it('answers anyway when the budgets cannot be read, and logs it', async () => {
    const failure = new Error('store down');
    const { admit, logs } = setup({ budget: () => Promise.reject(failure) });
    expect(await admit(question, asker)).toMatchObject({ kind: 'admitted' });
    expect(logs).toEqual([
      {
        level: 'error',
        object: { err: failure, channelId: 'c1' },
        message: 'could not check the budgets; answering anyway',
      },
    ]);
  });

  it('decides by the operator’s lists and defaults alone when the settings cannot be read, and logs it', async () => {
    const failure = new Error('settings down');
    const settings: SettingsStore = { getMany: () => Promise.reject(failure), update: () => Promise.reject(failure) };
    const allowed = setup({ settings });
    expect(await allowed.admit(question, asker)).toEqual({ kind: 'admitted', question: { ...question, settings: {} } });
    expect(allowed.logs).toEqual([
      {
        level: 'error',
        object: { err: failure, channelId: 'c1' },
        message: 'could not read the settings; using the defaults',
      },
    ]);
    const refused = setup({ settings, operator: { allowedChannelIds: new Set(['c2']) } });
    expect(await refused.admit(question, asker)).toEqual({ kind: 'not-allowed', reason: 'channel', told: true });
  });
});

describe('the log line of a refused question', () => {
  const refusedLine = (level: string, object: object) => ({ level, object, message: 'question refused' });

  it('says where and why, once per refusal, never the question', async () => {
    const blocked = setup({ operator: { blockedUserIds: new Set(['u1']) } });
    await blocked.admit(question, asker);
    const empty = setup();
    await empty.admit({ ...question, text: ' ' }, asker);
    const inDm = setup({ operator: { allowDms: false } });
    await inDm.admit({ ...question, guildId: null }, { ...asker, guildId: null });
    expect([...blocked.logs, ...empty.logs, ...inDm.logs]).toEqual([
      refusedLine('info', { guildId: 'g1', channelId: 'c1', reason: 'not-allowed', access: 'blocked' }),
      refusedLine('info', { guildId: 'g1', channelId: 'c1', reason: 'empty' }),
      refusedLine('info', { guildId: null, channelId: 'c1', reason: 'not-allowed', access: 'dms_off' }),
    ]);
    expect(JSON.stringify(blocked.logs)).not.toContain(question.text);
  });

  it('goes at debug when the person is not told (they were a moment ago), at info when they are', async () => {
    const { admit, logs } = setup({ operator: { blockedUserIds: new Set(['u1']) } });
    const told = [true, false];
    const admissions = [];
    for (let i = 0; i < 2; i += 1)
      admissions.push(await admit(question, asker, { tellRefused: () => told[i] ?? true }));
    expect(admissions).toEqual([
      { kind: 'not-allowed', reason: 'blocked', told: true },
      { kind: 'not-allowed', reason: 'blocked', told: false },
    ]);
    expect(logs.map((line) => line.level)).toEqual(['info', 'debug']);
  });

  it('asks whether to tell only when the access lists refuse', async () => {
    const { admit, logs } = setup();
    let asked = 0;
    const tellRefused = () => {
      asked += 1;
      return false;
    };
    expect(await admit(question, asker, { tellRefused })).toMatchObject({ kind: 'admitted' });
    expect(await admit({ ...question, text: '' }, asker, { tellRefused })).toEqual({ kind: 'empty' });
    expect(asked).toBe(0);
    expect(logs.map((line) => line.level)).toEqual(['info']);
  });

  it('is left to the queue for a full queue (answerer.refusal logs it), so there is one', async () => {
    const { admit, queue, logs } = setup();
    queue.refusals.push(queueText.channelBusy);
    expect(await admit(question, asker)).toMatchObject({ kind: 'queue-full' });
    expect(logs).toEqual([]);
  });

  it('is written for a Regenerate or Continue over a budget too', async () => {
    const { rerun, spend, logs } = setup({ limits: { channelDailyTokens: 50 } });
    await spend(60);
    expect(await rerun(question, false)).toContain('50');
    expect(logs).toEqual([
      refusedLine('info', {
        guildId: 'g1',
        channelId: 'c1',
        reason: 'over-budget',
        budget: 'channel',
        limit: 50,
        used: 60,
      }),
    ]);
  });
});

describe('refusals told to telemetry', () => {
  it('tells each refused question once, by reason; an admitted one and a full queue are not told here', async () => {
    const { admit, storage, queue, spend, refused } = setup({ limits: { channelDailyTokens: 5 } });
    await admit({ ...question, text: ' ' }, asker);
    await storage.settings.update(scopeKey.guild('g1'), () => ({ access: { blockedUserIds: ['u2'] } }));
    await admit({ ...question, authorId: 'u2' }, { ...asker, userId: 'u2' });
    await admit(question, { ...asker, guildId: null, channelIds: ['dm'] });
    queue.refusals.push(queueText.channelBusy);
    await admit(question, asker);
    await admit(question, asker);
    await spend(5);
    await admit(question, asker);

    // The DM is allowed (ALLOW_DMS); the queue's refusal is told by the queue (answerer.refusal).
    expect(refused).toEqual(['empty', 'not_allowed_blocked', 'over_budget_channel']);
  });

  it('tells a rerun refused over a budget', async () => {
    const { rerun, refused } = setup({ limits: { userRequestsPerMinute: 1 } });
    expect(await rerun(question, false)).toBeNull();
    expect(await rerun(question, false)).not.toBeNull();
    expect(refused).toEqual(['over_budget_rate']);
  });
});

describe('admissionText', () => {
  it('says why each refused question is not answered', () => {
    expect(admissionText({ kind: 'not-allowed', reason: 'dms_off', told: true }, NOON)).toBe(accessText.dms_off);
    expect(admissionText({ kind: 'empty' }, NOON)).toBe(EMPTY_MENTION_HINT);
    expect(admissionText({ kind: 'queue-full', text: queueText.channelBusy }, NOON)).toBe(queueText.channelBusy);
    const refusal = { kind: 'channel', limit: 10, used: 12, resetsAt: MIDNIGHT } as const;
    expect(admissionText({ kind: 'over-budget', refusal }, NOON)).toBe(budgetRefusalText(refusal, NOON));
    expect(budgetRefusalText(refusal, NOON)).toContain('in 12 h');
  });
});

describe('rerun check', () => {
  it('lets a Regenerate or Continue through within the budgets', async () => {
    const { rerun } = setup({ limits: { userDailyTokens: 100 } });
    expect(await rerun(question, false)).toBeNull();
  });

  it('refuses a rerun over a budget with the budget’s text, unless exempt', async () => {
    const { rerun, spend } = setup({ limits: { userDailyTokens: 100 } });
    await spend(150);
    expect(await rerun(question, false)).toBe(
      budgetRefusalText({ kind: 'user', limit: 100, used: 150, resetsAt: MIDNIGHT }, NOON),
    );
    expect(await rerun(question, true)).toBeNull();
  });

  it('refuses a rerun the queue refuses without taking from the rate', async () => {
    const { rerun, queue } = setup({ limits: { userRequestsPerMinute: 1 } });
    queue.refusals.push(queueText.channelBusy);
    expect(await rerun(question, false)).toBe(queueText.channelBusy);
    expect(await rerun(question, false)).toBeNull();
    expect(await rerun(question, false)).toContain('questions this minute');
  });

  it('checks the queue before the budgets only; the press checks it again before the run', async () => {
    const { rerun, queue } = setup();
    queue.refusals.push(null, queueText.channelBusy);
    expect(await rerun(question, false)).toBeNull();
    expect(queue.seen).toHaveLength(1);
  });
});
