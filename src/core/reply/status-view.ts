// Where a status line goes on the live message: under the text so far, or alone before any text.
// It is dropped rather than cut when text and line together would pass the message limit: the text
// is what matters, and the status is gone as soon as more text comes anyway.

export function withStatus(live: string, status: string | null, limit: number): string {
  if (status === null) return live;
  if (live === '') return status.length <= limit ? status : '';
  const both = `${live}\n\n${status}`;
  return both.length <= limit ? both : live;
}
