import { z } from 'zod';

/**
 * What one cache instance tells the others so that their first tiers drop what changed. Messages carry
 * tenant ids, kinds, tags and keys, never values.
 */
export type CacheBusMessage =
  | { readonly type: 'delete'; readonly origin: string; readonly keys: readonly string[] }
  | {
      readonly type: 'invalidate';
      readonly origin: string;
      readonly workspaceId: string;
      readonly userId?: string | undefined;
      readonly kinds?: readonly string[] | undefined;
      readonly tags?: readonly string[] | undefined;
    };

/** A channel between cache instances (Redis pub/sub: `redisCacheBus`). Delivery is best effort. */
export interface CacheBus {
  publish(message: CacheBusMessage): Promise<void>;
  /**
   * Starts delivering messages; resolves once subscribed, to the function that stops it. `onGap` is
   * called when messages may have been missed (the subscription was lost and made again): a first tier
   * must then assume that anything it holds may have been invalidated meanwhile.
   */
  subscribe(
    listener: (message: CacheBusMessage) => void,
    options?: { readonly onGap?: (() => void) | undefined },
  ): Promise<() => Promise<void>>;
}

const messageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('delete'), origin: z.string(), keys: z.array(z.string()) }),
  z.object({
    type: z.literal('invalidate'),
    origin: z.string(),
    workspaceId: z.string().min(1),
    userId: z.string().min(1).optional(),
    kinds: z.array(z.string()).optional(),
    tags: z.array(z.string()).optional(),
  }),
]);

/** Parses a message from the wire; anything else (another app on the channel, a newer format) is ignored. */
export function parseCacheBusMessage(text: string): CacheBusMessage | undefined {
  try {
    const parsed = messageSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
