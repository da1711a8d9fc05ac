import { describe, expect, it } from 'vitest';
import {
  conversationKey,
  locatedMessage,
  messageLocator,
  threadOfKey,
} from '../../../../src/platforms/slack/slack-thread.js';

const thread = { teamId: 'T1', channel: 'C2', threadTs: '1700000000.000100' };

describe('Slack conversation keys', () => {
  it('name one thread of one workspace, and never look like a Discord id', () => {
    expect(conversationKey(thread)).toBe('slack:T1:C2:1700000000.000100');
    expect(conversationKey(thread)).not.toMatch(/^\d+$/);
    expect(threadOfKey(conversationKey(thread))).toEqual(thread);
    expect(threadOfKey('123456789012345678')).toBeUndefined();
  });

  it('locate a message of the thread again', () => {
    expect(locatedMessage(messageLocator(thread, '1700000001.000200'))).toEqual({ thread, ts: '1700000001.000200' });
    expect(locatedMessage('channel:123')).toBeUndefined();
  });
});
