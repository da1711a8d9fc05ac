/**
 * Thrown by method handlers: the server answers HTTP 200 `{ ok: false, error, ...extra }`, which the
 * real WebClient turns into a WebAPIPlatformError whose `data` is that body.
 */
export class SlackApiError extends Error {
  readonly error: string;
  readonly extra: Readonly<Record<string, unknown>>;

  constructor(error: string, extra: Readonly<Record<string, unknown>> = {}) {
    super(`slack error: ${error}`);
    this.name = 'SlackApiError';
    this.error = error;
    this.extra = extra;
  }
}

/** A required argument missing: Slack says `invalid_arguments` and names it in response_metadata. */
export function missingArgument(name: string): SlackApiError {
  return new SlackApiError('invalid_arguments', {
    response_metadata: { messages: [`[ERROR] missing required field: ${name}`] },
  });
}
