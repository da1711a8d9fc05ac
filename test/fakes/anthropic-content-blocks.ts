/**
 * Claude-native content for the fake Anthropic: a script's ordered `blocks` (thinking, redacted
 * thinking, a web search, text with citations) turned into the exact wire frames the Messages API
 * streams for them, and into the final content a non-stream answer carries. Shapes follow the SDK's
 * `RawMessageStreamEvent` and `ContentBlock` types, and the SDK's `MessageStream` accumulates them.
 */
import { randomBytes } from 'node:crypto';

/** Thinking streamed as `thinking_delta`s, then one `signature_delta`. */
export interface FakeThinkingBlock {
  thinking: string;
  /** Default: a fake opaque signature. */
  signature?: string;
  /** Delta size for `thinking` (default: the script's `chunkSize`, else 4). */
  chunkSize?: number;
  /** Explicit thinking deltas; wins over `thinking`'s chunking (their join should equal `thinking`). */
  deltas?: string[];
  /** Delay before this block's content_block_start (default 0). */
  pauseBeforeMs?: number;
  /** Delay between this block's deltas (default: the script's `delayMs`). */
  delayMs?: number;
}

/** A `redacted_thinking` block: its whole `data` in content_block_start, no deltas. */
export interface FakeRedactedThinkingBlock {
  redactedThinking: string;
  pauseBeforeMs?: number;
}

export interface FakeSearchResult {
  url: string;
  /** Default: the url. */
  title?: string;
  /** Default: a fake opaque string. */
  encryptedContent?: string;
  /** Default null. */
  pageAge?: string | null;
  /** web_fetch only: the fetched page's text (default: a line naming the url). */
  text?: string;
}

export interface FakeSearch {
  query: string;
  /** Default `srvtoolu_fake_<random>`. */
  id?: string;
  /** Default 'web_search'. */
  name?: 'web_search' | 'web_fetch';
  /** The tool input; default `{ query }`. Streamed as JSON text in `input_json_delta`s. */
  input?: Record<string, unknown>;
  /** Size of the partial_json chunks (default 8). */
  inputChunkSize?: number;
  /**
   * The web_search_tool_result block's results. Omitted (and no `errorCode`): no result block.
   * With `name: 'web_fetch'`, the first is the fetched page of a web_fetch_tool_result block.
   */
  results?: FakeSearchResult[];
  /** A `web_search_tool_result_error` (or `web_fetch_tool_result_error`) instead of results. */
  errorCode?: string;
  /** Delay between the tool-use block's stop and the result block's start (search latency). */
  resultDelayMs?: number;
}

/** One `server_tool_use` block, then (with `results` or `errorCode`) its `web_search_tool_result`. */
export interface FakeSearchBlock {
  search: FakeSearch;
  pauseBeforeMs?: number;
  delayMs?: number;
}

export interface FakeCitation {
  url: string;
  /** Default: the url; null is sent as null. */
  title?: string | null;
  /** Default: ''. */
  citedText?: string;
  /** Default: a fake opaque string. */
  encryptedIndex?: string;
}

/** A text block: its `citations_delta`s first (as the API sends them), then its `text_delta`s. */
export interface FakeTextBlock {
  text: string;
  citations?: FakeCitation[];
  chunkSize?: number;
  deltas?: string[];
  pauseBeforeMs?: number;
  delayMs?: number;
}

export type FakeContentBlock = FakeThinkingBlock | FakeRedactedThinkingBlock | FakeSearchBlock | FakeTextBlock;

/** One block on the wire: its start payload, its deltas, and what the finished block looks like. */
export interface PlannedBlock {
  start: Record<string, unknown>;
  deltas: PlannedDelta[];
  final: Record<string, unknown>;
  pauseBeforeMs: number;
  /** Undefined: the script's `delayMs`. */
  delayMs: number | undefined;
}

export interface PlannedDelta {
  delta: Record<string, unknown>;
  /** UTF-16 units of answer text this delta adds; null for every delta but text_delta. */
  textChars: number | null;
}

export interface BlockDefaults {
  chunkSize: number;
  split: (text: string, size: number) => string[];
}

const INPUT_CHUNK_SIZE = 8;
const DIRECT_CALLER = { type: 'direct' } as const;

export function planBlocks(blocks: readonly FakeContentBlock[], defaults: BlockDefaults): PlannedBlock[] {
  return blocks.flatMap((block): PlannedBlock[] => {
    if ('redactedThinking' in block) return [redactedBlock(block)];
    if ('thinking' in block) return [thinkingBlock(block, defaults)];
    if ('search' in block) return searchBlocks(block);
    return [textBlock(block, defaults)];
  });
}

/** The legacy single text block, exactly as scripts without `blocks` always streamed it. */
export function plainTextBlock(deltas: string[]): PlannedBlock {
  return {
    start: { type: 'text', text: '' },
    deltas: deltas.map((text) => ({ delta: { type: 'text_delta', text }, textChars: text.length })),
    final: { type: 'text', text: deltas.join('') },
    pauseBeforeMs: 0,
    delayMs: undefined,
  };
}

