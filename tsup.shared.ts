import { defineConfig, type Options } from 'tsup';

/**
 * How every @neptune package builds: ESM and CommonJS with their own type declarations (checked by
 * publint and attw), shared chunks between entries, Node 20's language level. Each package names only its
 * entries, which match the subpaths in its package.json `exports`.
 */
export function packageBuild(entry: Record<string, string>, extra: Partial<Options> = {}) {
  return defineConfig({
    ...extra,
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    treeshake: true,
    target: 'es2022',
    splitting: true,
  });
}
