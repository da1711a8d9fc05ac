import type { RequestWindows } from '../core/ports/storage.js';
import { windowOf } from './request-window.js';

// Request windows in this process's memory. Only the current window of a key is kept, so memory
// grows with the keys used, not with time.

export function createMemoryRequests(): RequestWindows {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    take(key, limit, windowMs, now) {
      const { start, resetsAt } = windowOf(now, windowMs);
      const current = windows.get(key);
      const count = current?.start === start ? current.count : 0;
      if (count >= limit) return Promise.resolve({ taken: false, count, resetsAt });
      windows.set(key, { start, count: count + 1 });
      return Promise.resolve({ taken: true, count: count + 1, resetsAt });
    },
  };
}
