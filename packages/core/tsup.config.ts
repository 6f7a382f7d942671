import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'tokenizer/index': 'src/tokenizer/index.ts',
    'openai/index': 'src/openai/index.ts',
    'offline/index': 'src/offline/index.ts',
    'ai-sdk/index': 'src/ai-sdk/index.ts',
    'postgres/index': 'src/postgres/index.ts',
    'testing/index': 'src/testing/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  treeshake: true,
  target: 'es2022',
  splitting: true,
});
