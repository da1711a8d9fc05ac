import type { RawData } from 'ws';

// What the fakes' websocket servers (Discord's gateway, Slack's Socket Mode) make of a text frame: its
// JSON, or undefined for a binary frame or text that is not JSON.

export function jsonFrame(data: RawData, isBinary: boolean): unknown {
  if (isBinary) return undefined;
  try {
    return JSON.parse(rawToString(data)) as unknown;
  } catch {
    return undefined;
  }
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return Buffer.from(data).toString('utf8');
}
