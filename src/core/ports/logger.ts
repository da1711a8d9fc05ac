// The logging the core needs; pino's Logger satisfies it, and tests pass a silent one.
export interface LogFn {
  (object: object, message?: string): void;
  (message: string): void;
}

export interface Logger {
  readonly debug: LogFn;
  readonly info: LogFn;
  readonly warn: LogFn;
  readonly error: LogFn;
}
