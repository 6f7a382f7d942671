import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'memory/index': 'src/memory/index.ts',
    'pgvector/index': 'src/pgvector/index.ts',
    'upstash-vector/index': 'src/upstash-vector/index.ts',
    'cli/eval': 'src/cli/eval.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  treeshake: true,
  target: 'es2022',
  splitting: true,
});
