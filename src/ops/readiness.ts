import type { Logger } from '../core/ports/logger.js';

// Whether this process is ready for its work: every gateway shard it runs connected, its storage
// answering, and not stopping. Each problem is one line for /readyz, e.g. "shard 0: connecting".

export interface Readiness {
  readonly ready: boolean;
  readonly reasons: readonly string[];
}

export interface ReadinessDeps {
  /** What keeps the gateway from being ready, one line per shard; empty when every shard is. */
  readonly gateway: () => readonly string[];
  /** Resolves once the storage has answered a trivial request. */
  readonly ping: () => Promise<void>;
  /** The process no longer takes questions (SIGTERM). */
  readonly stopping: () => boolean;
  readonly logger: Logger;
  /** How long the storage may take to answer (default 2 s): a probe must answer sooner than it times out. */
  readonly pingTimeoutMs?: number;
  /** Put before the reasons that are not the gateway's (which name their shard), e.g. "shard 1: ". */
  readonly prefix?: string;
}

const DEFAULT_PING_TIMEOUT_MS = 2000;

export function createReadinessCheck(deps: ReadinessDeps): () => Promise<Readiness> {
  const timeoutMs = deps.pingTimeoutMs ?? DEFAULT_PING_TIMEOUT_MS;
  // Logged when it starts failing and when it answers again, not at every probe.
  let storageFailing = false;

  async function storageProblem(): Promise<string | null> {
    const problem = await pingWithin(deps.ping, timeoutMs);
    if (problem !== null && !storageFailing) deps.logger.warn({ err: problem.error }, 'storage is not answering');
    if (problem === null && storageFailing) deps.logger.info('storage answers again');
    storageFailing = problem !== null;
    return problem?.reason ?? null;
  }

  return async () => {
    const storage = await storageProblem();
    const prefix = deps.prefix ?? '';
    const reasons = [
      ...(deps.stopping() ? [`${prefix}stopping`] : []),
      ...deps.gateway(),
      ...(storage === null ? [] : [`${prefix}${storage}`]),
    ];
    return { ready: reasons.length === 0, reasons };
  };
}

// The storage's error stays in the log (it may name a host); the probe only says that it failed.
async function pingWithin(
  ping: () => Promise<void>,
  timeoutMs: number,
): Promise<{ reason: string; error: unknown } | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs)));
  try {
    const outcome = await Promise.race([ping().then(() => 'answered' as const), late]);
    if (outcome === 'answered') return null;
    return { reason: `storage: no answer within ${timeoutMs} ms`, error: undefined };
  } catch (error) {
    return { reason: 'storage: not answering', error };
  } finally {
    clearTimeout(timer);
  }
}
