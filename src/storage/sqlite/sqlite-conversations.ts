import type { Database } from 'better-sqlite3';
import type { ConversationStore, Exchange } from '../../core/ports/conversation-store.js';
import type { ProviderBlock } from '../../core/ports/model.js';
import { promised } from './promised.js';

// Conversations as rows ordered by seq per channel, each channel trimmed to its newest `keep`.

interface UpsertParams {
  readonly channelId: string;
  readonly id: string;
  readonly question: string;
  readonly answer: string;
  readonly answerBlocks: string | null;
  readonly parentId: string | null;
  readonly replyIds: string | null;
  readonly now: number;
}

interface ExchangeRow {
  readonly id: string;
  readonly question: string;
  readonly answer: string;
  readonly answerBlocks: string | null;
  readonly parentId: string | null;
  readonly replyIds: string | null;
}

// Optional fields are NULL columns, left out of the exchange when read back.
function fromRow(row: ExchangeRow): Exchange {
  const { id, question, answer } = row;
  return {
    id,
    question,
    answer,
    ...(row.answerBlocks === null ? {} : { answerBlocks: JSON.parse(row.answerBlocks) as ProviderBlock[] }),
    ...(row.parentId === null ? {} : { parentId: row.parentId }),
    ...(row.replyIds === null ? {} : { replyIds: JSON.parse(row.replyIds) as string[] }),
  };
}

function toParams(channelId: string, exchange: Exchange, now: number): UpsertParams {
  const { id, question, answer } = exchange;
  return {
    channelId,
    id,
    question,
    answer,
    answerBlocks: exchange.answerBlocks ? JSON.stringify(exchange.answerBlocks) : null,
    parentId: exchange.parentId ?? null,
    replyIds: exchange.replyIds ? JSON.stringify(exchange.replyIds) : null,
    now,
  };
}

export function createSqliteConversations(
  db: Database,
  options: { keep: number; now: () => number },
): ConversationStore {
  const keep = Math.max(1, options.keep);
  const load = db.prepare<[string], ExchangeRow>(`
    SELECT exchange_id AS id, question, answer, answer_blocks AS answerBlocks, parent_id AS parentId,
           reply_ids AS replyIds
    FROM conversations WHERE channel_id = ? ORDER BY seq`);
  // A new exchange takes the channel's next seq; one already there keeps its seq (its position).
  const upsert = db.prepare<[UpsertParams]>(`
    INSERT INTO conversations
      (channel_id, exchange_id, seq, question, answer, answer_blocks, parent_id, reply_ids, updated_at)
    VALUES (@channelId, @id,
            (SELECT COALESCE(MAX(seq), 0) + 1 FROM conversations WHERE channel_id = @channelId),
            @question, @answer, @answerBlocks, @parentId, @replyIds, @now)
    ON CONFLICT (channel_id, exchange_id) DO UPDATE
      SET question = excluded.question, answer = excluded.answer, answer_blocks = excluded.answer_blocks,
          parent_id = excluded.parent_id, reply_ids = excluded.reply_ids, updated_at = excluded.updated_at`);
  const trim = db.prepare<[{ channelId: string; keep: number }]>(`
    DELETE FROM conversations
    WHERE channel_id = @channelId
      AND seq NOT IN (SELECT seq FROM conversations WHERE channel_id = @channelId ORDER BY seq DESC LIMIT @keep)`);
  const remove = db.prepare<[string, string]>('DELETE FROM conversations WHERE channel_id = ? AND exchange_id = ?');
  const clear = db.prepare<[string]>('DELETE FROM conversations WHERE channel_id = ?');

  const upsertAndTrim = db.transaction((channelId: string, exchange: Exchange) => {
    upsert.run(toParams(channelId, exchange, options.now()));
    trim.run({ channelId, keep });
  });

  return {
    load: (channelId) => promised(() => load.all(channelId).map(fromRow)),
    upsert: (channelId, exchange) => promised(() => upsertAndTrim(channelId, exchange)),
    remove: (channelId, id) => promised(() => void remove.run(channelId, id)),
    clear: (channelId) => promised(() => clear.run(channelId).changes),
  };
}
