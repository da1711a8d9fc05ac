import type { PlatformErrorKind } from './platform-errors.js';
import { PlatformError } from './platform-errors.js';
import type { PostedMessage, ReplyTarget } from './reply-target.js';

// A reply target that tells of every write of the reply the platform refused, by the error's class
// (gone, forbidden, expired, rate limited, transient; `other` for one the adapter has no class for).
// The error itself goes on to the caller unchanged.

export function observedTarget(target: ReplyTarget, failed: (kind: PlatformErrorKind | 'other') => void): ReplyTarget {
  const told = async <T>(write: () => Promise<T>): Promise<T> => {
    try {
      return await write();
    } catch (error) {
      failed(error instanceof PlatformError ? error.kind : 'other');
      throw error;
    }
  };
  const observed = (message: PostedMessage): PostedMessage => ({
    id: message.id,
    budgetKey: message.budgetKey,
    locator: message.locator,
    edit: (view) => told(() => message.edit(view)),
    delete: () => told(() => message.delete()),
  });
  return {
    ...target,
    start: async (view) => observed(await told(() => target.start(view))),
    followUp: async (view) => observed(await told(() => target.followUp(view))),
  };
}
