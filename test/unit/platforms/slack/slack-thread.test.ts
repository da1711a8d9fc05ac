import { describe, expect, it } from 'vitest';
import {
  conversationKey,
  locatedMessage,
  messageLocator,
  teamOfKey,
  threadOfKey,
} from '../../../../src/platforms/slack/slack-thread.js';
import { parseLocator } from '../../../../src/platforms/discord/message-locator.js';

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

  it('tell Slack’s locators from Discord’s, both ways', () => {
    // What the restart sweeps rely on: each platform takes only its own reply records.
    expect(locatedMessage('channel/123456789012345678/223456789012345678')).toBeUndefined();
    expect(locatedMessage('webhook/123456789012345678/token/223456789012345678')).toBeUndefined();
    expect(parseLocator(messageLocator(thread, '1700000001.000200'))).toBeNull();
    expect(locatedMessage('slack:T1:C2:1700000000.000100')).toBeUndefined();
    expect(locatedMessage('slack:T1:C2:1700000000.000100:')).toBeUndefined();
  });

  it('find the workspace of a thread’s key and of a channel’s (/ask), and none for a Discord id', () => {
    expect(teamOfKey(conversationKey(thread))).toBe('T1');
    expect(teamOfKey('slack:T1:C2')).toBe('T1');
    expect(teamOfKey('123456789012345678')).toBeUndefined();
    expect(teamOfKey('slack-response-url:a:1')).toBeUndefined();
  });
});
