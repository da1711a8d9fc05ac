import type { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../../../src/core/ports/logger.js';
import { STOP_BUTTON_NOTE } from '../../../../src/core/user-text.js';
import { controlsBlock } from '../../../../src/platforms/slack/slack-buttons.js';
import { postStopButton } from '../../../../src/platforms/slack/stop-button.js';

const THREAD = { teamId: 'T1', channel: 'C1', threadTs: '1.0' };
const ANSWER_ID = 'slack:T1:C1:1.0';

function stubClient(post: () => Promise<{ ts?: string }>) {
  const calls: [string, Record<string, unknown>][] = [];
  const client = {
    chat: {
      postMessage: (args: Record<string, unknown>) => {
        calls.push(['postMessage', args]);
        return post();
      },
      delete: (args: Record<string, unknown>) => {
        calls.push(['delete', args]);
        return Promise.resolve({ ok: true });
      },
    },
  } as unknown as webApi.WebClient;
  const warnings: unknown[] = [];
  const logger: Logger = {
    debug: () => {},
    info: () => {},
    error: () => {},
    warn: (entry: unknown) => void warnings.push(entry),
  };
  return { client, calls, logger, warnings };
}

describe('postStopButton', () => {
  it('posts the Stop button in the thread, and deletes that message once when removed', async () => {
    const { client, calls, logger } = stubClient(() => Promise.resolve({ ts: '2.0' }));
    const button = postStopButton({ client, logger }, THREAD, ANSWER_ID);
    await Promise.all([button.remove(), button.remove()]);
    await button.remove();
    expect(calls).toEqual([
      [
        'postMessage',
        { channel: 'C1', thread_ts: '1.0', text: STOP_BUTTON_NOTE, blocks: [controlsBlock(['stop'], ANSWER_ID)] },
      ],
      ['delete', { channel: 'C1', ts: '2.0' }],
    ]);
  });

  it('lets the answer go on without the button when Slack refuses the post, with a warning', async () => {
    const refusal = new Error('refused');
    const { client, calls, logger, warnings } = stubClient(() => Promise.reject(refusal));
    const button = postStopButton({ client, logger }, THREAD, ANSWER_ID);
    await expect(button.remove()).resolves.toBeUndefined();
    expect(calls.map(([method]) => method)).toEqual(['postMessage']);
    expect(warnings).toHaveLength(1);
  });
});
