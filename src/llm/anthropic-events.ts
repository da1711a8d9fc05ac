import type { MessageStream } from '@anthropic-ai/sdk/lib/MessageStream';
import type { ContentBlock, MessageStreamEvent, TextCitation } from '@anthropic-ai/sdk/resources/messages';
import type { ModelActivity, Source, StreamHandlers, TokenUsage } from '../core/ports/model.js';

// What one streamed call tells the core as it happens: text (one snapshot across every block and
// every continuation of a paused turn), what the model is doing besides writing (thinking,
// searching, fetching), the sources a finished text block cites, and the usage so far.

export type MutableUsage = { -readonly [K in keyof TokenUsage]: TokenUsage[K] };

/** Shared by the calls of one answer: the text so far keeps growing across continuations. */
export interface AnswerProgress {
  text: string;
}

/** Relays `stream`'s events to `handlers`; `usage` follows this call's usage as it streams. */
export function relayEvents(
  stream: MessageStream,
  handlers: StreamHandlers,
  progress: AnswerProgress,
  usage: MutableUsage,
): void {
  const tool = toolInputWatch(handlers);
  stream.on('streamEvent', (event) => {
    recordUsage(event, usage);
    if (event.type === 'content_block_start') {
      const block = event.content_block;
      if (block.type === 'thinking' || block.type === 'redacted_thinking') handlers.onStatus?.({ kind: 'thinking' });
      tool.start(block);
    }
    handlers.onActivity();
  });
  // Repeated while the model thinks: cheap for the core, and it says thinking goes on after a search.
  stream.on('thinking', () => handlers.onStatus?.({ kind: 'thinking' }));
  stream.on('inputJson', (_delta, snapshot) => tool.input(snapshot));
  stream.on('text', (delta) => {
    // Our own snapshot: the SDK's restarts with every content block.
    progress.text += delta;
    handlers.onText(delta, progress.text);
  });
  stream.on('contentBlock', (block) => {
    if (block.type !== 'text' || !block.citations?.length) return;
    const sources = citedSources(block.citations);
    if (sources.length > 0) handlers.onCitations?.(sources);
  });
}

/**
 * The status of a server tool whose input streams: the SDK parses the partial JSON (dropping a
 * string that has not closed yet), and the status goes out whenever the query or URL it holds
 * changes.
 */
function toolInputWatch(handlers: StreamHandlers) {
  let tool: 'web_search' | 'web_fetch' | undefined;
  let last = '';
  const input = (snapshot: unknown): void => {
    const status = activityOf(tool, snapshot);
    const said = status?.kind === 'searching' ? status.query : status?.kind === 'fetching' ? status.url : '';
    if (status === undefined || said.trim() === '' || said === last) return;
    last = said;
    handlers.onStatus?.(status);
  };
  return {
    start(block: ContentBlock): void {
      last = '';
      tool = undefined;
      if (block.type !== 'server_tool_use') return;
      if (block.name === 'web_search' || block.name === 'web_fetch') tool = block.name;
      // The API starts the block with an empty input; should it ever send the input whole, say it.
      input(block.input);
    },
    input,
  };
}

function activityOf(tool: 'web_search' | 'web_fetch' | undefined, input: unknown): ModelActivity | undefined {
  if (tool === undefined || typeof input !== 'object' || input === null) return undefined;
  if (tool === 'web_search') {
    const query = (input as { query?: unknown }).query;
    return typeof query === 'string' ? { kind: 'searching', query } : undefined;
  }
  const url = (input as { url?: unknown }).url;
  return typeof url === 'string' ? { kind: 'fetching', url } : undefined;
}

/** The pages a text block cites, each once, in the order first cited; citations without a URL are not pages. */
export function citedSources(citations: readonly TextCitation[]): Source[] {
  const sources = new Map<string, Source>();
  for (const citation of citations) {
    const url = 'url' in citation && typeof citation.url === 'string' ? citation.url : '';
    if (url === '' || sources.has(url)) continue;
    const title = 'title' in citation && typeof citation.title === 'string' ? citation.title.trim() : '';
    sources.set(url, { url, title: title === '' ? url : title });
  }
  return [...sources.values()];
}

function recordUsage(event: MessageStreamEvent, usage: MutableUsage): void {
  if (event.type === 'message_start') {
    const started = event.message.usage;
    usage.inputTokens = started.input_tokens;
    usage.outputTokens = started.output_tokens;
    usage.cacheReadTokens = started.cache_read_input_tokens ?? 0;
    usage.cacheCreationTokens = started.cache_creation_input_tokens ?? 0;
  } else if (event.type === 'message_delta') {
    usage.outputTokens = event.usage.output_tokens;
  }
}
