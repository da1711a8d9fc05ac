import { AllowedMentionsTypes } from 'discord.js';
import type { APIAllowedMentions, APIEmbed, APIMessageTopLevelComponent } from 'discord.js';
import { emptyMessage, invalidFormBody } from './errors.js';

/** Discord's documented limits for message content and embeds. */
export const MAX_CONTENT_LENGTH = 2000;
const MAX_EMBEDS = 10;
const MAX_EMBED_TITLE = 256;
const MAX_EMBED_DESCRIPTION = 4096;
const MAX_EMBEDS_TOTAL = 6000;

/** The parts of a create/edit body the fake understands; undefined means "not sent". */
export interface MessageBody {
  readonly content: string | undefined;
  readonly embeds: APIEmbed[] | undefined;
  readonly components: APIMessageTopLevelComponent[] | undefined;
  readonly allowedMentions: APIAllowedMentions | undefined;
  readonly reference: { readonly messageId: string; readonly failIfNotExists: boolean } | undefined;
  readonly flags: number | undefined;
  /** Attachments, stickers or a poll: things that make a message non-empty without content. */
  readonly hasOtherContent: boolean;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses and validates the fields Discord validates before it looks at anything else. */
export function readMessageBody(body: unknown): MessageBody {
  const record = isRecord(body) ? body : {};
  const content = readContent(record['content']);
  const embeds = readEmbeds(record['embeds']);
  const components = readComponents(record['components']);
  return {
    content,
    embeds,
    components,
    allowedMentions: readAllowedMentions(record['allowed_mentions']),
    reference: readReference(record['message_reference']),
    flags: typeof record['flags'] === 'number' ? record['flags'] : undefined,
    hasOtherContent:
      nonEmptyArray(record['attachments']) || nonEmptyArray(record['sticker_ids']) || isRecord(record['poll']),
  };
}

/**
 * The 50006 check, on the message as it would look after the request: an edit that sends only
 * embeds keeps the old content, an edit that blanks the content of an embed-less message fails.
 */
export function assertNotEmpty(
  content: string,
  embeds: readonly APIEmbed[],
  components: readonly APIMessageTopLevelComponent[],
  hasOtherContent: boolean,
): void {
  if (content.trim() === '' && embeds.length === 0 && components.length === 0 && !hasOtherContent) {
    throw emptyMessage();
  }
}

function readContent(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (value === null) return '';
  if (typeof value !== 'string') {
    throw invalidFormBody(['content'], { code: 'BASE_TYPE_STRING', message: 'Could not interpret value as string.' });
  }
  // UTF-16 units, the stricter of the two counts Discord might use (it does not say which).
  if (value.length > MAX_CONTENT_LENGTH) {
    throw invalidFormBody(['content'], {
      code: 'BASE_TYPE_MAX_LENGTH',
      message: `Must be ${MAX_CONTENT_LENGTH} or fewer in length.`,
    });
  }
  return value;
}

function readEmbeds(value: unknown): APIEmbed[] | undefined {
  if (value === undefined || value === null) return undefined;
  const embeds = Array.isArray(value) ? value.filter(isEmbed) : [];
  if (embeds.length > MAX_EMBEDS) {
    throw invalidFormBody(['embeds'], {
      code: 'BASE_TYPE_MAX_LENGTH',
      message: `Must be ${MAX_EMBEDS} or fewer in length.`,
    });
  }
  embeds.forEach(checkEmbedFields);
  if (embeds.reduce((total, embed) => total + embedSize(embed), 0) > MAX_EMBEDS_TOTAL) {
    throw invalidFormBody(['embeds'], {
      code: 'MAX_EMBED_SIZE_EXCEEDED',
      message: `Embed size exceeds maximum size of ${MAX_EMBEDS_TOTAL}`,
    });
  }
  return embeds;
}

function checkEmbedFields(embed: APIEmbed, index: number): void {
  const tooLong = (field: 'title' | 'description', max: number): void => {
    if ((embed[field]?.length ?? 0) > max) {
      throw invalidFormBody(['embeds', String(index), field], {
        code: 'BASE_TYPE_MAX_LENGTH',
        message: `Must be ${max} or fewer in length.`,
      });
    }
  };
  tooLong('title', MAX_EMBED_TITLE);
  tooLong('description', MAX_EMBED_DESCRIPTION);
}

/** Characters that count towards the 6000 total; read defensively, the embed is client input. */
function embedSize(embed: APIEmbed): number {
  const length = (value: unknown): number => (typeof value === 'string' ? value.length : 0);
  const fields: unknown[] = Array.isArray(embed.fields) ? embed.fields : [];
  return (
    length(embed.title) +
    length(embed.description) +
    length(embed.footer?.text) +
    length(embed.author?.name) +
    fields.reduce<number>(
      (sum, field) => sum + (isRecord(field) ? length(field['name']) + length(field['value']) : 0),
      0,
    )
  );
}

function readAllowedMentions(value: unknown): APIAllowedMentions | undefined {
  if (!isRecord(value)) return undefined;
  const strings = (list: unknown): string[] =>
    Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string') : [];
  const parse = value['parse'];
  return {
    ...(Array.isArray(parse) ? { parse: parse.filter(isAllowedMentionsType) } : {}),
    ...(Array.isArray(value['users']) ? { users: strings(value['users']) } : {}),
    ...(Array.isArray(value['roles']) ? { roles: strings(value['roles']) } : {}),
    ...(typeof value['replied_user'] === 'boolean' ? { replied_user: value['replied_user'] } : {}),
  };
}

function readReference(value: unknown): MessageBody['reference'] {
  if (!isRecord(value) || typeof value['message_id'] !== 'string') return undefined;
  // Discord's default is to fail when the referenced message does not exist.
  return { messageId: value['message_id'], failIfNotExists: value['fail_if_not_exists'] !== false };
}

function isAllowedMentionsType(value: unknown): value is AllowedMentionsTypes {
  return Object.values<unknown>(AllowedMentionsTypes).includes(value);
}

/** Checks the fields the fake reads; the rest is stored and echoed back untouched. */
function isEmbed(value: unknown): value is APIEmbed {
  if (!isRecord(value)) return false;
  const optionalString = (key: string): boolean => value[key] === undefined || typeof value[key] === 'string';
  return optionalString('title') && optionalString('description');
}

/** Absent keeps the message's components on an edit; null, like [], takes them off. */
function readComponents(value: unknown): APIMessageTopLevelComponent[] | undefined {
  if (value === null) return [];
  return Array.isArray(value) ? value.filter(isComponent) : undefined;
}

function isComponent(value: unknown): value is APIMessageTopLevelComponent {
  return isRecord(value) && typeof value['type'] === 'number';
}

function nonEmptyArray(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0;
}
