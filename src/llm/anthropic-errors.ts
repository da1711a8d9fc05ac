import Anthropic from '@anthropic-ai/sdk';
import { ModelError } from '../core/ports/model.js';
import type { ModelFailure, TokenUsage } from '../core/ports/model.js';

// The SDK's typed errors in the core's terms (ModelError), by class and never by message text.

/** What is known of the failed call besides the error: the model asked, the stream's request id. */
export interface FailedCall {
  readonly model?: string;
  readonly requestId?: string | undefined;
}

/** Maps the SDK's typed errors to the core's failures: by class, then by the error body's type. */
export function toModelError(error: unknown, usage: TokenUsage, call: FailedCall = {}): ModelError {
  const failure = classify(error);
  const message = error instanceof Error ? error.message : String(error);
  // The SDK's APIError carries the request id of the response that failed.
  const requestId = (error instanceof Anthropic.APIError ? error.requestID : undefined) ?? call.requestId;
  return new ModelError(failure, message, {
    cause: error,
    usage: { ...usage },
    ...(call.model === undefined ? {} : { model: call.model }),
    requestId: requestId ?? undefined,
  });
}

function classify(error: unknown): ModelFailure {
  if (error instanceof Anthropic.APIUserAbortError) return 'aborted';
  if (error instanceof Anthropic.APIConnectionTimeoutError) return 'timeout';
  if (error instanceof Anthropic.APIConnectionError) return 'connection';
  if (error instanceof Anthropic.AuthenticationError) return 'authentication';
  if (error instanceof Anthropic.PermissionDeniedError) return 'permission';
  if (error instanceof Anthropic.NotFoundError) return 'not_found';
  if (error instanceof Anthropic.RateLimitError) return 'rate_limited';
  if (error instanceof Anthropic.OverloadedError) return 'overloaded';
  if (error instanceof Anthropic.BadRequestError) return 'invalid_request';
  if (error instanceof Anthropic.PaymentRequiredError) return 'billing';
  if (error instanceof Anthropic.InternalServerError) return 'server';
  if (error instanceof Anthropic.APIError) return classifyByType(error.type);
  // The SDK throws a plain AnthropicError when the body ends before message_stop.
  if (error instanceof Anthropic.AnthropicError) return 'stream_cut';
  return 'unknown';
}

// A mid-stream `event: error` arrives inside an HTTP 200: a bare APIError with no status, whose
// body type says what happened.
function classifyByType(type: string | null): ModelFailure {
  switch (type) {
    case 'overloaded_error':
      return 'overloaded';
    case 'rate_limit_error':
      return 'rate_limited';
    case 'authentication_error':
      return 'authentication';
    case 'permission_error':
      return 'permission';
    case 'billing_error':
      return 'billing';
    case 'invalid_request_error':
      return 'invalid_request';
    case 'not_found_error':
      return 'not_found';
    case 'timeout_error':
      return 'timeout';
    case 'api_error':
      return 'server';
    default:
      return 'unknown';
  }
}
