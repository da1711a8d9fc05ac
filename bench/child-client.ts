import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { isIpcResponse } from './ipc-protocol.js';
import type { IpcRequest, Protocol } from './ipc-protocol.js';

// The parent's end of a bench child process: typed requests over Node's IPC channel. Each bot and
// the fakes run in their own process so that one's CPU, memory and event loop never pollute the
// other's numbers.

export interface ChildOptions {
  /** The module to run. */
  readonly module: string;
  /** Node flags, e.g. ['--import', 'tsx'] for a TypeScript module. */
  readonly execArgv: readonly string[];
  readonly cwd: string;
}

export interface ChildClient<P extends Protocol> {
  readonly pid: number | undefined;
  request<K extends keyof P & string>(command: K, payload: P[K]['payload']): Promise<P[K]['result']>;
  /** Disconnects (the child exits on that) and resolves once it has exited. */
  close(): Promise<void>;
}

interface Pending {
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: Error) => void;
}

export function startChild<P extends Protocol>(options: ChildOptions): ChildClient<P> {
  const child = fork(options.module, [], {
    cwd: options.cwd,
    execArgv: [...options.execArgv],
    // Structured clone: timelines of thousands of answers cross without JSON round trips.
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let exited = false;

  child.on('message', (message: unknown) => {
    if (!isIpcResponse(message)) return;
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.ok) waiter?.resolve(message.result);
    else waiter?.reject(new Error(message.error));
  });
  child.once('exit', (code, signal) => {
    exited = true;
    const error = new Error(`bench child ${options.module} exited (code ${code}, signal ${signal})`);
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  });

  return {
    pid: child.pid,
    request(command, payload) {
      if (exited) return Promise.reject(new Error(`bench child ${options.module} is gone`));
      const id = nextId++;
      const request: IpcRequest = { id, command, payload };
      return new Promise((resolve, reject) => {
        // The child answers with this protocol's result for `command`: IPC carries no types, so trust it.
        pending.set(id, { resolve, reject });
        child.send(request, (error) => {
          if (error) reject(error);
        });
      });
    },
    close: () => closeChild(child, () => exited),
  };
}

async function closeChild(child: ChildProcess, hasExited: () => boolean): Promise<void> {
  if (hasExited()) return;
  const exit = once(child, 'exit');
  if (child.connected) child.disconnect();
  else child.kill();
  await exit;
}
