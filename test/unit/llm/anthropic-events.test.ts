import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic } from '../../fakes/fake-anthropic.js';
import type { FakeAnthropic } from '../../fakes/fake-anthropic.js';
import { modelOn, never, QUESTION, recordingHandlers } from './recording-handlers.js';

// Stream events → handler calls, with the real SDK against the fake Anthropic's exact wire format.

let fake: FakeAnthropic;

beforeEach(async () => {
  fake = await startFakeAnthropic();
});

afterEach(async () => {
  await fake.close();
});

async function streamed(): Promise<ReturnType<typeof recordingHandlers>['seen']> {
  const { handlers, seen } = recordingHandlers();
  await modelOn(fake).stream(QUESTION, handlers, never());
  return seen;
}

describe('status while the model is not writing', () => {
  it('says thinking when a thinking block starts and as it streams, and redacted thinking too, before the text', async () => {
    fake.enqueue({
      blocks: [{ thinking: 'Hmm, let me see.', chunkSize: 8 }, { redactedThinking: 'opaque' }, { text: 'Done.' }],
      chunkSize: 100,
    });

    const seen = await streamed();

    // One for each block's start, one per thinking delta (2), one for the redacted block's start.
    expect(seen.log).toEqual([
      'status thinking',
      'status thinking',
      'status thinking',
      'status thinking',
      'text Done.',
    ]);
  });

  it('says thinking for a redacted thinking block alone', async () => {
    fake.enqueue({ blocks: [{ redactedThinking: 'opaque' }, { text: 'Done.' }], chunkSize: 100 });

    expect((await streamed()).log).toEqual(['status thinking', 'text Done.']);
  });

  it('says what is searched as the query streams in pieces, once per query, before the text', async () => {
    fake.enqueue({
      blocks: [
        { search: { query: 'discord rate limits 2026', inputChunkSize: 3, results: [{ url: 'https://a.example' }] } },
        { search: { query: 'p-throttle strict mode', inputChunkSize: 5, results: [] } },
        { text: 'Here is what I found.' },
      ],
    });

    const seen = await streamed();

    expect(seen.statuses).toEqual([
      { kind: 'searching', query: 'discord rate limits 2026' },
      { kind: 'searching', query: 'p-throttle strict mode' },
    ]);
    expect(seen.log.indexOf('status searching')).toBeLessThan(seen.log.indexOf('text Here'));
  });

  it('follows the query as the SDK’s parsed input changes, never an empty one', async () => {
    // The first search's query is blank; the real one arrives in a later field's pieces.
    fake.enqueue({
      blocks: [
        { search: { query: '', input: { query: ' ' }, inputChunkSize: 2 } },
        { search: { query: 'x', input: { query: 'first', note: 'n', query2: 1 }, inputChunkSize: 4 } },
        { text: 'ok' },
      ],
    });

    expect((await streamed()).statuses).toEqual([{ kind: 'searching', query: 'first' }]);
  });

  it('says which page is fetched, from the web_fetch input', async () => {
    fake.enqueue({
      blocks: [
        { search: { query: '', name: 'web_fetch', input: { url: 'https://example.com/post' }, inputChunkSize: 6 } },
        { text: 'The post says hi.' },
      ],
    });

    expect((await streamed()).statuses).toEqual([{ kind: 'fetching', url: 'https://example.com/post' }]);
  });
});

describe('citations', () => {
  it('lists each text block’s cited pages when the block ends: once each, in order, titled', async () => {
    fake.enqueue({
      blocks: [
        { search: { query: 'q', results: [{ url: 'https://a.example' }, { url: 'https://b.example' }] } },
        {
          text: 'First claim.',
          citations: [
            { url: 'https://a.example/1', title: 'Page A' },
            { url: 'https://b.example/2', title: null },
            { url: 'https://a.example/1', title: 'Page A again' },
          ],
        },
        { text: ' Plain words.' },
        { text: ' Second claim.', citations: [{ url: 'https://c.example/3', title: '' }] },
      ],
      chunkSize: 100,
    });

    const seen = await streamed();

    expect(seen.citations).toEqual([
      [
        { url: 'https://a.example/1', title: 'Page A' },
        { url: 'https://b.example/2', title: 'https://b.example/2' },
      ],
      [{ url: 'https://c.example/3', title: 'https://c.example/3' }],
    ]);
    // After the block's text: the core puts the markers where the cited text ends.
    expect(seen.log).toEqual([
      'status searching',
      'text First claim.',
      'citations 2',
      'text First claim. Plain words.',
      'text First claim. Plain words. Second claim.',
      'citations 1',
    ]);
  });
});
