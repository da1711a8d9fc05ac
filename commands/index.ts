import type { Command } from '../src/core/commands/command.js';
import { ask } from './ask.js';
import { reset } from './reset.js';
import { stop } from './stop.js';

/** Every command the bot offers: the one place that lists them. */
export const commands: readonly Command[] = [ask, stop, reset];
