import { parseOptions } from '@neptune/core';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { type CacheBus, type CacheBusMessage, parseCacheBusMessage } from '../cache-bus';

export interface RedisCacheBusOptions {
  /** Publishes on this client; subscribes on a duplicate of it (a subscribed connection can do nothing else). */
  readonly client: Redis;
  /** The pub/sub channel. Default `neptune:cache-bus`; give each app sharing a Redis its own. */
  readonly channel?: string | undefined;
}

const optionsSchema = z.object({
  client: z.custom<Redis>(
    (value) => typeof value === 'object' && value !== null,
    'must be an ioredis client',
  ),
  channel: z.string().min(1).default('neptune:cache-bus'),
});

/** Tells other cache instances, through Redis pub/sub, which first-tier entries to drop. */
export function redisCacheBus(options: RedisCacheBusOptions): CacheBus {
  const { client, channel } = parseOptions(optionsSchema, options, 'redisCacheBus options');
  return {
    async publish(message: CacheBusMessage) {
      await client.publish(channel, JSON.stringify(message));
    },
    async subscribe(listener) {
      const subscriber = client.duplicate();
      subscriber.on('message', (from: string, text: string) => {
        if (from !== channel) return;
        const message = parseCacheBusMessage(text);
        if (message !== undefined) listener(message);
      });
      // A dropped connection loses messages: ioredis resubscribes on reconnect, and TTLs bound the rest.
      subscriber.on('error', () => {});
      await subscriber.subscribe(channel);
      return async () => {
        await subscriber.quit().catch(() => subscriber.disconnect());
      };
    },
  };
}
