import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import type { StreamingReplies, StreamingReply } from '../../core/ports/storage.js';
import { promised } from './promised.js';

// Streaming replies as one row per answer; message ids as a JSON array.

interface ReplyRow {
  readonly answerId: string;
  readonly channelId: string;
  readonly locators: string;
  readonly owner: string;
  readonly startedAt: number;
}

const locatorsSchema = z.array(z.string());

export function createSqliteStreaming(db: Database): StreamingReplies {
  const put = db.prepare<[ReplyRow]>(`
    INSERT INTO streaming_replies (answer_id, channel_id, locators, owner, started_at)
    VALUES (@answerId, @channelId, @locators, @owner, @startedAt)
    ON CONFLICT (answer_id) DO UPDATE SET
      channel_id = excluded.channel_id,
      locators = excluded.locators,
      owner = excluded.owner,
      started_at = excluded.started_at`);
  const remove = db.prepare<[string]>('DELETE FROM streaming_replies WHERE answer_id = ?');
  // rowid breaks ties in the order first put: an update keeps a row's rowid.
  const list = db.prepare<[], ReplyRow>(`
    SELECT answer_id AS answerId, channel_id AS channelId, locators AS locators,
           owner, started_at AS startedAt
    FROM streaming_replies ORDER BY started_at, rowid`);

  return {
    put: (reply) => promised(() => void put.run({ ...reply, locators: JSON.stringify(reply.locators) })),
    remove: (answerId) => promised(() => void remove.run(answerId)),
    list: () => promised(() => list.all().map(replyOf)),
  };
}

function replyOf(row: ReplyRow): StreamingReply {
  return { ...row, locators: locatorsSchema.parse(JSON.parse(row.locators)) };
}
