import { Collection, MessageReferenceType } from 'discord.js';
import type { Attachment, Message } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { AttachmentDownloadError } from '../../../../src/core/prompt/attachment-problem.js';
import type { FetchAttachment } from '../../../../src/platforms/shared/attachment-fetcher.js';
import { messageAttachments } from '../../../../src/platforms/discord/message-attachments.js';

const BOT_ID = '100000000000000001';

function attachment(name: string, extra: Partial<Attachment> = {}): Attachment {
  const fields = {
    name,
    contentType: 'image/png',
    size: 3,
    width: 1,
    height: 2,
    url: `https://cdn.discordapp.com/${name}`,
  };
  return { ...fields, ...extra } as unknown as Attachment;
}

const files = (...list: Attachment[]) => new Collection(list.map((file) => [file.name, file]));

interface Stub {
  readonly attachments?: Attachment[];
  readonly reference?: { messageId?: string; type: MessageReferenceType } | null;
  readonly fetchReference?: () => Promise<Message>;
}

// Only what messageAttachments reads of a discord.js Message.
function message(stub: Stub): Message {
  return {
    attachments: files(...(stub.attachments ?? [])),
    reference: stub.reference ?? null,
    fetchReference: stub.fetchReference ?? (() => Promise.reject(new Error('no reference'))),
    client: { user: { id: BOT_ID } },
  } as unknown as Message;
}

const repliedTo = (authorId: string, ...list: Attachment[]) =>
  ({ author: { id: authorId }, attachments: files(...list) }) as unknown as Message;

const reply = { messageId: '300000000000000001', type: MessageReferenceType.Default };
const never: FetchAttachment = () => Promise.reject(new Error('not downloaded here'));

describe('messageAttachments', () => {
  it('describes the message’s files as Discord tells them, without downloading', async () => {
    const [described] = await messageAttachments(message({ attachments: [attachment('a.png')] }), never);
    expect(described).toMatchObject({ name: 'a.png', contentType: 'image/png', size: 3, width: 1, height: 2 });
  });

  it('adds the files of a replied-to message of someone else, after the message’s own', async () => {
    const asked = message({
      attachments: [attachment('own.png')],
      reference: reply,
      fetchReference: () => Promise.resolve(repliedTo('200000000000000002', attachment('theirs.pdf'))),
    });
    expect((await messageAttachments(asked, never)).map((file) => file.name)).toEqual(['own.png', 'theirs.pdf']);
  });

  it('leaves out the files of the bot’s own message, of a forward, and of a message that is gone', async () => {
    const toBot = message({
      reference: reply,
      fetchReference: () => Promise.resolve(repliedTo(BOT_ID, attachment('x.png'))),
    });
    const forward = message({
      reference: { ...reply, type: MessageReferenceType.Forward },
      fetchReference: () => Promise.resolve(repliedTo('200000000000000002', attachment('y.png'))),
    });
    const gone = message({ reference: reply, fetchReference: () => Promise.reject(new Error('Unknown Message')) });
    expect(await messageAttachments(toBot, never)).toEqual([]);
    expect(await messageAttachments(forward, never)).toEqual([]);
    expect(await messageAttachments(gone, never)).toEqual([]);
  });

  it('loads through the fetcher with the file’s URL and the signal', async () => {
    const calls: Array<[string, AbortSignal | undefined]> = [];
    const fetch: FetchAttachment = (url, signal) => {
      calls.push([url, signal]);
      return Promise.resolve({ bytes: Buffer.from('hi'), contentType: 'text/plain' });
    };
    const [file] = await messageAttachments(message({ attachments: [attachment('a.txt')] }), fetch);
    const signal = new AbortController().signal;
    expect(Buffer.from((await file?.load(signal)) ?? []).toString()).toBe('hi');
    expect(calls).toEqual([['https://cdn.discordapp.com/a.txt', signal]]);
  });

  it('rejects with the fetcher’s typed failure, any other error as a network failure', async () => {
    const failing =
      (error: Error): FetchAttachment =>
      () =>
        Promise.reject(error);
    const loadWith = async (error: Error) => {
      const [file] = await messageAttachments(message({ attachments: [attachment('a.png')] }), failing(error));
      return file?.load(new AbortController().signal).catch((rejected: unknown) => rejected);
    };
    const status = await loadWith(new AttachmentDownloadError('http_status', 'the server answered 403', 403));
    expect(status).toBeInstanceOf(AttachmentDownloadError);
    expect(status).toMatchObject({ failure: 'http_status', status: 403 });
    expect(await loadWith(new AttachmentDownloadError('untrusted_host', 'nope'))).toMatchObject({
      failure: 'untrusted_host',
    });
    expect(await loadWith(new AttachmentDownloadError('timeout', 'slow'))).toMatchObject({ failure: 'timeout' });
    expect(await loadWith(new TypeError('fetch failed'))).toMatchObject({ failure: 'network' });
  });
});
