import { describe, expect, it } from 'vitest';
import { view } from '../../../../src/core/reply/message-view.js';
import {
  answerTextOf,
  isStreaming,
  neutraliseMentions,
  slackMarkdown,
  slackNotice,
} from '../../../../src/platforms/slack/slack-text.js';

describe('neutraliseMentions', () => {
  it('breaks every kind of Slack mention, and only those', () => {
    const text = '<!channel> <!here> <!everyone> <!subteam^S1|@team> <@U123> <@W9|bob> @here @channel @everyone';
    const out = neutraliseMentions(text);
    expect(out).not.toMatch(/<[!@]|@(?:here|channel|everyone)\b/);
    expect(out.replaceAll('\u2060', '')).toBe(text);
  });

  it('leaves links, code and ordinary @ signs alone', () => {
    const text = 'See <https://example.com|this>, `a < b`, and mail me@example.com or @hereford';
    expect(neutraliseMentions(text)).toBe(text);
  });
});

describe('answerTextOf', () => {
  it('takes the status line off what the core shows', () => {
    expect(answerTextOf({ ...view('So far\n\n💭 Thinking… 2s', ['stop']), status: '💭 Thinking… 2s' })).toBe('So far');
    expect(answerTextOf({ ...view('💭 Thinking… 2s', ['stop']), status: '💭 Thinking… 2s' })).toBe('');
    expect(answerTextOf(view('No status', ['stop']))).toBe('No status');
  });
});

describe('isStreaming', () => {
  it('is true exactly while the core shows Stop', () => {
    expect(isStreaming(view('a', ['stop']))).toBe(true);
    expect(isStreaming(view('a', ['regenerate']))).toBe(false);
    expect(isStreaming(view('a'))).toBe(false);
  });
});

describe('slackMarkdown', () => {
  it('shows the core’s small-text lines (notices) in italics, and neutralises mentions', () => {
    expect(slackMarkdown('Answer <!here>\n\n-# ⚠️ Claude is overloaded.')).toBe(
      'Answer <\u2060!here>\n\n_⚠️ Claude is overloaded._',
    );
    expect(slackMarkdown('- a list item\n# a heading')).toBe('- a list item\n# a heading');
  });
});

describe('slackNotice', () => {
  it('shows our own text’s small-text lines in italics and keeps the people it names', () => {
    expect(slackNotice('**Top members**\n<@U0PERSON>: 100\n-# 60 input · 40 output')).toBe(
      '**Top members**\n<@U0PERSON>: 100\n_60 input · 40 output_',
    );
  });
});
