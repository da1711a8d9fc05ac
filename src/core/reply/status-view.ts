import type { Control, MessageView } from './message-view.js';

// Where a status line goes on the live message: under the text so far, or alone before any text.
// It is dropped rather than cut when text and line together would pass the message limit: the text
// is what matters, and the status is gone as soon as more text comes anyway.

export function withStatus(live: string, status: string | null, limit: number): string {
  if (status === null) return live;
  if (live === '') return status.length <= limit ? status : '';
  const both = `${live}\n\n${status}`;
  return both.length <= limit ? both : live;
}

/** The live message's view: `withStatus`'s content, with the status named when it is shown. */
export function statusView(
  live: string,
  status: string | null,
  limit: number,
  controls: readonly Control[],
): MessageView {
  const content = withStatus(live, status, limit);
  return status === null || content === live ? { content, controls } : { content, controls, status };
}
