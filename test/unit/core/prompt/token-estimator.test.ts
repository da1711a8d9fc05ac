import { describe, expect, it } from 'vitest';
import { MESSAGE_OVERHEAD_TOKENS, createTokenEstimator } from '../../../../src/core/prompt/token-estimator.js';

describe('createTokenEstimator', () => {
  it('learns the characters per token from real counts', () => {
    const estimator = createTokenEstimator(4);
    const before = estimator.estimate('x'.repeat(400));
    for (let round = 0; round < 20; round += 1) estimator.calibrate(1000, 500);
    expect(estimator.estimate('x'.repeat(400))).toBeGreaterThan(before * 1.8);
  });

  it('starts from the given ratio and adds the framing of a message', () => {
    expect(createTokenEstimator(4).estimate('x'.repeat(400))).toBe(100 + MESSAGE_OVERHEAD_TOKENS);
  });

  it('keeps a single odd observation from swinging the ratio beyond its bounds', () => {
    const estimator = createTokenEstimator(4);
    estimator.calibrate(1_000_000, 1);
    // One observation moves the ratio a fifth of the way towards at most 6 characters a token.
    expect(estimator.estimate('x'.repeat(440))).toBe(100 + MESSAGE_OVERHEAD_TOKENS);
  });

  it('ignores empty observations', () => {
    const estimator = createTokenEstimator(4);
    estimator.calibrate(0, 10);
    estimator.calibrate(10, 0);
    expect(estimator.estimate('x'.repeat(400))).toBe(100 + MESSAGE_OVERHEAD_TOKENS);
  });
});
