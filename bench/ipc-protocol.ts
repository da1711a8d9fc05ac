// The request/response shape both sides of a bench child process agree on. Each child serves a
// protocol: a map from command name to the payload it takes and the result it answers with.

export type Protocol = Record<string, { readonly payload: unknown; readonly result: unknown }>;

export interface IpcRequest {
  readonly id: number;
  readonly command: string;
  readonly payload: unknown;
}

export type IpcResponse =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string };

export function isIpcRequest(value: unknown): value is IpcRequest {
  return isRecord(value) && typeof value['id'] === 'number' && typeof value['command'] === 'string';
}

export function isIpcResponse(value: unknown): value is IpcResponse {
  return isRecord(value) && typeof value['id'] === 'number' && typeof value['ok'] === 'boolean';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
