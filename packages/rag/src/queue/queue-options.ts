import type { ConnectionOptions } from 'bullmq';
import { z } from 'zod';

/** The settings the ingestion queue and its workers share: where Redis is, the queue's name and prefix. */
export const queueSettingsShape = {
  /** Redis for BullMQ: an ioredis client, or its options (`{ host, port, db }`), or a `redis://` URL. */
  connection: z.union([
    z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL'),
    z.custom<ConnectionOptions>(
      (value) => typeof value === 'object' && value !== null,
      'must be an ioredis client or options',
    ),
  ]),
  /** Queue name. Default `neptune-ingest`. */
  name: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be letters, digits, _ or - (BullMQ uses it in Redis keys)')
    .default('neptune-ingest'),
  /** BullMQ key prefix, to keep apps (or test runs) apart on one Redis. Default `bull`. */
  prefix: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,100}$/, 'must be letters, digits, _, . or -')
    .default('bull'),
};

/** BullMQ needs a client that waits for Redis rather than failing commands during a reconnect. */
export function connectionOptions(connection: ConnectionOptions | string): ConnectionOptions {
  if (typeof connection !== 'string') return connection;
  const url = new URL(connection);
  return {
    host: url.hostname,
    port: url.port === '' ? 6379 : Number(url.port),
    username: url.username === '' ? undefined : decodeURIComponent(url.username),
    password: url.password === '' ? undefined : decodeURIComponent(url.password),
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}
