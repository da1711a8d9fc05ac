/** The replies of a MULTI … EXEC, throwing the first command's error if any failed. */
export function transactionResults(replies: [error: Error | null, result: unknown][] | null): unknown[] {
  // EXEC answers null only when a WATCHed key changed, and nothing here WATCHes.
  if (!replies) throw new Error('A Redis transaction was discarded');
  return replies.map(([error, result]) => {
    if (error) throw error;
    return result;
  });
}
