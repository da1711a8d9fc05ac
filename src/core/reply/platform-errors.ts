// What a platform's refusals mean to the core, whatever the platform: the adapter maps its own errors
// (Discord's codes, later Slack's) to these classes in one place, and the core branches on the class,
// never on a code or a message.

export type PlatformErrorKind = 'gone' | 'forbidden' | 'expired' | 'rate_limited' | 'transient';

export abstract class PlatformError extends Error {
  abstract readonly kind: PlatformErrorKind;
}

/** The message (or its channel) no longer exists: further edits are pointless. */
export class GoneError extends PlatformError {
  override readonly name = 'GoneError';
  readonly kind = 'gone';
}

/** The bot is not allowed to do this there (missing access or permissions): trying again won't help. */
export class ForbiddenError extends PlatformError {
  override readonly name = 'ForbiddenError';
  readonly kind = 'forbidden';
}

/** The handle used to reach the message has lapsed, e.g. an interaction token after 15 minutes. */
export class ExpiredError extends PlatformError {
  override readonly name = 'ExpiredError';
  readonly kind = 'expired';
}

/** The platform refused for now because of its rate limits. */
export class RateLimitedError extends PlatformError {
  override readonly name = 'RateLimitedError';
  readonly kind = 'rate_limited';
  /** How long the platform asked to wait (its Retry-After), when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options?: ErrorOptions & { readonly retryAfterMs?: number }) {
    super(message, options);
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/** The platform or the network failed this once (5xx, a dropped connection, a timeout): a later try may work. */
export class TransientError extends PlatformError {
  override readonly name = 'TransientError';
  readonly kind = 'transient';
}

/** Whether the message can never be changed again through this handle: stop editing it. */
export function isUnreachable(error: unknown): error is GoneError | ForbiddenError | ExpiredError {
  return error instanceof GoneError || error instanceof ForbiddenError || error instanceof ExpiredError;
}
