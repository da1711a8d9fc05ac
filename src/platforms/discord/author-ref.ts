import { createHash } from 'node:crypto';

// What Anthropic is told about who asked (metadata.user_id): a stable hash of the Discord user id,
// never the id itself, so that abuse can be traced back by us and by no one else. The platform prefix
// keeps Discord ids apart from other platforms' ids.

const LENGTH = 32;

export function authorRef(userId: string): string {
  return createHash('sha256').update(`discord:${userId}`).digest('hex').slice(0, LENGTH);
}
