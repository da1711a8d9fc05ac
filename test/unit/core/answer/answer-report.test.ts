import { describe, expect, it } from 'vitest';
import { buildReport, reportLogFields } from '../../../../src/core/answer/answer-report.js';
import type { Ending } from '../../../../src/core/answer/answer-outcome.js';
import type { Question } from '../../../../src/core/prompt/question.js';

const question: Question = {
  id: 'a1',
  channelId: 'c1',
  guildId: 'g1',
  authorId: 'u1',
  text: 'what is the question',
  remember: true,
};
const ending: Ending = {
  outcome: 'max_tokens',
  display: 'the answer as shown',
  answer: 'the answer as shown',
  stopReason: 'max_tokens',
  failure: null,
  searches: 2,
  usage: { inputTokens: 12, outputTokens: 300, cacheReadTokens: 4000, cacheCreationTokens: 80 },
};
const timing = { started: 1000.4, firstTextAt: 1420.2, finished: 4101.2 };
const sources = { model: 'claude-picked', requestId: 'req_abc', rateLimited: 2 };

describe('buildReport', () => {
  it('has the ids, the model call, every kind of token, the times, edits, 429s and the outcome', () => {
    expect(buildReport(question, ending, ending.display, 7, timing, sources)).toEqual({
      answerId: 'a1',
      channelId: 'c1',
      guildId: 'g1',
      model: 'claude-picked',
      requestId: 'req_abc',
      outcome: 'max_tokens',
      stopReason: 'max_tokens',
      failure: null,
      inputTokens: 12,
      outputTokens: 300,
      cacheReadTokens: 4000,
      cacheCreationTokens: 80,
      ttftMs: 420,
      durationMs: 3101,
      edits: 7,
      rateLimited: 2,
      searches: 2,
      display: 'the answer as shown',
    });
  });

  it('says null for a direct message’s guild, tokens never reported and text that never came', () => {
    const dm = { ...question, guildId: null };
    const silent = { ...ending, usage: null };
    const report = buildReport(dm, silent, '', 0, { ...timing, firstTextAt: null }, sources);
    expect(report).toMatchObject({ guildId: null, inputTokens: null, outputTokens: null, ttftMs: null });
    const { guildId: _none, ...unknownGuild } = question;
    expect(buildReport(unknownGuild, ending, '', 0, timing, sources).guildId).toBeNull();
  });
});

describe('reportLogFields', () => {
  it('leaves out what the reply shows and starts with what to look the answer up by', () => {
    const fields = reportLogFields(buildReport(question, ending, ending.display, 7, timing, sources));
    expect(fields).not.toHaveProperty('display');
    expect(JSON.stringify(fields)).not.toMatch(/the answer as shown|what is the question/);
    expect(Object.keys(fields)).toEqual([
      'guildId',
      'channelId',
      'answerId',
      'model',
      'requestId',
      'outcome',
      'stopReason',
      'failure',
      'inputTokens',
      'outputTokens',
      'cacheReadTokens',
      'cacheCreationTokens',
      'ttftMs',
      'durationMs',
      'edits',
      'rateLimited',
      'searches',
    ]);
  });
});
