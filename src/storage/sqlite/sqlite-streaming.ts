import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import type { StreamingReplies, StreamingReply } from '../../core/storage.js';

// Streaming replies as one row per answer; message ids as a JSON array.

interface ReplyRow {
  readonly answerId: string;
  readonly channelId: string;
  readonly messageIds: string;
  readonly interactionToken: string | null;
  readonly owner: string;
  readonly startedAt: number;
}

const messageIdsSchema = z.array(z.string());

export function createSqliteStreaming(db: Database): StreamingReplies {
  const put = db.prepare<[ReplyRow]>(`
    INSERT INTO streaming_replies (answer_id, channel_id, message_ids, interaction_token, owner, started_at)
    VALUES (@answerId, @channelId, @messageIds, @interactionToken, @owner, @startedAt)
    ON CONFLICT (answer_id) DO UPDATE SET
      channel_id = excluded.channel_id,
      message_ids = excluded.message_ids,
      interaction_token = excluded.interaction_token,
      owner = excluded.owner,
      started_at = excluded.started_at`);
  const remove = db.prepare<[string]>('DELETE FROM streaming_replies WHERE answer_id = ?');
  // rowid breaks ties in the order first put: an update keeps a row's rowid.
  const list = db.prepare<[], ReplyRow>(`
    SELECT answer_id AS answerId, channel_id AS channelId, message_ids AS messageIds,
           interaction_token AS interactionToken, owner, started_at AS startedAt
    FROM streaming_replies ORDER BY started_at, rowid`);

  return {
    put(reply) {
      put.run({ ...reply, messageIds: JSON.stringify(reply.messageIds) });
      return Promise.resolve();
    },
    remove(answerId) {
      remove.run(answerId);
      return Promise.resolve();
    },
    list: () => Promise.resolve(list.all().map(replyOf)),
  };
}

function replyOf(row: ReplyRow): StreamingReply {
  return { ...row, messageIds: messageIdsSchema.parse(JSON.parse(row.messageIds)) };
}
