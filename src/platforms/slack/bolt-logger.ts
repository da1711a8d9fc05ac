import { LogLevel } from '@slack/bolt';
import type { Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../core/ports/logger.js';

// Bolt's (and its Socket Mode client's) log lines, into ours: its info is chatter about the
// connection, kept at debug; its warnings and errors stay what they are. Our logger masks secrets.

export function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.DEBUG;
  const line = (messages: unknown[]) => ({ bolt: messages.map(String).join(' ') });
  return {
    debug: (...messages: unknown[]) => logger.debug(line(messages), 'slack client'),
    info: (...messages: unknown[]) => logger.debug(line(messages), 'slack client'),
    warn: (...messages: unknown[]) => logger.warn(line(messages), 'slack client'),
    error: (...messages: unknown[]) => logger.error(line(messages), 'slack client'),
    setLevel: (next: LogLevel) => void (level = next),
    getLevel: () => level,
    setName: () => {},
  };
}
