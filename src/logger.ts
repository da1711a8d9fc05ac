import { createRequire } from 'node:module';
import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';
import { createMask } from './logging/mask-secrets.js';
import { createErrorSerializer } from './logging/serialize-error.js';

// Secrets never reach the logs, whatever object someone logs by mistake: configuration keys are
// redacted by path, errors go through a serializer that keeps a short list of fields, and every line
// is masked for the secrets we know and the shapes of those we don't (interaction tokens in URLs).
// The mask works on the JSON line pino wrote, before anything else: a pretty line is made from the
// masked one, so both formats show the same, masked, values.
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

/** JSON lines (production, log collectors) or pino-pretty's coloured lines (development). */
export type LogFormat = 'json' | 'pretty';

/** Turns one JSON log line into the line a person reads. */
export type Prettify = (line: string) => string;

/** Loads pino-pretty; throws where it is not installed (a production install has no dev dependencies). */
export type PrettyLoader = (options: { readonly colorize: boolean }) => Prettify;

export interface LoggerOptions {
  /** Values that must never appear in a line, e.g. the bot token and the API key. */
  readonly secrets?: readonly string[];
  /** Where lines go: standard output unless a test captures them. */
  readonly destination?: DestinationStream;
  /** Default json. */
  readonly format?: LogFormat;
  /** How pretty mode gets pino-pretty; a test passes one that fails, as a production install would. */
  readonly loadPretty?: PrettyLoader;
  /** Where the logger says it could not pretty-print: standard error unless a test listens. */
  readonly notice?: (message: string) => void;
}

export function createLogger(level: string, options: LoggerOptions = {}): Logger {
  const mask = createMask(options.secrets ?? []);
  const serializeError = createErrorSerializer(mask);
  // `reason` is also the (string) reason a question was refused or failed; only anything else is an
  // error logged under that name, such as an unhandled rejection's.
  const serializeReason = (value: unknown) => (typeof value === 'string' ? value : serializeError(value));
  const destination = options.destination ?? pino.destination(1);
  const format = lineFormat(options);
  return pino(
    {
      level,
      redact: { paths: REDACT, censor: '[redacted]' },
      // `err` is what the code uses; the others catch an error logged under another name.
      serializers: { err: serializeError, error: serializeError, reason: serializeReason },
    },
    { write: (line: string) => destination.write(format(mask(line))) },
  );
}

// Pretty mode is for development: without pino-pretty the bot still starts, logging JSON, and says so
// once rather than failing over how its log looks.
function lineFormat(options: LoggerOptions): (line: string) => string {
  if (options.format !== 'pretty') return (line) => line;
  try {
    // Colours only where a person watches: standard output on a terminal.
    const colorize = options.destination === undefined && process.stdout.isTTY === true;
    return (options.loadPretty ?? loadPinoPretty)({ colorize });
  } catch (error) {
    const notice = options.notice ?? ((message: string) => process.stderr.write(`${message}\n`));
    const why = error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : String(error);
    notice(
      `LOG_FORMAT=pretty needs pino-pretty, a development dependency that is not installed (${why}); logging JSON.`,
    );
    return (line) => line;
  }
}

// Only what we use of pino-pretty, so that no type of a development dependency reaches the build.
interface PinoPretty {
  readonly prettyFactory: (options: Record<string, unknown>) => Prettify;
}

// Required only in pretty mode, so a production install never looks for it.
const loadPinoPretty: PrettyLoader = ({ colorize }) => {
  const { prettyFactory } = createRequire(import.meta.url)('pino-pretty') as PinoPretty;
  return prettyFactory({ colorize, singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
};
