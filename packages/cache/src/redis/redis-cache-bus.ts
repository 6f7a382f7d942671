import { parseOptions } from '@neptune/core';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { type CacheBus, type CacheBusMessage, parseCacheBusMessage } from '../cache-bus';
import { recycleWhenStalled } from './stalled-connection';

/**
 * Pings a subscribed connection every `intervalMs`; a ping not answered by the next beat means the
 * connection is silent, and it is replaced. A subscriber sends nothing else, so without this a silent
 * subscription would never be noticed.
 */
function heartbeat(subscriber: Redis, intervalMs: number): () => void {
  let unanswered = false;
  let beatsNotReady = 0;
  const timer = setInterval(() => {
    if (unanswered) {
      unanswered = false;
      subscriber.disconnect(true);
      return;
    }
    if (subscriber.status !== 'ready') {
      // Connected but never ready: the handshake itself went unanswered.
      if (subscriber.status === 'connect' && ++beatsNotReady >= 2) {
        beatsNotReady = 0;
        subscriber.disconnect(true);
      }
      return;
    }
    beatsNotReady = 0;
    unanswered = true;
    subscriber.ping().then(
      () => {
        unanswered = false;
      },
      () => {},
    );
  }, intervalMs);
  timer.unref?.();
  return () => clearInterval(timer);
}

const optionsShape = {
  /** Publishes on this client; subscribes on a duplicate of it (a subscribed connection can do nothing else). */
  client: z.custom<Redis>(
    (value) => typeof value === 'object' && value !== null,
    'must be an ioredis client',
  ),
  /** The pub/sub channel. Default `neptune:cache-bus`; give each app sharing a Redis its own. */
  channel: z.string().min(1).default('neptune:cache-bus'),
  /**
   * How often the subscribed connection is pinged, in ms. Default 5,000. A ping still unanswered at the
   * next beat means the connection went silent: it is replaced and the subscription made again.
   */
  heartbeatMs: z.number().int().positive().default(5_000),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
const optionsSchema: z.ZodObject<typeof optionsShape> = z.object(optionsShape);

/** What `redisCacheBus` takes: the client to publish on and the channel instances share invalidations over. */
export type RedisCacheBusOptions = z.input<typeof optionsSchema>;

/** Tells other cache instances, through Redis pub/sub, which first-tier entries to drop. */
export function redisCacheBus(options: RedisCacheBusOptions): CacheBus {
  const { client, channel, heartbeatMs } = parseOptions(optionsSchema, options, 'redisCacheBus options');
  const onPublishFailure = recycleWhenStalled(client, client.options.commandTimeout ?? heartbeatMs);
  return {
    async publish(message: CacheBusMessage) {
      await client.publish(channel, JSON.stringify(message)).catch((error: unknown) => {
        onPublishFailure(error);
        throw error;
      });
    },
    async subscribe(listener, subscribeOptions) {
      const subscriber = client.duplicate();
      subscriber.on('message', (from: string, text: string) => {
        if (from !== channel) return;
        const message = parseCacheBusMessage(text);
        if (message !== undefined) listener(message);
      });
      subscriber.on('error', () => {});
      await subscriber.subscribe(channel);
      // Messages published while the subscription was down are lost: ioredis resubscribes on reconnect,
      // and the cache is told there was a gap so that it drops what it may hold stale.
      subscriber.on('ready', () => subscribeOptions?.onGap?.());
      const stopHeartbeat = heartbeat(subscriber, heartbeatMs);
      return async () => {
        stopHeartbeat();
        await subscriber.quit().catch(() => subscriber.disconnect());
      };
    },
  };
}
