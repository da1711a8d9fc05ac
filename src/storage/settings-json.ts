import { z } from 'zod';
import type { ScopeSettings } from '../core/ports/storage.js';

// Settings as stored by SQLite and Redis: one JSON object per scope. What is read back is checked,
// since a row edited by hand or written by another version must not reach the answer path as
// settings of the wrong shape: a value that is not valid settings reads as nothing set ({}).

const ids = z.array(z.string()).exactOptional();

const settingsSchema = z.object({
  persona: z.string().exactOptional(),
  model: z.string().exactOptional(),
  maxTokens: z.int().positive().exactOptional(),
  access: z
    .object({ allowedChannelIds: ids, allowedRoleIds: ids, allowedUserIds: ids, blockedUserIds: ids })
    .exactOptional(),
}) satisfies z.ZodType<ScopeSettings>;

/** Hears of a stored value that is not valid settings (it reads as {}), to log it. */
export type OnInvalidSettings = (scope: string, error: Error) => void;

export function settingsToJson(settings: ScopeSettings): string {
  return JSON.stringify(settings);
}

/** The settings `json` holds; {} when it is absent, or `onInvalid` and {} when it is not valid settings. */
export function settingsFromJson(json: string | null | undefined, onInvalid: (error: Error) => void): ScopeSettings {
  if (json === null || json === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    onInvalid(error instanceof Error ? error : new Error(String(error)));
    return {};
  }
  const parsed = settingsSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  onInvalid(parsed.error);
  return {};
}
