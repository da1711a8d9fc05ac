import { isIpcRequest } from './ipc-protocol.js';
import type { IpcResponse, Protocol } from './ipc-protocol.js';

// The child's end: answers the parent's requests with the handlers given, one handler per command,
// and exits when the parent lets go of the channel.

export type Handlers<P extends Protocol> = {
  readonly [K in keyof P]: (payload: P[K]['payload']) => Promise<P[K]['result']>;
};

export function serve<P extends Protocol>(handlers: Handlers<P>, onDisconnect: () => Promise<void>): void {
  const send = process.send?.bind(process);
  if (send === undefined) throw new Error('a bench child must be started with an IPC channel');
  const respond = (response: IpcResponse): void => {
    send(response);
  };
  process.on('message', (message: unknown) => {
    if (!isIpcRequest(message)) return;
    const handler = (handlers as Record<string, (payload: unknown) => Promise<unknown>>)[message.command];
    const { id } = message;
    if (handler === undefined) {
      respond({ id, ok: false, error: `unknown command ${message.command}` });
      return;
    }
    handler(message.payload).then(
      (result) => respond({ id, ok: true, result }),
      (error: unknown) =>
        respond({ id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
  process.once('disconnect', () => {
    onDisconnect().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
