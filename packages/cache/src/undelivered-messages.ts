import type { CacheBusMessage } from './cache-bus';

const MOST_UNDELIVERED = 1_000;

/**
 * Bus messages that could not be published (the bus, or the store their stamps live in, was down),
 * kept in process and published again once it recovers. Identical messages are kept once. Past the bound
 * the oldest are dropped: the other instances' first tiers still expire them with their TTL.
 */
export class UndeliveredMessages {
  readonly #messages = new Map<string, CacheBusMessage>();

  get size(): number {
    return this.#messages.size;
  }

  add(message: CacheBusMessage): void {
    const id = JSON.stringify(message);
    this.#messages.delete(id);
    this.#messages.set(id, message);
    for (const oldest of this.#messages.keys()) {
      if (this.#messages.size <= MOST_UNDELIVERED) break;
      this.#messages.delete(oldest);
    }
  }

  /** Hands every kept message to `publish`, which keeps again any that fail. */
  flush(publish: (message: CacheBusMessage) => void): void {
    const messages = [...this.#messages.values()];
    this.#messages.clear();
    for (const message of messages) publish(message);
  }
}
