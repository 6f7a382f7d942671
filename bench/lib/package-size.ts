import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The folder a package is installed in, as Node would find it from `fromDirectory`. */
export function findPackageDirectory(packageName: string, fromDirectory: string): string | undefined {
  for (let directory = fromDirectory; ; directory = dirname(directory)) {
    const candidate =
      basename(directory) === 'node_modules'
        ? join(directory, packageName)
        : join(directory, 'node_modules', packageName);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(directory) === directory) return undefined;
  }
}

function folderSize(directory: string): { bytes: number; files: number; wasmBytes: number } {
  let bytes = 0;
  let files = 0;
  let wasmBytes = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    // A package's own node_modules holds its dependencies, which are counted once, by name.
    if (entry.isDirectory() && entry.name !== 'node_modules') {
      const inner = folderSize(path);
      bytes += inner.bytes;
      files += inner.files;
      wasmBytes += inner.wasmBytes;
    } else if (entry.isFile()) {
      const size = statSync(path).size;
      bytes += size;
      files += 1;
      if (entry.name.endsWith('.wasm')) wasmBytes += size;
    }
  }
  return { bytes, files, wasmBytes };
}

export interface PackageSize {
  readonly bytes: number;
  readonly files: number;
  /** Bytes of `.wasm` files: non-zero means the package needs WebAssembly at run time. */
  readonly wasmBytes: number;
  readonly packages: readonly string[];
}

/** Bytes on disk of a package and its production dependencies, each counted once. */
export function installedPackageSize(packageName: string, fromDirectory: string): PackageSize {
  const seen = new Map<string, string>();
  const visit = (name: string, from: string) => {
    if (seen.has(name)) return;
    const directory = findPackageDirectory(name, from);
    if (directory === undefined) throw new Error(`Package ${name} is not installed (looked from ${from}).`);
    seen.set(name, directory);
    const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    for (const dependency of Object.keys(manifest.dependencies ?? {})) visit(dependency, directory);
  };
  visit(packageName, fromDirectory);
  let total = { bytes: 0, files: 0, wasmBytes: 0 };
  for (const directory of seen.values()) {
    const size = folderSize(directory);
    total = {
      bytes: total.bytes + size.bytes,
      files: total.files + size.files,
      wasmBytes: total.wasmBytes + size.wasmBytes,
    };
  }
  return { ...total, packages: [...seen.keys()] };
}
