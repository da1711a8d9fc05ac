// better-sqlite3 is synchronous and throws: SQLITE_BUSY while another process holds the write lock
// past the busy timeout, or a database already closed. Every SQLite storage call goes through this,
// so such a throw reaches the caller as a rejected promise, never as an exception out of a call that
// callers treat as asynchronous.

export function promised<T>(call: () => T): Promise<T> {
  return new Promise((resolve) => resolve(call()));
}
