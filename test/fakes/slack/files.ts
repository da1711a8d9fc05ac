import type { IncomingMessage, ServerResponse } from 'node:http';
import { TEAM_ID } from './workspace.js';

export const FILES_PATH = '/files-pri/';

/** A file a user shares with a message, as the test describes it. */
export interface FakeSlackFileInput {
  readonly name: string;
  readonly mimetype: string;
  readonly bytes: Uint8Array;
  /** The size Slack announces; default the bytes' length (a test may lie to check the bot's cap). */
  readonly size?: number;
  /** Pixels, for images (Slack's `original_w` / `original_h`). */
  readonly width?: number;
  readonly height?: number;
}

/** One download of a shared file: whether it carried the bot token (else Slack serves its login page). */
export interface FileDownload {
  readonly fileId: string;
  readonly authorized: boolean;
}

interface StoredFile extends FakeSlackFileInput {
  readonly id: string;
  readonly path: string;
}

// Slack's answer to a file URL fetched without a token (or one without files:read): a 200 HTML page.
const LOGIN_PAGE = '<!DOCTYPE html><html><head><title>Slack</title></head><body>Sign in</body></html>';

/**
 * Files shared in messages: events carry Slack's file objects, and `url_private_download` is served
 * here as Slack serves it, to `Authorization: Bearer <bot token>` only; anything else gets the login page.
 */
export class SharedFiles {
  readonly #files = new Map<string, StoredFile>();
  readonly #downloads: FileDownload[] = [];
  readonly #botToken: string;
  #next = 0;
  #denied = false;

  constructor(botToken: string) {
    this.#botToken = botToken;
  }

  /** From now on the token is not enough either, as for an app without the files:read scope. */
  deny(): void {
    this.#denied = true;
  }

  get downloads(): readonly FileDownload[] {
    return [...this.#downloads];
  }

  /** Stores the files and gives the file objects an event carries. */
  share(origin: string, user: string, inputs: readonly FakeSlackFileInput[]): Record<string, unknown>[] {
    return inputs.map((input) => {
      this.#next += 1;
      const id = `F0FAKE${String(this.#next).padStart(5, '0')}`;
      const path = `${FILES_PATH}${TEAM_ID}-${id}/download/${encodeURIComponent(input.name)}`;
      this.#files.set(path, { ...input, id, path });
      return fileObject(origin, user, { ...input, id, path });
    });
  }

  handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const file = this.#files.get(path);
    if (req.method !== 'GET' || file === undefined) {
      res.writeHead(404).end();
      return Promise.resolve();
    }
    const authorized = !this.#denied && req.headers.authorization === `Bearer ${this.#botToken}`;
    this.#downloads.push({ fileId: file.id, authorized });
    if (!authorized) res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(LOGIN_PAGE);
    else res.writeHead(200, { 'content-type': file.mimetype, 'content-length': file.bytes.length }).end(file.bytes);
    return Promise.resolve();
  }
}

function fileObject(origin: string, user: string, file: StoredFile): Record<string, unknown> {
  const url = `${origin}${file.path}`;
  return {
    id: file.id,
    created: Math.floor(Date.now() / 1000),
    timestamp: Math.floor(Date.now() / 1000),
    name: file.name,
    title: file.name,
    mimetype: file.mimetype,
    filetype: file.name.split('.').pop() ?? '',
    pretty_type: file.mimetype,
    user,
    user_team: TEAM_ID,
    mode: 'hosted',
    editable: false,
    is_external: false,
    external_type: '',
    is_public: false,
    public_url_shared: false,
    display_as_bot: false,
    size: file.size ?? file.bytes.length,
    url_private: url,
    url_private_download: url,
    ...(file.width === undefined ? {} : { original_w: file.width }),
    ...(file.height === undefined ? {} : { original_h: file.height }),
    permalink: `${origin}/files/${user}/${file.id}/${encodeURIComponent(file.name)}`,
    is_starred: false,
    has_rich_preview: false,
    file_access: 'visible',
  };
}
