import type { App } from '@slack/bolt';
import { settingsAdminFor } from '../../app/services.js';
import type { Services } from '../../app/services.js';
import type { Admit } from '../../core/access/admission.js';
import type { Answerer } from '../../core/answer/answerer.js';
import { usageReport } from '../../core/budget/usage-report.js';
import { createCommandRunner } from '../../core/commands/command-runner.js';
import type { Command } from '../../core/commands/command.js';
import { createSlackCommandHandler, SLACK_COMMANDS } from './slack-commands.js';
import type { SlackReplyDeps } from './slack-reply-target.js';
import { slackNames } from './slack-names.js';

// Registers Slack's slash commands on the Bolt app. Each is acknowledged at once (Slack wants it
// within 3 seconds) and runs on, its failure logged: nothing is thrown into Bolt.

export interface SlackCommandListenerOptions {
  readonly app: App;
  readonly services: Services;
  readonly commands: readonly Command[];
  readonly answerer: Answerer;
  readonly admit: Admit;
  readonly reply: SlackReplyDeps;
  /** False once the platform drains: a command then gets no answer. */
  readonly accepting: () => boolean;
}

export function listenToSlackCommands(options: SlackCommandListenerOptions): void {
  const { app, services, answerer, admit, reply } = options;
  const { config, logger, clock, storage } = services;
  const commands = options.commands.filter((command) => SLACK_COMMANDS.includes(command.data.name));
  const handle = createSlackCommandHandler({
    commands,
    runCommand: createCommandRunner({ commands, access: config.commands.access, logger }),
    answerer,
    admit,
    adminIds: config.commands.adminIds,
    // /config is Discord's for now: nothing on Slack types ids into it.
    settings: settingsAdminFor(services, { parseIds: () => null, names: slackNames }),
    usageReport: (viewer) =>
      usageReport({ usage: storage.usage, limits: config.budgets, clock, names: slackNames }, viewer),
    clock,
    reply,
  });
  for (const { data } of commands) {
    app.command(`/${data.name}`, async ({ command, ack, respond }) => {
      const acked = await ack().then(
        () => true,
        (error: unknown) => (
          logger.warn({ err: error, command: data.name }, 'could not acknowledge a Slack command'),
          false
        ),
      );
      if (!acked || !options.accepting()) return;
      handle(command, respond).catch((error: unknown) =>
        logger.error({ err: error, command: data.name, channel: command.channel_id }, 'Slack command failed'),
      );
    });
  }
}
