import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { startFakeAnthropic } from '../fakes/fake-anthropic.js';
import type { FakeAnthropic } from '../fakes/fake-anthropic.js';
import { startFakeSlack } from '../fakes/fake-slack.js';
import type { FakeSlack } from '../fakes/fake-slack.js';
import { killBots } from './bot-process.js';

// Fresh fake Slack, fake Anthropic and data directory for every test of the calling file, and the
// bot's environment against them (Slack alone, as the README's Slack section sets it up).

export interface SlackProcessFixtures {
  readonly slack: FakeSlack;
  readonly anthropic: FakeAnthropic;
  readonly dataDir: string;
  /** Slack in Socket Mode against the fakes, with `extra` on top (an empty value unsets a name). */
  botEnv(extra?: Record<string, string>): Record<string, string>;
}

export function slackProcessFixtures(): SlackProcessFixtures {
  let current: { slack: FakeSlack; anthropic: FakeAnthropic; dataDir: string } | undefined;
  beforeEach(async () => {
    current = {
      slack: await startFakeSlack(),
      anthropic: await startFakeAnthropic(),
      dataDir: await mkdtemp(join(tmpdir(), 'streamcord-slack-')),
    };
  });
  afterEach(async () => {
    await killBots();
    if (!current) return;
    await Promise.all([current.slack.close(), current.anthropic.close()]);
    await rm(current.dataDir, { recursive: true, force: true });
  });
  const now = () => {
    if (!current) throw new Error('Slack process fixtures are only there inside a test');
    return current;
  };
  return {
    get slack() {
      return now().slack;
    },
    get anthropic() {
      return now().anthropic;
    },
    get dataDir() {
      return now().dataDir;
    },
    botEnv: (extra = {}) => {
      const env: Record<string, string> = {
        SLACK_BOT_TOKEN: now().slack.botToken,
        SLACK_APP_TOKEN: now().slack.appToken,
        SLACK_API_URL: now().slack.apiUrl,
        ANTHROPIC_API_KEY: 'test-anthropic-key',
        ANTHROPIC_BASE_URL: now().anthropic.url,
        ANTHROPIC_MAX_RETRIES: '0',
        DATA_DIR: now().dataDir,
        LOG_LEVEL: 'info',
        ...extra,
      };
      return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
    },
  };
}
