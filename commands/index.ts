import type { Command } from '../src/core/commands/command.js';
import { ask } from './ask.js';
import { config } from './config.js';
import { reset } from './reset.js';
import { stop } from './stop.js';
import { usage } from './usage.js';

/** Every command the bot offers: the one place that lists them. */
export const commands: readonly Command[] = [ask, stop, reset, usage, config];