export function countSearches(blocks: readonly FakeContentBlock[], name: FakeSearch['name'] = 'web_search'): number {
  return blocks.filter((block) => 'search' in block && (block.search.name ?? 'web_search') === name).length;
}

function thinkingBlock(block: FakeThinkingBlock, defaults: BlockDefaults): PlannedBlock {
  const signature = block.signature ?? fakeOpaque('sig');
  const chunks = block.deltas ?? defaults.split(block.thinking, block.chunkSize ?? defaults.chunkSize);
  return {
    start: { type: 'thinking', thinking: '', signature: '' },
    deltas: [
      ...chunks.map((thinking) => ({ delta: { type: 'thinking_delta', thinking }, textChars: null })),
      { delta: { type: 'signature_delta', signature }, textChars: null },
    ],
    final: { type: 'thinking', thinking: chunks.join(''), signature },
    pauseBeforeMs: block.pauseBeforeMs ?? 0,
    delayMs: block.delayMs,
  };
}

function redactedBlock(block: FakeRedactedThinkingBlock): PlannedBlock {
  const final = { type: 'redacted_thinking', data: block.redactedThinking };
  return { start: final, deltas: [], final, pauseBeforeMs: block.pauseBeforeMs ?? 0, delayMs: undefined };
}

function searchBlocks(block: FakeSearchBlock): PlannedBlock[] {
  const { search } = block;
  const id = search.id ?? `srvtoolu_fake_${randomBytes(8).toString('hex')}`;
  const name = search.name ?? 'web_search';
  const input = search.input ?? { query: search.query };
  const json = JSON.stringify(input);
  const chunks: string[] = [];
  const size = Math.max(1, Math.floor(search.inputChunkSize ?? INPUT_CHUNK_SIZE));
  for (let at = 0; at < json.length; at += size) chunks.push(json.slice(at, at + size));
  const toolUse: PlannedBlock = {
    start: { type: 'server_tool_use', id, name, input: {}, caller: DIRECT_CALLER },
    deltas: chunks.map((partial_json) => ({ delta: { type: 'input_json_delta', partial_json }, textChars: null })),
    final: { type: 'server_tool_use', id, name, input, caller: DIRECT_CALLER },
    pauseBeforeMs: block.pauseBeforeMs ?? 0,
    delayMs: block.delayMs,
  };
  const content = name === 'web_fetch' ? fetchResultContent(search) : searchResultContent(search);
  if (content === undefined) return [toolUse];
  const type = name === 'web_fetch' ? 'web_fetch_tool_result' : 'web_search_tool_result';
  const result = { type, tool_use_id: id, content, caller: DIRECT_CALLER };
  return [
    toolUse,
    { start: result, deltas: [], final: result, pauseBeforeMs: search.resultDelayMs ?? 0, delayMs: undefined },
  ];
}

function searchResultContent(search: FakeSearch): unknown {
  if (search.errorCode !== undefined) {
    return { type: 'web_search_tool_result_error', error_code: search.errorCode };
  }
  return search.results?.map((result) => ({
    type: 'web_search_result',
    url: result.url,
    title: result.title ?? result.url,
    encrypted_content: result.encryptedContent ?? fakeOpaque('enc'),
    page_age: result.pageAge ?? null,
  }));
}

/** A web_fetch_tool_result's content: the page as a plain-text document, or the error. */
function fetchResultContent(search: FakeSearch): unknown {
  if (search.errorCode !== undefined) {
    return { type: 'web_fetch_tool_result_error', error_code: search.errorCode };
  }
  const page = search.results?.[0];
  if (page === undefined) return undefined;
  return {
    type: 'web_fetch_result',
    url: page.url,
    retrieved_at: null,
    content: {
      type: 'document',
      source: { type: 'text', media_type: 'text/plain', data: page.text ?? `The page at ${page.url}.` },
      title: page.title ?? null,
      citations: null,
    },
  };
}

function textBlock(block: FakeTextBlock, defaults: BlockDefaults): PlannedBlock {
  const chunks = block.deltas ?? defaults.split(block.text, block.chunkSize ?? defaults.chunkSize);
  const citations = (block.citations ?? []).map(wireCitation);
  const final: Record<string, unknown> = { type: 'text', text: chunks.join('') };
  if (citations.length > 0) final.citations = citations;
  return {
    start: { type: 'text', text: '' },
    deltas: [
      ...citations.map((citation) => ({ delta: { type: 'citations_delta', citation }, textChars: null })),
      ...chunks.map((text) => ({ delta: { type: 'text_delta', text }, textChars: text.length })),
    ],
    final,
    pauseBeforeMs: block.pauseBeforeMs ?? 0,
    delayMs: block.delayMs,
  };
}

function wireCitation(citation: FakeCitation): Record<string, unknown> {
  return {
    type: 'web_search_result_location',
    url: citation.url,
    title: citation.title === undefined ? citation.url : citation.title,
    encrypted_index: citation.encryptedIndex ?? fakeOpaque('idx'),
    cited_text: citation.citedText ?? '',
  };
}

function fakeOpaque(kind: string): string {
  return `fake_${kind}_${randomBytes(12).toString('base64url')}`;
}
