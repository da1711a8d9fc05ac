import { DiscordAPIError, RESTJSONErrorCodes } from 'discord.js';
import { MessageGoneError } from '../../core/reply/reply-target.js';

/** Rewrites "the message is gone" into the core's terms; anything else passes through. */
export function toCoreError(error: unknown): unknown {
  if (error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownMessage) {
    return new MessageGoneError(error.message, { cause: error });
  }
  return error;
}

/** Runs a Discord call, rewriting its error for the core. */
export async function coreErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toCoreError(error);
  }
}
