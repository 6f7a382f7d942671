// The edge-safe entry points on the edge runtime: `next build` fails if any of them pulls in a Node.js
// built-in. The Upstash store is only constructed (the test runs offline); the cache and the embedder run.
import { createCache } from '@neptune/cache';
import { memoryKeyValueStore } from '@neptune/cache/memory';
import { upstashKeyValueStore } from '@neptune/cache/upstash';
import { validateScope } from '@neptune/core';
import { offlineEmbedder } from '@neptune/core/offline';

export const runtime = 'edge';
export const dynamic = 'force-dynamic';

const upstash = createCache({
  store: upstashKeyValueStore({ url: 'https://neptune-pack-install.upstash.io', token: 'not-used' }),
});
const cache = createCache({ store: memoryKeyValueStore() });
const embedder = offlineEmbedder();

export async function GET(): Promise<Response> {
  const scope = validateScope({ workspaceId: 'acme' });
  const vector = await cache.getOrSet(
    scope,
    { kind: 'embeddings', id: 'hello-edge' },
    async () => {
      const [embedding] = await embedder.embed(['hello from the edge'], { purpose: 'query' });
      return Array.from(embedding ?? []);
    },
    { ttlMs: 60_000 },
  );
  const edgeRuntime = (globalThis as { EdgeRuntime?: unknown }).EdgeRuntime;
  return Response.json({
    runtime: typeof edgeRuntime === 'string' ? 'edge' : 'nodejs',
    dimensions: vector.length,
    upstashStore: upstash.store.name,
  });
}
