// The README demo: `pnpm demo`. Offline on embedded defaults; OPENAI_API_KEY, REDIS_URL,
// UPSTASH_REDIS_REST_URL/_TOKEN, UPSTASH_VECTOR_REST_URL/_TOKEN and DATABASE_URL switch parts to real services.
import { runDemo } from './src/demo';

await runDemo();
