// The schema as the ordered steps that build it: step N takes a database from version N-1 to N.
// A released step is never edited; a change is a new step appended here, so every database, however
// old, ends at the same schema.

export const SQLITE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE conversations (
    channel_id  TEXT    NOT NULL,
    exchange_id TEXT    NOT NULL,
    -- Order within the channel: a replaced exchange keeps its seq, a new one takes max + 1.
    seq         INTEGER NOT NULL,
    question    TEXT    NOT NULL,
    answer      TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (channel_id, exchange_id)
  );
  CREATE UNIQUE INDEX conversations_by_seq ON conversations (channel_id, seq);

  CREATE TABLE usage_counters (
    key            TEXT    PRIMARY KEY,
    input          INTEGER NOT NULL DEFAULT 0,
    output         INTEGER NOT NULL DEFAULT 0,
    cache_read     INTEGER NOT NULL DEFAULT 0,
    cache_creation INTEGER NOT NULL DEFAULT 0
  );

  CREATE TABLE streaming_replies (
    answer_id  TEXT    PRIMARY KEY,
    channel_id TEXT    NOT NULL,
    locators   TEXT    NOT NULL, -- JSON array: where the platform finds each message, in order
    owner      TEXT    NOT NULL,
    started_at INTEGER NOT NULL
  );
  `,
  // 2: rankings for /usage, request windows for rate limits, and what admins set with /config.
  `
  CREATE TABLE usage_rankings (
    ranking TEXT NOT NULL,
    member  TEXT NOT NULL,
    score   NUMERIC NOT NULL,
    PRIMARY KEY (ranking, member)
  );
  CREATE INDEX usage_rankings_by_score ON usage_rankings (ranking, score);

  CREATE TABLE request_windows (
    key          TEXT    PRIMARY KEY, -- one row per key: its current window
    window_start INTEGER NOT NULL,
    count        INTEGER NOT NULL,
    -- When the window ends: keys have windows of different lengths, so this is what tells any row
    -- that it is over and can go.
    resets_at    INTEGER NOT NULL
  );
  CREATE INDEX request_windows_by_end ON request_windows (resets_at);

  CREATE TABLE scope_settings (
    scope TEXT PRIMARY KEY,
    value TEXT NOT NULL -- JSON object: the ScopeSettings set, absent fields left out
  );
  `,
  // 3: what an exchange keeps beyond its text: Claude's answer blocks, the exchange it follows (a
  // branch) and its reply's message ids.
  `
  ALTER TABLE conversations ADD COLUMN answer_blocks TEXT; -- JSON array, NULL: the answer is text only
  ALTER TABLE conversations ADD COLUMN parent_id TEXT;     -- NULL: follows the exchange stored before it
  ALTER TABLE conversations ADD COLUMN reply_ids TEXT;     -- JSON array of message ids, NULL: none known
  `,
];
