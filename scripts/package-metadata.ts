/**
 * What every published package's manifest and README must carry to read well on a registry page:
 * repository, homepage and bugs pointing at the one repository, the LICENSE shipped, and README links
 * that work away from the monorepo (absolute, into files that exist). scripts/package-metadata.test.ts
 * holds every package to it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The repository every package points at; package.json `repository`, `homepage` and `bugs` derive from it. */
export const REPOSITORY_URL = 'https://github.com/neptune-sdk/neptune';

export interface PackageMetadata {
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
  readonly repository?: unknown;
  readonly homepage?: unknown;
  readonly bugs?: unknown;
  readonly license?: unknown;
  readonly files?: readonly string[];
}

/** The fields a package at `directory` (relative to the repository root, e.g. `packages/core`) must have. */
export function expectedMetadata(directory: string) {
  return {
    license: 'MIT',
    repository: { type: 'git', url: `git+${REPOSITORY_URL}.git`, directory },
    homepage: `${REPOSITORY_URL}/tree/main/${directory}#readme`,
    bugs: { url: `${REPOSITORY_URL}/issues` },
  };
}

/** What is wrong with a package's manifest; empty when its metadata is complete. */
export function checkPackageMetadata(directory: string, manifest: PackageMetadata): string[] {
  const problems: string[] = [];
  for (const [field, expected] of Object.entries(expectedMetadata(directory))) {
    const actual = manifest[field as keyof PackageMetadata];
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      problems.push(
        `${directory}/package.json: "${field}" is ${JSON.stringify(actual)}; expected ${JSON.stringify(expected)}`,
      );
    }
  }
  if (!manifest.files?.includes('LICENSE'))
    problems.push(`${directory}/package.json: "files" does not name LICENSE`);
  return problems;
}

const MARKDOWN_LINK = /\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g;

/**
 * What is wrong with the links of a package README, which a registry shows away from the repository: a
 * relative link (`../../docs/rag.md`) breaks there, so every link must be absolute (or an anchor), and a
 * link into this repository must name a file or folder that exists.
 */
export function checkReadmeLinks(readmeFile: string, repositoryRoot: string): string[] {
  const problems: string[] = [];
  const where = relative(repositoryRoot, readmeFile);
  const markdown = readFileSync(readmeFile, 'utf8');
  for (const [, target] of markdown.matchAll(MARKDOWN_LINK)) {
    if (!target || target.startsWith('#') || target.startsWith('mailto:')) continue;
    if (!/^https?:\/\//.test(target)) {
      problems.push(
        `${where}: the link ${target} is relative and breaks on a registry page; use ${REPOSITORY_URL}/blob/main/...`,
      );
      continue;
    }
    const own = new RegExp(`^${REPOSITORY_URL.replace(/[.]/g, '\\.')}/(?:blob|tree)/main/([^#?]+)`).exec(
      target,
    );
    if (own?.[1] && !existsSync(join(repositoryRoot, own[1]))) {
      problems.push(`${where}: the link ${target} names ${own[1]}, which does not exist in the repository`);
    }
  }
  return problems;
}

/**
 * The ranges users' installs are held to. zod is a peer (users pass their own schemas, which must be of
 * the same zod as ours), with one minimum for every package; vitest stops before 5, which needs Node 22;
 * every other peer range has an upper bound.
 */
export const PEER_RANGES: Readonly<Record<string, string>> = {
  zod: '^4.1.0',
  vitest: '^3.0.0 || ^4.0.0',
  'drizzle-orm': '^0.44.0 || ^0.45.0',
};

/** What is wrong with a package's peer dependency ranges; empty when they follow PEER_RANGES. */
export function checkPeerRanges(
  directory: string,
  manifest: PackageMetadata,
  /** The root package.json's devDependencies, which every package's tests have too (vitest). */
  rootDevDependencies: Readonly<Record<string, string>> = {},
): string[] {
  const problems: string[] = [];
  const where = `${directory}/package.json`;
  if (manifest.dependencies?.zod)
    problems.push(
      `${where}: zod is a dependency; make it a peer dependency (${PEER_RANGES.zod}) and a devDependency`,
    );
  for (const [dependency, range] of Object.entries(manifest.peerDependencies ?? {})) {
    const expected = PEER_RANGES[dependency];
    if (expected !== undefined && range !== expected)
      problems.push(`${where}: peerDependencies["${dependency}"] is "${range}"; expected "${expected}"`);
    else if (/(^|\|\|)\s*>=?[^<]*$/.test(range) || range === '*')
      problems.push(`${where}: peerDependencies["${dependency}"] is "${range}", which has no upper bound`);
    if (!manifest.devDependencies?.[dependency] && !rootDevDependencies[dependency])
      problems.push(`${where}: the peer ${dependency} is not also a devDependency, so nothing here tests it`);
  }
  return problems;
}
