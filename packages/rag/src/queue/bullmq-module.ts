import { ConfigurationError } from '@neptune/core';

export type BullMq = typeof import('bullmq');

/** BullMQ is an optional peer: imported when a queue or worker is created, with the install command if missing. */
export async function loadBullMq(): Promise<BullMq> {
  try {
    return await import('bullmq');
  } catch (error) {
    throw new ConfigurationError({
      message:
        'Background ingestion needs the optional packages bullmq and ioredis: npm install bullmq ioredis. (runIngestJob alone does not.)',
      cause: error,
    });
  }
}
