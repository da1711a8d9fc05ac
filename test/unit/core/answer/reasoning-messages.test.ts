import { describe, expect, it } from 'vitest';
import { reasoningMessages } from '../../../../src/core/answer/reasoning-messages.js';
import { reasoningText } from '../../../../src/core/user-text.js';

describe('reasoningMessages', () => {
  it('puts the heading above the reasoning in one message when it fits', () => {
    expect(reasoningMessages('  I weighed both options.  ')).toEqual([
      `${reasoningText.heading}\nI weighed both options.`,
    ]);
  });

  it('splits long reasoning into messages within the limit, keeping every word', () => {
    const reasoning = Array.from({ length: 30 }, (_, index) => `Thought number ${index}.`).join('\n\n');
    const messages = reasoningMessages(reasoning, 200);
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) expect(message.length).toBeLessThanOrEqual(200);
    expect(messages.join(' ')).toContain('Thought number 29.');
  });

  it('stops after a few messages and says the rest is left out', () => {
    const messages = reasoningMessages('word '.repeat(2000), 200);
    expect(messages).toHaveLength(6);
    expect(messages.at(-1)).toBe(reasoningText.truncated);
  });
});
