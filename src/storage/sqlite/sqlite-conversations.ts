import type { Database } from 'better-sqlite3';
import type { ConversationStore, Exchange } from '../../core/ports/conversation-store.js';
import { promised } from './promised.js';

// Conversations as rows ordered by seq per channel, each channel trimmed to its newest `keep`.

interface UpsertParams {
  readonly channelId: string;
  readonly id: string;
  readonly question: string;
  readonly answer: string;
  readonly now: number;
}

export function createSqliteConversations(
  db: Database,
  options: { keep: number; now: () => number },
): ConversationStore {
  const keep = Math.max(1, options.keep);
  const load = db.prepare<[string], Exchange>(
    'SELECT exchange_id AS id, question, answer FROM conversations WHERE channel_id = ? ORDER BY seq',
  );
  // A new exchange takes the channel's next seq; one already there keeps its seq (its position).
  const upsert = db.prepare<[UpsertParams]>(`
    INSERT INTO conversations (channel_id, exchange_id, seq, question, answer, updated_at)
    VALUES (@channelId, @id,
            (SELECT COALESCE(MAX(seq), 0) + 1 FROM conversations WHERE channel_id = @channelId),
            @question, @answer, @now)
    ON CONFLICT (channel_id, exchange_id) DO UPDATE
      SET question = excluded.question, answer = excluded.answer, updated_at = excluded.updated_at`);
  const trim = db.prepare<[{ channelId: string; keep: number }]>(`
    DELETE FROM conversations
    WHERE channel_id = @channelId
      AND seq NOT IN (SELECT seq FROM conversations WHERE channel_id = @channelId ORDER BY seq DESC LIMIT @keep)`);
  const remove = db.prepare<[string, string]>('DELETE FROM conversations WHERE channel_id = ? AND exchange_id = ?');
  const clear = db.prepare<[string]>('DELETE FROM conversations WHERE channel_id = ?');

  const upsertAndTrim = db.transaction((channelId: string, exchange: Exchange) => {
    const { id, question, answer } = exchange;
    upsert.run({ channelId, id, question, answer, now: options.now() });
    trim.run({ channelId, keep });
  });

  return {
    load: (channelId) => promised(() => load.all(channelId)),
    upsert: (channelId, exchange) => promised(() => upsertAndTrim(channelId, exchange)),
    remove: (channelId, id) => promised(() => void remove.run(channelId, id)),
    clear: (channelId) => promised(() => clear.run(channelId).changes),
  };
}
