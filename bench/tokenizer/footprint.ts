import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { TokenizerEncoding } from '@neptune/core/tokenizer';
import type { BenchmarkTable, Cell } from '../lib/benchmark';
import { findPackageDirectory, installedPackageSize } from '../lib/package-size';
import type { TokenizerCandidate } from './candidates';

export interface Footprint {
  readonly installedMiB: number;
  readonly installedFiles: number;
  readonly packages: readonly string[];
  /** `pure JS`, or `WASM` when the package ships WebAssembly. */
  readonly runtime: string;
  /** What one encoding adds to a bundle, raw and gzipped, MiB. */
  readonly encodingTableMiB: Record<TokenizerEncoding, { raw: number; gzip: number }>;
}

const MiB = 2 ** 20;

export function measureFootprint(
  candidate: TokenizerCandidate,
  encodings: readonly TokenizerEncoding[],
  benchDirectory: string,
): Footprint {
  const size = installedPackageSize(candidate.packageName, benchDirectory);
  const packageDirectory = findPackageDirectory(candidate.packageName, benchDirectory)!;
  const encodingTableMiB = {} as Footprint['encodingTableMiB'];
  for (const encoding of encodings) {
    const contents = candidate
      .encodingFiles(encoding)
      .map((file) => readFileSync(join(packageDirectory, file)));
    encodingTableMiB[encoding] = {
      raw: contents.reduce((sum, content) => sum + content.length, 0) / MiB,
      gzip: contents.reduce((sum, content) => sum + gzipSync(content).length, 0) / MiB,
    };
  }
  return {
    installedMiB: size.bytes / MiB,
    installedFiles: size.files,
    packages: size.packages,
    runtime: size.wasmBytes > 0 ? `WASM (${(size.wasmBytes / MiB).toFixed(1)} MiB .wasm)` : 'pure JS',
    encodingTableMiB,
  };
}

function footprintRow(candidate: TokenizerCandidate, footprint: Footprint): Record<string, Cell> {
  const row: Record<string, Cell> = {
    library: candidate.name,
    runtime: footprint.runtime,
    'installed (MiB)': footprint.installedMiB,
    files: footprint.installedFiles,
    packages: footprint.packages.join(' + '),
  };
  for (const [encoding, size] of Object.entries(footprint.encodingTableMiB)) {
    row[`${encoding} table (MiB)`] = size.raw;
    row[`${encoding} gzip (MiB)`] = size.gzip;
  }
  return row;
}

export function footprintTable(footprints: ReadonlyMap<TokenizerCandidate, Footprint>): BenchmarkTable {
  return {
    title: 'Footprint',
    rows: [...footprints].map(([candidate, footprint]) => footprintRow(candidate, footprint)),
    notes: [
      'Installed: every file of the package and its dependencies on disk. Table: the files one encoding needs in a bundle (tiktoken: the one WASM file holding all encodings).',
      'Runtime: WASM needs WebAssembly instantiation from a bundled .wasm file, which edge runtimes allow only with bundler support; pure JS runs anywhere.',
    ],
  };
}
