import { MessageReferenceType } from 'discord.js';
import type { Attachment, Message } from 'discord.js';
import type { QuestionAttachment } from '../../core/prompt/attachment.js';
import { AttachmentDownloadError } from '../../core/prompt/attachment-problem.js';
import type { FetchAttachment } from '../shared/attachment-fetcher.js';

// The files a question comes with: the message's own, then those of the message it replies to when
// that is someone's message rather than one of the bot's answers (a reply to an answer continues
// the conversation; part of the threads feature). Nothing is downloaded here: each file is described
// as Discord tells it (name, type, size, pixels) and loads through the one trusted fetcher when the
// answer runs. The file picked for /ask's `file` option goes the same way.

export async function messageAttachments(message: Message, fetch: FetchAttachment): Promise<QuestionAttachment[]> {
  const files = [...message.attachments.values(), ...(await repliedToAttachments(message))];
  return files.map((file) => questionAttachment(file, fetch));
}

/** The file picked for a command's attachment option, as the core sees it; null when none. */
export function attachmentOption(file: Attachment | null, fetch: FetchAttachment): QuestionAttachment | null {
  return file === null ? null : questionAttachment(file, fetch);
}

async function repliedToAttachments(message: Message): Promise<Attachment[]> {
  const { reference } = message;
  if (reference?.messageId === undefined || reference.type !== MessageReferenceType.Default) return [];
  try {
    // discord.js cached the message Discord nested in the payload; fetched once only when it did not.
    const repliedTo = await message.fetchReference();
    return repliedTo.author.id === message.client.user.id ? [] : [...repliedTo.attachments.values()];
  } catch {
    // Deleted meanwhile, or out of reach: the question goes with its own files.
    return [];
  }
}

function questionAttachment(file: Attachment, fetch: FetchAttachment): QuestionAttachment {
  return {
    name: file.name,
    contentType: file.contentType,
    size: file.size,
    width: file.width,
    height: file.height,
    async load(signal) {
      try {
        return (await fetch(file.url, signal)).bytes;
      } catch (error) {
        throw downloadError(error);
      }
    },
  };
}

// The fetcher rejects with the core's typed error; anything else is a network failure.
function downloadError(error: unknown): AttachmentDownloadError {
  if (error instanceof AttachmentDownloadError) return error;
  return new AttachmentDownloadError('network', 'the download failed', undefined, { cause: error });
}
