import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'memory/index': 'src/memory/index.ts',
    'redis/index': 'src/redis/index.ts',
    'upstash/index': 'src/upstash/index.ts',
    'ai-sdk/index': 'src/ai-sdk/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  treeshake: true,
  target: 'es2022',
  splitting: true,
});
