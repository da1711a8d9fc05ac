// Estimates tokens from characters, learning the ratio from what Claude reports for real requests.
// The estimate picks the history; an exact count checks it when it comes near the budget.

export interface TokenEstimator {
  estimate(text: string): number;
  /** A request of `chars` characters was `tokens` tokens. */
  calibrate(chars: number, tokens: number): void;
}

// English prose runs near 4 characters a token, code and other languages fewer: start cautious.
const INITIAL_CHARS_PER_TOKEN = 3.5;
const BOUNDS = { min: 1.5, max: 6 } as const;
// Each observation moves the ratio a fifth of the way: steady, yet quick to follow a new language.
const WEIGHT = 0.2;
// Framing tokens per message (role markers and the like).
export const MESSAGE_OVERHEAD_TOKENS = 4;

export function createTokenEstimator(charsPerToken = INITIAL_CHARS_PER_TOKEN): TokenEstimator {
  let ratio = charsPerToken;
  return {
    estimate: (text) => Math.ceil(text.length / ratio) + MESSAGE_OVERHEAD_TOKENS,
    calibrate(chars, tokens) {
      if (chars <= 0 || tokens <= 0) return;
      const observed = Math.min(BOUNDS.max, Math.max(BOUNDS.min, chars / tokens));
      ratio = ratio * (1 - WEIGHT) + observed * WEIGHT;
    },
  };
}
