/**
 * The checks the real Messages API makes on a request body that are cheap to copy, so a bot that
 * sends a malformed body gets the same 400 invalid_request_error here as in production: content
 * blocks with their required fields (thinking blocks must come back with their signatures), a valid
 * `thinking` setting and a `tools` array.
 */

type Check = (block: Record<string, unknown>) => string | undefined;

/** Required fields per content-block type; unknown types pass (the fake is not the schema). */
const BLOCK_CHECKS: Readonly<Record<string, Check>> = {
  text: (b) => need(b, 'text', 'string'),
  image: (b) => need(b, 'source', 'object'),
  document: (b) => need(b, 'source', 'object'),
  thinking: (b) => need(b, 'thinking', 'string') ?? need(b, 'signature', 'string') ?? nonEmpty(b, 'signature'),
  redacted_thinking: (b) => need(b, 'data', 'string'),
  server_tool_use: (b) => need(b, 'id', 'string') ?? need(b, 'name', 'string') ?? need(b, 'input', 'object'),
  web_search_tool_result: (b) => need(b, 'tool_use_id', 'string') ?? need(b, 'content', 'any'),
  web_fetch_tool_result: (b) => need(b, 'tool_use_id', 'string') ?? need(b, 'content', 'object'),
  tool_use: (b) => need(b, 'id', 'string') ?? need(b, 'name', 'string') ?? need(b, 'input', 'object'),
  tool_result: (b) => need(b, 'tool_use_id', 'string'),
};

/** Content only the model writes: a user turn may not carry it. */
const ASSISTANT_ONLY = new Set(['thinking', 'redacted_thinking', 'server_tool_use', 'tool_use']);

/** The API's error message for the first problem found, or undefined when the body passes. */
export function invalidMessagesBody(body: Record<string, unknown> & { messages: unknown[] }): string | undefined {
  return (
    checkThinking(body.thinking, body.max_tokens) ??
    checkTools(body.tools) ??
    checkMessages(body.messages) ??
    checkToolUseDefined(body.messages, body.tools)
  );
}

function checkMessages(messages: readonly unknown[]): string | undefined {
  for (const [i, message] of messages.entries()) {
    const { role, content } = message as { role: string; content: unknown };
    if (role !== 'user' && role !== 'assistant') return `messages.${i}.role: Input should be 'user' or 'assistant'`;
    if (typeof content === 'string') continue;
    if (!Array.isArray(content)) return `messages.${i}.content: Input should be a valid list`;
    for (const [j, block] of content.entries()) {
      const at = `messages.${i}.content.${j}`;
      if (!isRecord(block) || typeof block.type !== 'string') return `${at}.type: Field required`;
      if (role === 'user' && ASSISTANT_ONLY.has(block.type)) {
        return `${at}: a user message may not contain a ${block.type} block`;
      }
      const problem = BLOCK_CHECKS[block.type]?.(block);
      if (problem !== undefined) return `${at}.${block.type}.${problem}`;
    }
  }
  return undefined;
}

/** Tool use in the history needs its tool defined, as the API says (server tools included). */
function checkToolUseDefined(messages: readonly unknown[], tools: unknown): string | undefined {
  const defined = new Set(Array.isArray(tools) ? tools.map((tool) => (isRecord(tool) ? tool.name : undefined)) : []);
  for (const message of messages) {
    const { content } = message as { content: unknown };
    if (!Array.isArray(content)) continue;
    for (const block of content) {
      if (!isRecord(block)) continue;
      const used =
        block.type === 'tool_use' || block.type === 'server_tool_use' ? block.name : TOOL_OF_RESULT[String(block.type)];
      if (used !== undefined && !defined.has(used))
        return 'Requests which include tool_use or tool_result blocks must define tools.';
    }
  }
  return undefined;
}

const TOOL_OF_RESULT: Readonly<Record<string, string>> = {
  web_search_tool_result: 'web_search',
  web_fetch_tool_result: 'web_fetch',
};

function checkThinking(thinking: unknown, maxTokens: unknown): string | undefined {
  if (thinking === undefined) return undefined;
  if (!isRecord(thinking)) return 'thinking: Input should be an object';
  switch (thinking.type) {
    case 'disabled':
    case 'adaptive':
      return undefined;
    case 'enabled': {
      const budget = thinking.budget_tokens;
      if (typeof budget !== 'number' || !Number.isInteger(budget))
        return 'thinking.enabled.budget_tokens: Field required';
      if (budget < 1024) return 'thinking.enabled.budget_tokens: Input should be greater than or equal to 1024';
      if (typeof maxTokens === 'number' && budget >= maxTokens) {
        return '`max_tokens` must be greater than `thinking.budget_tokens`';
      }
      return undefined;
    }
    default:
      return "thinking.type: Input should be 'enabled', 'disabled' or 'adaptive'";
  }
}

function checkTools(tools: unknown): string | undefined {
  if (tools === undefined) return undefined;
  if (!Array.isArray(tools)) return 'tools: Input should be a valid list';
  for (const [i, tool] of tools.entries()) {
    if (!isRecord(tool) || typeof tool.name !== 'string') return `tools.${i}.name: Field required`;
    const type = tool.type;
    if (typeof type === 'string' && type.startsWith('web_search_') && tool.name !== 'web_search') {
      return `tools.${i}.name: Input should be 'web_search'`;
    }
  }
  return undefined;
}

function need(block: Record<string, unknown>, field: string, kind: 'string' | 'object' | 'any'): string | undefined {
  const value = block[field];
  if (value === undefined || value === null) return `${field}: Field required`;
  if (kind === 'string' && typeof value !== 'string') return `${field}: Input should be a valid string`;
  if (kind === 'object' && !isRecord(value)) return `${field}: Input should be a valid dictionary`;
  return undefined;
}

function nonEmpty(block: Record<string, unknown>, field: string): string | undefined {
  return block[field] === '' ? `${field}: String should have at least 1 character` : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
