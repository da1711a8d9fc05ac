import { missingArgument, SlackApiError } from './api-errors.js';

/** The arguments of one call, as sent form-encoded (the WebClient's way) or as JSON. */
export type Params = Readonly<Record<string, unknown>>;

/**
 * The WebClient form-encodes every call and JSON-encodes objects and arrays inside it
 * (`serializeBody` in @slack/web-api), so `blocks`, `chunks`, `metadata` arrive as JSON text.
 */
const JSON_FORM_FIELDS = new Set(['blocks', 'chunks', 'metadata', 'attachments', 'loading_messages', 'prompts']);

export function parseForm(raw: string): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    params[key] = JSON_FORM_FIELDS.has(key) ? parseJsonField(key, value) : value;
  }
  return params;
}

function parseJsonField(key: string, value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw new SlackApiError(key === 'blocks' ? 'invalid_blocks_format' : `invalid_${key}`);
  }
}

export function optionalString(params: Params, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new SlackApiError('invalid_arguments', {
    response_metadata: { messages: [`[ERROR] expected string for field: ${name}`] },
  });
}

export function requiredString(params: Params, name: string): string {
  const value = optionalString(params, name);
  if (value === undefined) throw missingArgument(name);
  return value;
}

/** An array argument (already parsed from form JSON, or a JSON body's own array). */
export function optionalArray(params: Params, name: string, error: string): unknown[] | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new SlackApiError(error);
  return value as unknown[];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
