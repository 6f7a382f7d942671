import { join } from 'node:path';
import type { Options } from 'tsup';
import { packageBuild } from '../../tsup.shared';

/**
 * The CommonJS build loads testing/vitest-loader-cjs.ts in place of testing/vitest-loader.ts, whose
 * top-level await CommonJS cannot express (see both files).
 */
const commonJsVitestLoader: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'neptune-commonjs-vitest-loader',
  setup(build) {
    // tsup bundles both formats as ES modules first (rollup then writes CommonJS); its define says which.
    if (build.initialOptions.define?.TSUP_FORMAT !== '"cjs"') return;
    build.onResolve({ filter: /^\.\/vitest-loader$/ }, (args) => ({
      path: join(args.resolveDir, 'vitest-loader-cjs.ts'),
    }));
  },
};

export default packageBuild(
  {
    index: 'src/index.ts',
    'tokenizer/index': 'src/tokenizer/index.ts',
    'openai/index': 'src/openai/index.ts',
    'offline/index': 'src/offline/index.ts',
    'ai-sdk/index': 'src/ai-sdk/index.ts',
    'postgres/index': 'src/postgres/index.ts',
    'postgres/drizzle/index': 'src/postgres/drizzle/index.ts',
    'testing/index': 'src/testing/index.ts',
  },
  { esbuildPlugins: [commonJsVitestLoader] },
);
