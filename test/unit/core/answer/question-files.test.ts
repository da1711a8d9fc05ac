import { describe, expect, it } from 'vitest';
import { endingFromResult } from '../../../../src/core/answer/answer-outcome.js';
import {
  hasSomethingToAsk,
  logLeftOut,
  readQuestionFiles,
  nothingToAsk,
  withAttachmentNotices,
} from '../../../../src/core/answer/question-files.js';
import { NO_ATTACHMENTS } from '../../../../src/core/prompt/attachment-reading.js';
import type { AttachmentProblem } from '../../../../src/core/prompt/attachment-problem.js';
import { EMPTY_MENTION_HINT, attachmentNotice } from '../../../../src/core/user-text.js';

const usage = { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheCreationTokens: 0 };
const answered = endingFromResult({ text: 'The answer.', stopReason: 'end_turn', usage });
const unsupported: AttachmentProblem = { kind: 'unsupported', name: 'a.exe' };
const timedOut: AttachmentProblem = { kind: 'download_failed', name: 'b.png', failure: 'timeout' };

describe('withAttachmentNotices', () => {
  it('puts one line per file that did not go under the answer, and leaves the answer as it is', () => {
    const ending = withAttachmentNotices(answered, [unsupported, timedOut]);
    expect(ending.display).toBe(`The answer.\n\n${attachmentNotice(unsupported)}\n${attachmentNotice(timedOut)}`);
    expect(ending.answer).toBe('The answer.');
    expect(withAttachmentNotices(answered, [])).toBe(answered);
  });

  it('says nothing of downloads cut because the answer was stopped: the stop says it', () => {
    const stopped: AttachmentProblem = { kind: 'download_failed', name: 'c.png', failure: 'aborted' };
    expect(withAttachmentNotices(answered, [stopped]).display).toBe('The answer.');
  });
});

describe('the notices', () => {
  it('are one line each, whatever went wrong, and show a name as typed', () => {
    const problems: AttachmentProblem[] = [
      unsupported,
      timedOut,
      { kind: 'too_large', name: 'big.pdf', size: 5_000_000, limit: 3_932_160 },
      { kind: 'too_many_pixels', name: 'wide.png', maxSide: 8000 },
      { kind: 'too_many', names: ['a.png', 'b.png'], max: 5 },
      { kind: 'too_many', names: ['a.png'], max: 0 },
      { kind: 'download_failed', name: 'x.png', failure: 'http_status', status: 403 },
      { kind: 'download_failed', name: 'y.png', failure: 'untrusted_host' },
      { kind: 'unreadable', name: 'z.txt', as: 'text' },
    ];
    for (const problem of problems) expect(attachmentNotice(problem)).toMatch(/^-# 📎 [^\n]+$/);
    expect(attachmentNotice(problems[2] as AttachmentProblem)).toContain('it is 4.8 MB, over the 3.8 MB limit');
    expect(attachmentNotice(problems[6] as AttachmentProblem)).toContain('(HTTP 403)');
    expect(attachmentNotice({ kind: 'unsupported', name: 'a`b`.exe' })).toContain("`a'b'.exe`");
  });
});

describe('a question that is only files', () => {
  it('is asked when a file was read or it has text', () => {
    const read = { parts: [{ type: 'text' as const, text: 'x' }], attached: ['x.txt'], problems: [] };
    expect(hasSomethingToAsk('', read)).toBe(true);
    expect(hasSomethingToAsk('why?', NO_ATTACHMENTS)).toBe(true);
    expect(hasSomethingToAsk(' ', { ...NO_ATTACHMENTS, problems: [unsupported] })).toBe(false);
  });

  it('ends with the hint and the notices when none could be read', () => {
    expect(nothingToAsk({ ...NO_ATTACHMENTS, problems: [unsupported] })).toEqual({
      outcome: 'empty',
      display: `${EMPTY_MENTION_HINT}\n\n${attachmentNotice(unsupported)}`,
      answer: '',
      stopReason: null,
      failure: null,
      usage: null,
    });
  });
});

describe('logLeftOut', () => {
  it('logs one line with why each file was left out, never a file name', () => {
    const lines: Array<[object | string, string | undefined]> = [];
    const log = (object: object | string, message?: string) => void lines.push([object, message]);
    const logger = { debug: log, info: log, warn: log, error: log };
    const question = { id: 'q1', channelId: 'c1', guildId: 'g1', authorId: 'u1', text: 'hi', remember: true };
    const gone: AttachmentProblem = {
      kind: 'download_failed',
      name: 'secret-plans.pdf',
      failure: 'http_status',
      status: 404,
    };
    const extra: AttachmentProblem = { kind: 'too_many', names: ['x.png', 'y.png'], max: 5 };
    logLeftOut(logger, question, [unsupported, timedOut, gone, extra]);
    logLeftOut(logger, question, []);
    expect(lines).toEqual([
      [
        {
          guildId: 'g1',
          channelId: 'c1',
          answerId: 'q1',
          reasons: ['unsupported', 'timeout', 'http_status:404', 'too_many:2'],
        },
        'files left out of a question',
      ],
    ]);
    expect(JSON.stringify(lines)).not.toContain('secret-plans');
  });
});

describe('readQuestionFiles', () => {
  const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
  const question = { id: 'q1', channelId: 'c1', authorId: 'u1', text: 'hi', remember: true };

  it('holds the idle timer while the files download, then counts again', async () => {
    const calls: string[] = [];
    const idle = { hold: () => calls.push('hold'), touch: () => calls.push('touch') };
    const file = {
      name: 'a.txt',
      contentType: 'text/plain',
      size: 2,
      load: () => {
        calls.push('load');
        return Promise.resolve(new TextEncoder().encode('hi'));
      },
    };
    const deps = { attachmentLimits: { maxCount: 5, maxBytes: 100 }, logger: silent };
    const files = await readQuestionFiles(
      deps,
      { ...question, attachments: [file] },
      idle,
      new AbortController().signal,
    );
    expect(files.attached).toEqual(['a.txt']);
    expect(calls).toEqual(['hold', 'load', 'touch']);
  });

  it('reads no file where no limits are given, and says so', async () => {
    const idle = { hold: () => {}, touch: () => {} };
    const file = { name: 'a.txt', contentType: null, size: 2, load: () => Promise.reject(new Error('not read')) };
    const files = await readQuestionFiles(
      { logger: silent },
      { ...question, attachments: [file] },
      idle,
      new AbortController().signal,
    );
    expect(files.problems).toEqual([{ kind: 'too_many', names: ['a.txt'], max: 0 }]);
  });

  it('throws when the answer was stopped during the downloads', async () => {
    const controller = new AbortController();
    const idle = { hold: () => {}, touch: () => {} };
    const file = {
      name: 'a.txt',
      contentType: null,
      size: 2,
      load: () => {
        controller.abort();
        return Promise.resolve(new TextEncoder().encode('hi'));
      },
    };
    const deps = { attachmentLimits: { maxCount: 5, maxBytes: 100 }, logger: silent };
    await expect(
      readQuestionFiles(deps, { ...question, attachments: [file] }, idle, controller.signal),
    ).rejects.toThrow();
  });
});
