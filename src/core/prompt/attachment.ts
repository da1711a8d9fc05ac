// A file that came with a question, as the platform describes it before anything is downloaded.

export interface QuestionAttachment {
  readonly name: string;
  /** The content type the platform tells; null when it tells none. */
  readonly contentType: string | null;
  /** Its size in bytes, as the platform tells it (checked before any download). */
  readonly size: number;
  /** Pixels, for images, when the platform tells them (Claude refuses an image too large on a side). */
  readonly width?: number | null | undefined;
  readonly height?: number | null | undefined;
  /** Downloads it (through the platform's trusted fetcher); rejects when it cannot. */
  load(signal: AbortSignal): Promise<Uint8Array>;
}
