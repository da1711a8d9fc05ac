import type { Answerer } from '../core/answer/answerer.js';

// At shutdown, running answers get the grace period to end on their own; whatever still runs then
// ends with the shutdown notice.
export async function finishRunning(answerer: Answerer, graceMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
  await Promise.race([answerer.drain(), grace]);
  clearTimeout(timer);
  answerer.abortAll({ cause: 'shutdown' });
  await answerer.drain();
}
