import type { ChatModel, ModelActivity, ModelRequest, Source, StreamHandlers } from '../../../src/core/ports/model.js';
import { createAnthropicModel } from '../../../src/llm/anthropic.js';
import type { AnthropicModelOptions } from '../../../src/llm/anthropic.js';
import type { FakeAnthropic } from '../../fakes/fake-anthropic.js';

// What the adapter tells the core while an answer streams, in order, for tests that drive the real
// SDK against the loopback fake Anthropic.

export interface Recording {
  /** Every status, text snapshot and citation list in the order they came. */
  readonly log: string[];
  readonly statuses: ModelActivity[];
  readonly snapshots: string[];
  readonly citations: (readonly Source[])[];
}

export function recordingHandlers(onText?: (snapshot: string) => void): {
  handlers: StreamHandlers;
  seen: Recording;
} {
  const seen: Recording = { log: [], statuses: [], snapshots: [], citations: [] };
  const handlers: StreamHandlers = {
    onText(_delta, snapshot) {
      seen.snapshots.push(snapshot);
      seen.log.push(`text ${snapshot}`);
      onText?.(snapshot);
    },
    onActivity() {},
    onStatus(status) {
      seen.statuses.push(status);
      seen.log.push(`status ${status.kind}`);
    },
    onCitations(sources) {
      seen.citations.push(sources);
      seen.log.push(`citations ${sources.length}`);
    },
  };
  return { handlers, seen };
}

export function modelOn(fake: FakeAnthropic, options: Partial<AnthropicModelOptions> = {}): ChatModel {
  return createAnthropicModel({
    apiKey: 'test-key',
    baseURL: fake.url,
    model: 'claude-sonnet-4-6',
    maxRetries: 0,
    timeoutMs: 5000,
    ...options,
  });
}

export const QUESTION: ModelRequest = {
  system: 'Be brief.',
  messages: [{ role: 'user', content: 'What happened today?' }],
  maxTokens: 1000,
};

export function never(): AbortSignal {
  return new AbortController().signal;
}
