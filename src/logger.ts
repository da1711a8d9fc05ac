import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';
import { createMask } from './logging/mask-secrets.js';
import { createErrorSerializer } from './logging/serialize-error.js';

// Secrets never reach the logs, whatever object someone logs by mistake: configuration keys are
// redacted by path, errors go through a serializer that keeps a short list of fields, and every line
// is masked for the secrets we know and the shapes of those we don't (interaction tokens in URLs).
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

export interface LoggerOptions {
  /** Values that must never appear in a line, e.g. the bot token and the API key. */
  readonly secrets?: readonly string[];
  /** Where lines go: standard output unless a test captures them. */
  readonly destination?: DestinationStream;
}

export function createLogger(level: string, options: LoggerOptions = {}): Logger {
  const mask = createMask(options.secrets ?? []);
  const serializeError = createErrorSerializer(mask);
  const destination = options.destination ?? pino.destination(1);
  return pino(
    {
      level,
      redact: { paths: REDACT, censor: '[redacted]' },
      // `err` is what the code uses; the others catch an error logged under another name.
      serializers: { err: serializeError, error: serializeError, reason: serializeError },
    },
    { write: (line: string) => destination.write(mask(line)) },
  );
}
