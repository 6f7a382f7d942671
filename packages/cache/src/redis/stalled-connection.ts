import type { Redis } from 'ioredis';

/** ioredis rejects a command that got no reply within its `commandTimeout` with exactly this message. */
const COMMAND_TIMED_OUT = 'Command timed out';

export function isCommandTimeout(error: unknown): boolean {
  return error instanceof Error && error.message === COMMAND_TIMED_OUT;
}

/**
 * Replaces a connection that stopped answering. A socket whose peer went silent (a black-holed route, a
 * frozen server) is never closed by the kernel for minutes, so every later command, breaker probes
 * included, would queue behind it and time out in turn. After a command timeout the connection is
 * dropped and ioredis opens a new one (resubscribing, for a subscriber), at most once per `quietMs`.
 */
export function recycleWhenStalled(client: Redis, quietMs: number): (error: unknown) => void {
  let recycledAt = Number.NEGATIVE_INFINITY;
  return (error) => {
    if (!isCommandTimeout(error)) return;
    const now = performance.now();
    if (now - recycledAt < quietMs) return;
    if (client.status === 'end' || client.status === 'close' || client.status === 'reconnecting') return;
    recycledAt = now;
    client.disconnect(true);
  };
}
