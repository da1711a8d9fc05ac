import { randomUUID } from 'node:crypto';
import type { MetricObjectWithValues, MetricValue } from 'prom-client';
import type { Readiness } from './readiness.js';

// Under `npm run start:sharded` every shard is a process of its own, and one port serves them all:
// the sharding manager listens and asks each shard over the IPC channel discord.js set up for it (a
// shard answers in its own process: its gateway, its storage, its metrics). Messages carry a field
// discord.js never uses, so its own messages and ours pass each other by.

export type ShardMetrics = MetricObjectWithValues<MetricValue<string>>[];

type Question = { readonly streamcordHealth: 'readyz' | 'metrics'; readonly id: string };
type Reply =
  | { readonly streamcordHealth: 'readyz'; readonly id: string; readonly readiness: Readiness }
  | { readonly streamcordHealth: 'metrics'; readonly id: string; readonly metrics: ShardMetrics };

/** The shard's side of the channel: a child process's `process`. */
export interface ManagerChannel {
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
  send?: ((message: unknown) => boolean) | undefined;
}

/** In a shard: answers the manager's questions until the returned function is called. */
export function answerShardingManager(
  channel: ManagerChannel,
  answers: { readiness(): Promise<Readiness>; metrics(): Promise<ShardMetrics> },
  onError: (error: unknown) => void,
): () => void {
  const reply = async (question: Question): Promise<Reply> =>
    question.streamcordHealth === 'readyz'
      ? { streamcordHealth: 'readyz', id: question.id, readiness: await answers.readiness() }
      : { streamcordHealth: 'metrics', id: question.id, metrics: await answers.metrics() };
  const onMessage = (message: unknown) => {
    if (!isQuestion(message) || isReply(message)) return;
    reply(message)
      .then((answer) => channel.send?.(answer))
      .catch(onError);
  };
  channel.on('message', onMessage);
  return () => void channel.off('message', onMessage);
}

/** The manager's view of one shard (a discord.js Shard). */
export interface ShardChannel {
  readonly id: number;
  /** Its process, or null while it is not running (dead, being respawned). */
  readonly process: unknown;
  /** Its client said it is ready (discord.js's own message), and has not disconnected since. */
  readonly ready: boolean;
  send(message: unknown): Promise<unknown>;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}

/** In the manager: asks one shard; rejects if it does not answer within `timeoutMs`. */
export async function askShard(shard: ShardChannel, what: 'readyz', timeoutMs: number): Promise<Readiness>;
export async function askShard(shard: ShardChannel, what: 'metrics', timeoutMs: number): Promise<ShardMetrics>;
export async function askShard(
  shard: ShardChannel,
  what: Question['streamcordHealth'],
  timeoutMs: number,
): Promise<Readiness | ShardMetrics> {
  const id = randomUUID();
  let onMessage: (message: unknown) => void = () => {};
  let timer: NodeJS.Timeout | undefined;
  const answered = new Promise<Reply>((resolve, reject) => {
    onMessage = (message) => {
      if (isReply(message) && message.id === id) resolve(message);
    };
    timer = setTimeout(() => reject(new Error(`shard ${shard.id} did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  shard.on('message', onMessage);
  try {
    await shard.send({ streamcordHealth: what, id } satisfies Question);
    const reply = await answered;
    return reply.streamcordHealth === 'readyz' ? reply.readiness : reply.metrics;
  } finally {
    clearTimeout(timer);
    shard.off('message', onMessage);
  }
}

function isQuestion(message: unknown): message is Question {
  if (typeof message !== 'object' || message === null) return false;
  const { streamcordHealth, id } = message as Partial<Record<string, unknown>>;
  return (streamcordHealth === 'readyz' || streamcordHealth === 'metrics') && typeof id === 'string';
}

function isReply(message: unknown): message is Reply {
  return isQuestion(message) && ('readiness' in message || 'metrics' in message);
}
