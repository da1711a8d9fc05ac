import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { readBody } from './api-server.js';
import { isRecord } from './params.js';
import type { MessageContent, ResponseUrlPost, StoredSlackMessage } from './types.js';
import type { ChannelRecord, Workspace } from './workspace.js';

export const RESPONSE_PATH = '/respond/';

interface Target {
  envelopeId: string;
  readonly channel: ChannelRecord;
  /** The message a button was on: `replace_original` / `delete_original` act on it. */
  readonly message: StoredSlackMessage | undefined;
}

export interface ResponseUrlOptions {
  readonly workspace: Workspace;
  readonly onPost: (post: ResponseUrlPost) => void;
  readonly onMessage: (kind: 'posted' | 'updated' | 'deleted', message: StoredSlackMessage) => void;
}

/**
 * The `response_url`s of slash commands and button presses: each records what is POSTed to it
 * (JSON), and acts like Slack: `response_type: 'in_channel'` posts to the channel, a button's
 * `replace_original` / `delete_original` change the message it was on; ephemeral replies are only recorded.
 */
export class ResponseUrls {
  readonly #options: ResponseUrlOptions;
  readonly #targets = new Map<string, Target>();

  constructor(options: ResponseUrlOptions) {
    this.#options = options;
  }

  /** A new URL for one command or press; `bind` ties it to the envelope once that is sent. */
  create(
    origin: string,
    channel: ChannelRecord,
    message?: StoredSlackMessage,
  ): { url: string; bind: (envelopeId: string) => void } {
    const id = randomBytes(12).toString('hex');
    const target: Target = { envelopeId: '', channel, message };
    this.#targets.set(id, target);
    return { url: `${origin}${RESPONSE_PATH}${id}`, bind: (envelopeId) => (target.envelopeId = envelopeId) };
  }

  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const target = this.#targets.get(path.slice(RESPONSE_PATH.length));
    const raw = await readBody(req);
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      body = undefined;
    }
    if (target === undefined || req.method !== 'POST' || !isRecord(body)) {
      res.writeHead(target === undefined ? 404 : 400, { 'Content-Type': 'text/plain' });
      res.end(target === undefined ? 'invalid_token' : 'invalid_payload');
      return;
    }
    this.#apply(target, body);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ ok: true }));
    this.#options.onPost({ envelopeId: target.envelopeId, body: structuredClone(body), at: performance.now() });
  }

  #apply(target: Target, body: Record<string, unknown>): void {
    const content: MessageContent = {
      text: typeof body['text'] === 'string' ? body['text'] : undefined,
      markdownText: undefined,
      blocks: Array.isArray(body['blocks']) ? (body['blocks'] as unknown[]) : undefined,
    };
    const { message } = target;
    if (message !== undefined && body['delete_original'] === true) {
      message.deleted = true;
      this.#options.onMessage('deleted', message);
    } else if (message !== undefined && body['replace_original'] === true) {
      message.content = content;
      message.edits.push(content);
      this.#options.onMessage('updated', message);
    } else if (body['response_type'] === 'in_channel') {
      const threadTs = typeof body['thread_ts'] === 'string' ? body['thread_ts'] : undefined;
      const posted = this.#options.workspace.addMessage(target.channel, { threadTs, user: undefined, content });
      this.#options.onMessage('posted', posted);
    }
  }
}
