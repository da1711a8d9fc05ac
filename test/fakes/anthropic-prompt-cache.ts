// Simulates Anthropic's prompt cache for requests with top-level `cache_control`: the request is
// cached up to its last message, and a later request that starts with a cached prefix reads that
// prefix from the cache instead of paying for it again. Like the real cache, prompts shorter than
// the model's minimum are not cached at all.

export interface CacheUsage {
  readonly input: number;
  readonly cacheRead: number;
  readonly cacheCreation: number;
}

/** Sonnet and Opus cache prompts of at least this many tokens. */
export const MIN_CACHEABLE_TOKENS = 1024;

export interface PromptCache {
  usage(system: unknown, messages: readonly unknown[], cacheControl: unknown): CacheUsage;
}

export function createPromptCache(countTokens: (system: unknown, messages: readonly unknown[]) => number): PromptCache {
  const cached = new Set<string>();
  const key = (system: unknown, messages: readonly unknown[]) => JSON.stringify({ system, messages });

  return {
    usage(system, messages, cacheControl) {
      const total = countTokens(system, messages);
      if (cacheControl === undefined || total < MIN_CACHEABLE_TOKENS) {
        return { input: total, cacheRead: 0, cacheCreation: 0 };
      }
      let hit = 0;
      for (let length = messages.length; length > 0 && hit === 0; length -= 1) {
        if (cached.has(key(system, messages.slice(0, length)))) hit = length;
      }
      const cacheRead = hit === 0 ? 0 : countTokens(system, messages.slice(0, hit));
      cached.add(key(system, messages));
      return { input: 0, cacheRead, cacheCreation: total - cacheRead };
    },
  };
}
