import { pino } from 'pino';
import type { Logger } from 'pino';

// Secrets never reach the logs, whatever object someone logs by mistake.
const REDACT = [
  'token',
  'apiKey',
  '*.token',
  '*.apiKey',
  '*.*.token',
  '*.*.apiKey',
  'headers.authorization',
  'headers["x-api-key"]',
  '*.headers.authorization',
  '*.headers["x-api-key"]',
];

export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' } });
}
