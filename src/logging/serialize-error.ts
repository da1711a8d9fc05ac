import type { Mask } from './mask-secrets.js';

// How an error appears in the log: a short allowlist of fields, never the request body or headers
// that platform errors carry (Discord's errors hold the request URL with the interaction token and
// the JSON body with the user's text). The message is printed once; the causes follow as a short
// list, a cause that only repeats a message already shown reduced to its class name.

export interface SerializedError {
  name: string;
  message: string;
  /** The core's classification: a platform error's kind, a model error's failure. */
  kind?: string;
  failure?: string;
  /** Discord's JSON code or Node's error code. */
  code?: string | number;
  status?: number;
  method?: string;
  url?: string;
  /** The error body's type, e.g. Anthropic's `overloaded_error`. */
  type?: string;
  requestId?: string;
  causes?: string[];
  /** Only for errors nobody classified: a bug needs its stack. */
  stack?: string;
}

// Deep enough for SDK error → fetch error → socket error; a longer (or cyclic) chain is cut.
const MAX_CHAIN = 6;

type Fields = Omit<SerializedError, 'name' | 'message' | 'causes' | 'stack'>;

export function createErrorSerializer(mask: Mask): (value: unknown) => SerializedError {
  return (value) => {
    if (!(value instanceof Error)) return { name: typeof value, message: mask(describe(value)) };
    const chain = causeChain(value);
    const fields = firstFields(chain, mask);
    const serialized: SerializedError = { name: value.name, message: mask(value.message), ...fields };
    const causes = summarizeCauses(chain, mask);
    if (causes.length > 0) serialized.causes = causes;
    if (Object.keys(fields).length === 0 && value.stack !== undefined) serialized.stack = mask(value.stack);
    return serialized;
  };
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return Object.prototype.toString.call(value);
}

function causeChain(error: Error): Error[] {
  const chain: Error[] = [error];
  let next: unknown = error.cause;
  while (next instanceof Error && chain.length < MAX_CHAIN && !chain.includes(next)) {
    chain.push(next);
    next = next.cause;
  }
  return chain;
}

// What each kept field reads from an error; nothing else of it is ever logged.
const READERS: { readonly [K in keyof Fields]-?: (raw: Record<string, unknown>) => Fields[K] } = {
  kind: (raw) => text(raw['kind']),
  failure: (raw) => text(raw['failure']),
  code: (raw) => text(raw['code']) ?? (typeof raw['code'] === 'number' ? raw['code'] : undefined),
  status: (raw) => (typeof raw['status'] === 'number' ? raw['status'] : undefined),
  method: (raw) => text(raw['method']),
  url: (raw) => text(raw['url']),
  type: (raw) => text(raw['type']),
  requestId: (raw) => text(raw['requestID']) ?? text(raw['requestId']),
};

// Each field from the first error along the chain that has it: a core error wraps the platform's,
// which knows the status and the route.
function firstFields(chain: readonly Error[], mask: Mask): Fields {
  const fields: Record<string, string | number> = {};
  for (const [name, read] of Object.entries(READERS)) {
    for (const error of chain) {
      const value = read(error as unknown as Record<string, unknown>);
      if (value === undefined) continue;
      fields[name] = typeof value === 'string' ? mask(value) : value;
      break;
    }
  }
  return fields;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function summarizeCauses(chain: readonly Error[], mask: Mask): string[] {
  const shown = new Set([chain[0]?.message]);
  return chain.slice(1).map((cause) => {
    if (cause.message === '' || shown.has(cause.message)) return cause.name;
    shown.add(cause.message);
    return mask(`${cause.name}: ${cause.message}`);
  });
}
