/**
 * Release check: every package packs with `pnpm pack`, installs with npm and with pnpm into a fresh Next.js
 * App Router app outside the monorepo, and works there as a user would see it.
 *
 * 1. `pnpm pack` each packages/* into a temporary directory, then read each tarball: no `workspace:` (or
 *    `catalog:`, `link:`) spec left, LICENSE and the repository fields present, every
 *    `exports`/`main`/`types`/`bin` target shipped, every relative import of a shipped `.js`/`.d.ts`
 *    shipped too, every bare import a dependency, a peer or a built-in.
 * 2. For each package manager (npm, then pnpm; the same tarballs), write a Next.js app
 *    (scripts/pack-install-app, plus a package.json naming the tarballs as `file:` dependencies, for pnpm
 *    also as `pnpm.overrides`, and the peers the app uses) in os.tmpdir(), so no workspace resolution can
 *    leak in, and install it with engines enforced (any package whose `engines` excludes this Node.js is
 *    refused). pnpm's strict node_modules also catches an import of an undeclared package.
 * 3. Load every entry point with require() and import() in plain Node.js (check-entries.mjs), and run
 *    the `neptune-eval` bin.
 * 4. `next build` (Turbopack; type-checks the app's code against the packed .d.ts), then `next start` on
 *    a free port and request the page, the Node.js route that uses every package and the edge route that
 *    uses the edge-safe entries. The app keeps create-next-app's `skipLibCheck: true` (drizzle-orm's and
 *    next's own declarations do not pass without it), so declarations that import an unshipped file or an
 *    undeclared package are caught by step 1, not by the build.
 *
 * By hand: `pnpm build && pnpm exec tsx scripts/pack-install.ts` (`--only npm|pnpm` for one app; `--keep`
 * keeps the apps to look at; they are kept after a failure anyway, except under CI). The test is scripts/pack-install.test.ts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join, posix, relative, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { docsSnippets } from './docs-snippets';

export const REPOSITORY_ROOT = resolve(import.meta.dirname, '..');
export const APP_TEMPLATE = join(import.meta.dirname, 'pack-install-app');

/** What the fresh app depends on besides the tarballs: what `create-next-app` would write. */
export const APP_DEPENDENCIES = {
  next: '16.4.6',
  react: '^19.2.0',
  'react-dom': '^19.2.0',
  // What docs/quickstart.md installs besides Neptune's peers: the chat page and the PostgreSQL driver.
  '@ai-sdk/react': '^3.0.0',
  ai: '^6.0.0',
  pg: '^8.13.0',
} as const;
export const APP_DEV_DEPENDENCIES = {
  typescript: '^5',
  '@types/node': '^20',
  '@types/react': '^19.2.0',
  '@types/react-dom': '^19.2.0',
  '@types/pg': '^8.11.0',
} as const;
/**
 * Packages the app imports that the Neptune packages declare as peers: `zod` (the app's own schemas) and
 * the optional peers of the subpaths the app imports. Their ranges are read from the packed manifests,
 * so the app installs what the packages ask for (zod: the newest with npm, the lowest with pnpm).
 */
export const APP_PEERS: Readonly<Record<string, string>> = {
  zod: '@neptune/core',
  '@upstash/redis': '@neptune/cache',
  ioredis: '@neptune/cache',
  'drizzle-orm': '@neptune/memory',
  '@opentelemetry/api': '@neptune/observability',
};

export interface PackedPackage {
  readonly name: string;
  readonly version: string;
  readonly directory: string;
  readonly tarball: string;
  /** The package.json inside the tarball. */
  readonly manifest: PackageManifest;
  /** Paths inside the tarball, without the leading `package/`. */
  readonly files: ReadonlyMap<string, Buffer>;
}

export interface PackageManifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly main?: string;
  readonly module?: string;
  readonly types?: string;
  readonly typings?: string;
  readonly bin?: string | Record<string, string>;
  readonly exports?: unknown;
  readonly engines?: Record<string, string>;
  readonly repository?: unknown;
  readonly homepage?: string;
  readonly bugs?: unknown;
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
}

export interface HttpCheck {
  readonly path: string;
  readonly status: number;
  readonly body: unknown;
  /** The response's Set-Cookie header, if any. */
  readonly setCookie?: string | null;
}

/** One app: installed with one package manager, loaded, built, started and requested. */
export interface AppReport {
  readonly packageManager: PackageManager;
  /** Resolved versions (and `engines.node`) of the app's direct dependencies. */
  readonly resolved: Readonly<Record<string, { version: string; node: string | undefined }>>;
  readonly entries: ReadonlyArray<{ specifier: string; exports?: number; skipped?: string; error?: string }>;
  readonly smoke: Readonly<Record<string, unknown>>;
  readonly responses: Readonly<Record<string, HttpCheck>>;
  /** What `next build` warned about (the ⚠ lines). */
  readonly buildWarnings: readonly string[];
}

export interface PackInstallReport {
  readonly workDirectory: string;
  readonly packages: ReadonlyArray<{ name: string; version: string; tarball: string; kilobytes: number }>;
  /** One app per package manager, from the same tarballs. */
  readonly apps: Readonly<Partial<Record<PackageManager, AppReport>>>;
  readonly node: string;
  readonly timingsMs: Readonly<Record<string, number>>;
  /** Everything that is wrong, each prefixed with the package manager of its app; empty when fit to publish. */
  readonly problems: string[];
}

export class PackInstallError extends Error {
  constructor(
    message: string,
    readonly problems: readonly string[],
  ) {
    super(`${message}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'PackInstallError';
  }
}

// ---------------------------------------------------------------------------------------------------
// Tarballs

/** The regular files of a .tgz, by path without the leading `package/`. Handles ustar prefixes and pax paths. */
export function readTarball(path: string): Map<string, Buffer> {
  const data = gunzipSync(readFileSync(path));
  const files = new Map<string, Buffer>();
  let offset = 0;
  let paxPath: string | undefined;
  while (offset + 512 <= data.length) {
    const header = data.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const field = (start: number, length: number) => {
      const text = header.subarray(start, start + length).toString('utf8');
      const end = text.indexOf('\0');
      return end === -1 ? text : text.slice(0, end);
    };
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    const prefix = field(345, 155);
    const name = paxPath ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    const body = data.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      paxPath = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))?.[1];
      continue;
    }
    paxPath = undefined;
    if (type === '0' || type === '') files.set(name.replace(/^package\//, ''), Buffer.from(body));
  }
  return files;
}

const DEPENDENCY_FIELDS = [
  'dependencies',
  'peerDependencies',
  'optionalDependencies',
  'devDependencies',
] as const;
const NODE_BUILTINS = new Set(builtinModules);

function exportTargets(value: unknown, keys: string[] = []): Array<{ target: string; keys: string[] }> {
  if (typeof value === 'string') return [{ target: value, keys }];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, nested]) => exportTargets(nested, [...keys, key]));
}

const packageNameOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/** The file a relative import of a shipped file resolves to, if it is in the tarball. */
function resolveRelative(
  files: ReadonlyMap<string, unknown>,
  from: string,
  specifier: string,
): string | undefined {
  const base = posix.join(posix.dirname(from), specifier);
  const declaration = /\.d\.c?ts$/.test(from);
  const candidates = declaration
    ? [
        base.replace(/\.js$/, '.d.ts'),
        base.replace(/\.cjs$/, '.d.cts'),
        base.replace(/\.mjs$/, '.d.mts'),
        `${base}.d.ts`,
        `${base}.d.cts`,
        `${base}/index.d.ts`,
        base,
      ]
    : [base, `${base}.js`, `${base}.cjs`, `${base}/index.js`];
  return candidates.find((candidate) => files.has(candidate));
}

// Statements at the start of a line (bundled output has them there; a line inside a comment or a string
// does not start with `import`), plus dynamic import() and require() calls.
const IMPORT_SPECIFIER =
  /^\s*(?:import|export)\s[^;'"`]*?\sfrom\s*(['"])([^'"\n]+)\1|^\s*import\s*(['"])([^'"\n]+)\3|\bimport\(\s*(['"])([^'"\n]+)\5\s*\)|\brequire\(\s*(['"])([^'"\n]+)\7\s*\)/gm;

/** What is wrong with one packed package; empty when it is fit to publish. */
export function checkPackedPackage(packed: PackedPackage, versions: ReadonlyMap<string, string>): string[] {
  const { manifest, files, name } = packed;
  const problems: string[] = [];
  if (manifest.private) problems.push(`${name}: the packed package.json is private`);
  if (!manifest.engines?.node) problems.push(`${name}: the packed package.json has no engines.node`);
  if (!files.has('LICENSE')) problems.push(`${name}: the tarball has no LICENSE`);
  for (const field of ['repository', 'homepage', 'bugs'] as const) {
    if (!manifest[field]) problems.push(`${name}: the packed package.json has no ${field}`);
  }

  for (const field of DEPENDENCY_FIELDS) {
    for (const [dependency, spec] of Object.entries(manifest[field] ?? {})) {
      if (/^(workspace|catalog|link|file):/.test(spec)) {
        problems.push(
          `${name}: ${field}["${dependency}"] is "${spec}" in the packed package.json; pnpm pack should have replaced it with a version`,
        );
      } else if (
        field !== 'devDependencies' &&
        versions.has(dependency) &&
        !spec.endsWith(versions.get(dependency)!)
      ) {
        problems.push(
          `${name}: ${field}["${dependency}"] is "${spec}", not the workspace version ${versions.get(dependency)}`,
        );
      }
    }
  }

  const entryPoints = [
    ...exportTargets(manifest.exports).map(({ target, keys }) => ({
      target,
      label: `exports${keys.map((key) => `["${key}"]`).join('')}`,
    })),
    ...(['main', 'module', 'types', 'typings'] as const).flatMap((field) =>
      manifest[field] ? [{ target: manifest[field]!, label: field }] : [],
    ),
    ...Object.entries(typeof manifest.bin === 'string' ? { [name]: manifest.bin } : (manifest.bin ?? {})).map(
      ([command, target]) => ({ target, label: `bin["${command}"]` }),
    ),
  ];
  for (const { target, label } of entryPoints) {
    const path = posix.normalize(target).replace(/^\.\//, '');
    const shipped = target.includes('*')
      ? [...files.keys()].some((file) =>
          new RegExp(`^${path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(file),
        )
      : files.has(path);
    if (!shipped) {
      problems.push(
        `${name}: ${label} points at ${target}, which is not in the tarball (missing from "files", or dist is stale: run pnpm build)`,
      );
    }
  }
  for (const [command, target] of Object.entries(
    typeof manifest.bin === 'string' ? { [name]: manifest.bin } : (manifest.bin ?? {}),
  )) {
    const body = files.get(posix.normalize(target).replace(/^\.\//, ''));
    if (body && !body.subarray(0, 2).equals(Buffer.from('#!'))) {
      problems.push(`${name}: bin["${command}"] (${target}) has no #! line`);
    }
  }

  const declared = new Set([
    name,
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
    ...Object.keys(manifest.optionalDependencies ?? {}),
  ]);
  for (const [file, body] of files) {
    if (/\.(test|test-d|integration\.test)\.[cm]?tsx?$/.test(file))
      problems.push(`${name}: ships the test file ${file}`);
    if (!file.startsWith('dist/') || !/\.(c|m)?js$|\.d\.(c|m)?ts$/.test(file)) continue;
    const text = body.toString('utf8');
    for (const match of text.matchAll(IMPORT_SPECIFIER)) {
      const specifier = match[2] ?? match[4] ?? match[6] ?? match[8]!;
      if (specifier.startsWith('.')) {
        if (!resolveRelative(files, file, specifier)) {
          problems.push(`${name}: ${file} imports ${specifier}, which is not in the tarball`);
        }
      } else if (specifier.startsWith('/')) {
        problems.push(`${name}: ${file} imports the absolute path ${specifier}`);
      } else if (
        !specifier.startsWith('node:') &&
        !NODE_BUILTINS.has(specifier) &&
        !declared.has(packageNameOf(specifier))
      ) {
        problems.push(
          `${name}: ${file} imports ${specifier}, which is not a dependency or peer dependency (a user's install will not have it)`,
        );
      }
    }
  }
  return [...new Set(problems)];
}

// ---------------------------------------------------------------------------------------------------
// Processes

/**
 * What the child processes must not inherit: pnpm's and vitest's run-time variables; NODE_PATH, which
 * pnpm's bin shims point at the monorepo's store (the app would resolve packages it never installed);
 * NODE_OPTIONS, which may carry `--conditions=@neptune/source`; NODE_ENV, which vitest sets to `test`.
 */
const INHERITED_BUT_LEAKY =
  /^(NODE_PATH|NODE_OPTIONS|NODE_ENV|TEST|INIT_CWD|VITEST.*|TSX_.*|PNPM_.*|pnpm_.*|npm_(lifecycle|package|command|execpath|node_execpath).*|npm_config_(user_agent|verify_deps_before_run))$/i;

/** Environment for the child processes: the caller's (registry, proxy, cache settings), minus the leaks. */
export function childEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!INHERITED_BUT_LEAKY.test(key)) environment[key] = value;
  }
  return { ...environment, NEXT_TELEMETRY_DISABLED: '1', ...extra };
}

interface RunOptions {
  readonly cwd: string;
  readonly timeoutMs: number;
  readonly env?: NodeJS.ProcessEnv;
}

interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
}

const tail = (text: string, lines = 60) => text.trimEnd().split('\n').slice(-lines).join('\n');

/** Every child still running, each the leader of its own process group. */
const running = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // Already gone.
    }
  }
}

/** Stops a child's whole process group: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopProcess(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  // The leader is gone; make sure nothing it started lingers.
  if (child.pid !== undefined) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // No such group: nothing left.
    }
  }
}

/** Kills every child this module started that is still running. */
export async function stopAllProcesses(): Promise<void> {
  await Promise.all([...running].map((child) => stopProcess(child, 2_000)));
}

function launch(
  command: string,
  args: readonly string[],
  options: Omit<RunOptions, 'timeoutMs'>,
): ChildProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? childEnvironment(),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** Runs a command to completion; rejects with its output's tail when it fails or outlives `timeoutMs`. */
export function run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const startedAt = performance.now();
  const label = `${basename(command)} ${args.join(' ')}`;
  return new Promise((resolveRun, rejectRun) => {
    const child = launch(command, args, options);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      void stopProcess(child, 2_000);
    }, options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      rejectRun(new Error(`${label} could not start in ${options.cwd}: ${error.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const durationMs = Math.round(performance.now() - startedAt);
      if (code === 0 && !timedOut) {
        resolveRun({ stdout, stderr, durationMs });
        return;
      }
      const why = timedOut
        ? `did not finish within ${options.timeoutMs} ms`
        : `exited with ${code ?? signal}`;
      rejectRun(
        new Error(
          `${label} (in ${options.cwd}) ${why}\n--- stdout\n${tail(stdout)}\n--- stderr\n${tail(stderr)}`,
        ),
      );
    });
  });
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, rejectPort) => {
    const server = createServer();
    server.once('error', rejectPort);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : rejectPort(new Error('no port')),
      );
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// Steps

/** The publishable packages of the monorepo: packages/* that are not private. */
export function workspacePackages(
  root = REPOSITORY_ROOT,
): Array<{ name: string; version: string; directory: string }> {
  const packagesDirectory = join(root, 'packages');
  return readdirSync(packagesDirectory)
    .filter((entry) => existsSync(join(packagesDirectory, entry, 'package.json')))
    .map((entry) => {
      const directory = join(packagesDirectory, entry);
      const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as PackageManifest;
      return {
        name: manifest.name,
        version: manifest.version,
        directory,
        private: manifest.private === true,
      };
    })
    .filter((workspacePackage) => !workspacePackage.private)
    .map(({ name, version, directory }) => ({ name, version, directory }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** `pnpm pack` every publishable package into `destination` and reads each tarball back. */
export async function packPackages(destination: string, root = REPOSITORY_ROOT): Promise<PackedPackage[]> {
  mkdirSync(destination, { recursive: true });
  const packages = workspacePackages(root);
  const unbuilt = packages.filter(({ directory }) => !existsSync(join(directory, 'dist')));
  if (unbuilt.length > 0) {
    throw new PackInstallError(
      'Some packages are not built (run `pnpm build` first)',
      unbuilt.map(
        ({ name, directory }) => `${name}: ${relative(root, join(directory, 'dist'))} does not exist`,
      ),
    );
  }
  return Promise.all(
    packages.map(async ({ name, version, directory }) => {
      const { stdout } = await run('pnpm', ['pack', '--pack-destination', destination], {
        cwd: directory,
        timeoutMs: 60_000,
        env: childEnvironment(),
      });
      const tarball = join(destination, `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`);
      if (!existsSync(tarball)) {
        throw new Error(
          `pnpm pack in ${directory} did not write ${tarball}; it printed:\n${tail(stdout, 10)}`,
        );
      }
      const files = readTarball(tarball);
      const packedManifest = files.get('package.json');
      if (!packedManifest) throw new Error(`${tarball} has no package/package.json`);
      return {
        name,
        version,
        directory,
        tarball,
        manifest: JSON.parse(packedManifest.toString('utf8')) as PackageManifest,
        files,
      };
    }),
  );
}

/** docs/quickstart.md: its file-tagged snippets are the app, written, built and requested as they are. */
export const QUICKSTART = join(REPOSITORY_ROOT, 'docs/quickstart.md');
/**
 * docs/assistant.md: its snippets are written under `guide/` (its chat route is the quickstart's path), so
 * its chat route answers at /guide/api/chat; `@/lib/...` imports are unchanged.
 */
export const ASSISTANT_GUIDE = join(REPOSITORY_ROOT, 'docs/assistant.md');

/** Where each docs page's snippets go in the app: the quickstart's as they are, the guide's routes under app/guide. */
export function docsAppFiles(): Array<{ file: string; code: string; page: string }> {
  return [
    ...docsSnippets(QUICKSTART).map((snippet) => ({ ...snippet, page: 'docs/quickstart.md' })),
    ...docsSnippets(ASSISTANT_GUIDE).map((snippet) => ({
      file: snippet.file.replace(/^app\//, 'app/guide/'),
      code: snippet.code,
      page: 'docs/assistant.md',
    })),
  ];
}

/**
 * The lowest version a `^x.y.z` range admits. The pnpm app installs zod, the peer every package shares,
 * at it (the npm app gets the newest), so both ends of its range are built and run.
 */
export function lowestOf(range: string, dependency: string): string {
  const lowest = /^\^(\d+\.\d+\.\d+)$/.exec(range)?.[1];
  if (!lowest) {
    throw new PackInstallError('The app cannot be written', [
      `the range of ${dependency}, ${range}, is not ^x.y.z: say which lowest version the pnpm app installs`,
    ]);
  }
  return lowest;
}

/** The package managers the app is installed with, each into an app of its own. */
export const PACKAGE_MANAGERS = ['npm', 'pnpm'] as const;
export type PackageManager = (typeof PACKAGE_MANAGERS)[number];

/**
 * How a project outside the monorepo depends on the tarballs, as docs/quickstart.md tells users: each
 * package as a `file:` dependency, and for pnpm the same specs as `pnpm.overrides`, because a tarball's
 * own dependencies on the other packages name a version (`"@neptune/core": "0.1.0"`) that pnpm would
 * otherwise fetch from the registry (npm finds it among the app's dependencies).
 */
export function tarballDependencies(
  /** Paths relative to this directory; absolute when undefined. */
  appDirectory: string | undefined,
  packed: readonly Pick<PackedPackage, 'name' | 'tarball'>[],
  packageManager: PackageManager,
): { dependencies: Record<string, string>; pnpm?: { overrides: Record<string, string> } } {
  const dependencies = Object.fromEntries(
    packed.map(({ name, tarball }) => [
      name,
      `file:${(appDirectory === undefined ? tarball : relative(appDirectory, tarball)).split('\\').join('/')}`,
    ]),
  );
  return packageManager === 'pnpm' ? { dependencies, pnpm: { overrides: dependencies } } : { dependencies };
}

/**
 * Writes the Next.js app: the template, the snippets of docs/assistant.md (its `lib/assistant.ts` and chat
 * route, verbatim), and a package.json naming the tarballs and the peers the app uses.
 */
export function writeApp(
  appDirectory: string,
  packed: readonly PackedPackage[],
  packageManager: PackageManager = 'npm',
): void {
  cpSync(APP_TEMPLATE, appDirectory, { recursive: true });
  const written = new Map<string, string>();
  for (const snippet of docsAppFiles()) {
    const earlier = written.get(snippet.file);
    if (earlier !== undefined)
      throw new PackInstallError('The app cannot be written', [
        `${snippet.page} and ${earlier} both write ${snippet.file}`,
      ]);
    written.set(snippet.file, snippet.page);
    mkdirSync(join(appDirectory, snippet.file, '..'), { recursive: true });
    writeFileSync(join(appDirectory, snippet.file), snippet.code);
  }
  const byName = new Map(packed.map((packedPackage) => [packedPackage.name, packedPackage]));
  const peers: Record<string, string> = {};
  const problems: string[] = [];
  for (const [dependency, owner] of Object.entries(APP_PEERS)) {
    const manifest = byName.get(owner)?.manifest;
    const range = manifest?.peerDependencies?.[dependency] ?? manifest?.dependencies?.[dependency];
    if (range)
      peers[dependency] =
        packageManager === 'pnpm' && dependency === 'zod' ? lowestOf(range, dependency) : range;
    else
      problems.push(
        `${owner} declares no dependency or peer dependency on ${dependency}, which the app imports through it`,
      );
  }
  if (problems.length > 0) throw new PackInstallError('The app cannot be written', problems);
  const { dependencies: tarballs, ...pnpmSettings } = tarballDependencies(
    appDirectory,
    packed,
    packageManager,
  );
  const manifest = {
    name: 'neptune-pack-install-app',
    version: '0.0.0',
    private: true,
    scripts: { build: 'next build', start: 'next start' },
    dependencies: sortKeys({ ...APP_DEPENDENCIES, ...peers, ...tarballs }),
    devDependencies: sortKeys({ ...APP_DEV_DEPENDENCIES }),
    ...pnpmSettings,
  };
  writeFileSync(join(appDirectory, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

const sortKeys = (record: Record<string, string>) =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));

/** npm: one copy of each Neptune package in package-lock.json, each from its tarball. */
function checkNpmCopies(appDirectory: string, packed: readonly PackedPackage[]): string[] {
  const problems: string[] = [];
  const lock = JSON.parse(readFileSync(join(appDirectory, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string; resolved?: string }>;
  };
  for (const { name, version } of packed) {
    const copies = Object.entries(lock.packages).filter(([path]) => path.endsWith(`node_modules/${name}`));
    if (copies.length !== 1) {
      problems.push(
        `${name} is installed ${copies.length} times (${copies.map(([path]) => path).join(', ')}); expected once, from its tarball`,
      );
    }
    for (const [path, entry] of copies) {
      if (!entry.resolved?.startsWith('file:') || entry.version !== version) {
        problems.push(
          `${path} came from ${entry.resolved ?? 'nowhere'} (version ${entry.version}), not from the packed tarball`,
        );
      }
    }
  }
  return problems;
}

/** pnpm: one copy of each Neptune package in node_modules/.pnpm, each from its tarball (`@neptune+core@file+...`). */
function checkPnpmCopies(appDirectory: string, packed: readonly PackedPackage[]): string[] {
  const problems: string[] = [];
  const virtualStore = readdirSync(join(appDirectory, 'node_modules', '.pnpm'));
  for (const { name, tarball } of packed) {
    const copies = virtualStore.filter((entry) => entry.startsWith(`${name.replace('/', '+')}@`));
    const fromTarball = copies.filter(
      (entry) => entry.includes('file+') && entry.includes(basename(tarball)),
    );
    if (copies.length !== 1 || fromTarball.length !== 1) {
      problems.push(
        `${name} is installed as ${JSON.stringify(copies)} in node_modules/.pnpm; expected once, from ${basename(tarball)}`,
      );
    }
  }
  return problems;
}

/** After the install: one copy of each Neptune package, each from its tarball; the versions resolved. */
export function checkInstall(
  appDirectory: string,
  packed: readonly PackedPackage[],
  packageManager: PackageManager = 'npm',
): { problems: string[]; resolved: Record<string, { version: string; node: string | undefined }> } {
  const problems =
    packageManager === 'npm' ? checkNpmCopies(appDirectory, packed) : checkPnpmCopies(appDirectory, packed);
  const resolved: Record<string, { version: string; node: string | undefined }> = {};
  const appManifest = JSON.parse(readFileSync(join(appDirectory, 'package.json'), 'utf8')) as PackageManifest;
  for (const dependency of Object.keys({ ...appManifest.dependencies, ...appManifest.devDependencies })) {
    const installed = join(appDirectory, 'node_modules', dependency, 'package.json');
    if (!existsSync(installed)) {
      problems.push(`${dependency} is not installed`);
      continue;
    }
    const manifest = JSON.parse(readFileSync(installed, 'utf8')) as PackageManifest;
    resolved[dependency] = { version: manifest.version, node: manifest.engines?.node };
  }
  if (resolved.next && resolved.next.version !== APP_DEPENDENCIES.next) {
    problems.push(`next resolved to ${resolved.next.version}, not ${APP_DEPENDENCIES.next}`);
  }
  return { problems, resolved };
}

async function fetchCheck(baseUrl: string, path: string, init: RequestInit = {}): Promise<HttpCheck> {
  const response = await fetch(new URL(path, baseUrl), {
    redirect: 'manual',
    ...init,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let body: unknown = text;
  if (response.headers.get('content-type')?.includes('json')) {
    try {
      body = JSON.parse(text);
    } catch {
      // Keep the text.
    }
  }
  return { path, status: response.status, body, setCookie: response.headers.get('set-cookie') };
}

async function waitUntilServing(
  server: ChildProcess,
  baseUrl: string,
  output: () => string,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(`next start exited with ${server.exitCode ?? server.signalCode}:\n${tail(output())}`);
    }
    try {
      await fetch(new URL('/favicon.ico', baseUrl), { signal: AbortSignal.timeout(2_000) });
      return;
    } catch {
      await new Promise((resolveWait) => setTimeout(resolveWait, 150));
    }
  }
  throw new Error(`next start did not answer on ${baseUrl} within ${timeoutMs} ms:\n${tail(output())}`);
}

interface AskBody {
  readonly topDocumentId?: unknown;
  readonly citations?: unknown;
  readonly context?: { readonly tokens?: unknown; readonly maxTokens?: unknown };
  readonly memory?: { readonly recalledMessages?: unknown };
  readonly cache?: { readonly hits?: unknown } | null;
  readonly metrics?: { readonly requests?: unknown; readonly searches?: unknown };
  readonly ingestion?: { readonly failed?: unknown };
}

const pause = (ms: number) => new Promise((resolvePause) => setTimeout(resolvePause, ms));

/** The memory figure of a streamed answer's `start` chunk (how many earlier messages were recalled). */
export function recalledMessages(stream: unknown): number | undefined {
  const match = typeof stream === 'string' ? /"memoryMessages":(\d+)/.exec(stream) : null;
  return match ? Number(match[1]) : undefined;
}

/**
 * docs/quickstart.md's app, as its last section tells a user to try it: a question, a follow-up in the same
 * conversation (remembered after the first response, so it is asked again until the memory shows, at most
 * ten times), the dashboard without and with the token, the sign-in form and the dashboard by its cookie.
 */
async function quickstartChecks(baseUrl: string, token: string): Promise<Record<string, HttpCheck>> {
  const conversationId = `quickstart-${randomUUID()}`;
  const ask = (message: string) =>
    fetchCheck(baseUrl, '/api/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message, conversationId }),
    });
  const checks: Record<string, HttpCheck> = {};
  checks.quickstartChat = await ask('How long does a refund take?');
  for (let attempt = 0; attempt < 10; attempt++) {
    checks.quickstartFollowUp = await ask('And for a monthly plan?');
    if ((recalledMessages(checks.quickstartFollowUp.body) ?? 0) >= 2) break;
    await pause(500);
  }
  checks.quickstartDashboardClosed = await fetchCheck(baseUrl, '/admin');
  for (let attempt = 0; attempt < 10; attempt++) {
    checks.quickstartDashboardJson = await fetchCheck(baseUrl, '/admin?format=json', {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = checks.quickstartDashboardJson.body as
      | { report?: { summary?: { requests?: { total?: number } } } }
      | undefined;
    if (Number(body?.report?.summary?.requests?.total) >= 2) break;
    await pause(500);
  }
  checks.quickstartLoginForm = await fetchCheck(baseUrl, '/admin/login');
  checks.quickstartSignIn = await fetchCheck(baseUrl, '/admin/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }).toString(),
  });
  const cookie = checks.quickstartSignIn.setCookie?.split(';')[0] ?? '';
  checks.quickstartDashboard = await fetchCheck(baseUrl, '/admin', { headers: { cookie } });
  return checks;
}

/** What is wrong with docs/quickstart.md's app, from its answers. */
export function checkQuickstartResponses(responses: Readonly<Record<string, HttpCheck>>): string[] {
  const problems: string[] = [];
  const expect = (condition: boolean, message: string, check: HttpCheck | undefined) => {
    if (!condition)
      problems.push(`${message}; got ${check?.status} ${JSON.stringify(check?.body).slice(0, 600)}`);
  };
  const {
    quickstartChat: chat,
    quickstartFollowUp: followUp,
    quickstartDashboardClosed: closed,
    quickstartDashboardJson: json,
    quickstartLoginForm: form,
    quickstartSignIn: signIn,
    quickstartDashboard: dashboard,
  } = responses;
  const stream = typeof chat?.body === 'string' ? chat.body : '';
  expect(
    streamsCitedRefundAnswer(chat) && stream.includes('"degraded":[]'),
    'quickstart: POST /api/chat should stream an answer citing the refund policy, nothing degraded (Redis and PostgreSQL up)',
    chat,
  );
  expect(
    followUp?.status === 200 && (recalledMessages(followUp.body) ?? 0) >= 2,
    'quickstart: a follow-up in the same conversation should recall the first turn (memoryMessages >= 2)',
    followUp,
  );
  expect(closed?.status === 401, 'quickstart: GET /admin without the token should answer 401', closed);
  const report = (json?.body as { report?: { summary?: { requests?: { total?: number } } } } | undefined)
    ?.report;
  expect(
    json?.status === 200 && Number(report?.summary?.requests?.total) >= 2,
    'quickstart: GET /admin?format=json with the bearer token should count the chat requests',
    json,
  );
  expect(
    form?.status === 200 && typeof form.body === 'string' && form.body.includes('<form'),
    'quickstart: GET /admin/login should show the sign-in form',
    form,
  );
  expect(
    signIn?.status === 303 &&
      /HttpOnly/i.test(signIn.setCookie ?? '') &&
      /SameSite/i.test(signIn.setCookie ?? ''),
    'quickstart: POST /admin/login with the token should set an HttpOnly, SameSite cookie and redirect (303)',
    signIn,
  );
  expect(
    dashboard?.status === 200 && typeof dashboard.body === 'string' && dashboard.body.includes('<html'),
    'quickstart: GET /admin with the sign-in cookie should show the dashboard',
    dashboard,
  );
  return problems;
}

/** A 200 carrying the UI message stream of an answer that cites the refund policy, ended with [DONE]. */
function streamsCitedRefundAnswer(chat: HttpCheck | undefined): boolean {
  const stream = typeof chat?.body === 'string' ? chat.body : '';
  return (
    chat?.status === 200 &&
    stream.includes('"type":"source-document"') &&
    stream.includes('"documentId":"refunds"') &&
    stream.includes('"type":"text-delta"') &&
    stream.trimEnd().endsWith('data: [DONE]')
  );
}

/** What is wrong with the answers of the running app. */
export function checkResponses(responses: Readonly<Record<string, HttpCheck>>): string[] {
  const problems: string[] = [];
  const expect = (condition: boolean, message: string, check: HttpCheck | undefined) => {
    if (!condition)
      problems.push(`${message}; got ${check?.status} ${JSON.stringify(check?.body).slice(0, 600)}`);
  };
  const { page, refund, password, refundAgain, invalid, edge, chat, chatInvalid, chatUnauthorized } =
    responses;
  expect(
    streamsCitedRefundAnswer(chat),
    "POST /api/chat (docs/assistant.md's route) should stream a cited answer in the UI message stream protocol",
    chat,
  );
  expect(
    chatInvalid?.status === 400 && JSON.stringify(chatInvalid.body).includes('message'),
    'POST /api/chat with an empty message should answer 400 naming the field',
    chatInvalid,
  );
  expect(
    chatUnauthorized?.status === 401,
    'POST /api/chat without a session should answer 401',
    chatUnauthorized,
  );
  expect(
    page?.status === 200 &&
      typeof page.body === 'string' &&
      page.body.includes('scope acme/ana') &&
      page.body.includes('tokens 2'),
    'GET / should render the scope and a token count',
    page,
  );
  for (const [check, documentId] of [
    [refund, 'refunds'],
    [password, 'passwords'],
    [refundAgain, 'refunds'],
  ] as const) {
    const body = check?.body as AskBody | undefined;
    expect(check?.status === 200, `GET ${check?.path} should answer 200`, check);
    expect(
      body?.topDocumentId === documentId,
      `GET ${check?.path} should retrieve "${documentId}" first`,
      check,
    );
    expect(
      Array.isArray(body?.citations) && body.citations[0] === documentId,
      `GET ${check?.path} should cite "${documentId}" as [1] in the assembled context`,
      check,
    );
    expect(
      typeof body?.context?.tokens === 'number' &&
        typeof body.context.maxTokens === 'number' &&
        body.context.tokens > 0 &&
        body.context.tokens <= body.context.maxTokens,
      `GET ${check?.path} should assemble a context within its token budget`,
      check,
    );
    expect(body?.ingestion?.failed === 0, `GET ${check?.path} should ingest both documents`, check);
    expect(
      typeof body?.metrics?.requests === 'number' &&
        body.metrics.requests >= 1 &&
        Number(body.metrics.searches) >= 1,
      `GET ${check?.path} should see its request and search in the metrics`,
      check,
    );
  }
  const second = password?.body as AskBody | undefined;
  expect(
    Number(second?.memory?.recalledMessages) >= 2,
    'the second question of the conversation should recall the first turn',
    password,
  );
  const third = refundAgain?.body as AskBody | undefined;
  expect(
    Number(third?.cache?.hits) >= 1,
    'asking the first question again should hit the answer cache',
    refundAgain,
  );
  expect(invalid?.status === 400, 'GET /api/ask without a question should answer 400', invalid);
  const edgeBody = edge?.body as
    | { runtime?: unknown; dimensions?: unknown; upstashStore?: unknown }
    | undefined;
  expect(
    edge?.status === 200 &&
      edgeBody?.runtime === 'edge' &&
      edgeBody.dimensions === 1536 &&
      typeof edgeBody.upstashStore === 'string',
    'GET /api/edge should run on the edge runtime with the Upstash store and the offline embedder',
    edge,
  );
  return problems;
}

/**
 * How each package manager installs the app: no audit or funding noise, from the local cache when it can,
 * and refusing any package whose `engines` excludes this Node.js.
 */
const INSTALL_ARGUMENTS: Readonly<Record<PackageManager, readonly string[]>> = {
  npm: ['install', '--no-audit', '--no-fund', '--prefer-offline', '--engine-strict', '--loglevel=error'],
  pnpm: ['install', '--prefer-offline', '--config.engine-strict=true', '--reporter=append-only'],
};

export interface PackInstallOptions {
  /** The package managers to install the app with, one app each; all of PACKAGE_MANAGERS by default. */
  readonly packageManagers?: readonly PackageManager[] | undefined;
  /** Keep the temporary directory (it is kept anyway when something failed, except under CI). */
  readonly keep?: boolean | undefined;
  readonly log?: ((message: string) => void) | undefined;
}

/**
 * One run of the whole check. `execute()` resolves with the report (problems included) or rejects at
 * the first step that cannot go on; `dispose()` stops the server and anything still running and removes
 * the temporary directory, and is safe to call at any time (a test calls it from afterAll).
 */
export class PackInstallRun {
  readonly workDirectory = mkdtempSync(join(tmpdir(), 'neptune-pack-install-'));
  readonly packDirectory = join(this.workDirectory, 'packs');
  private readonly servers = new Set<ChildProcess>();
  private failed = true;
  private readonly timingsMs: Record<string, number> = {};

  constructor(private readonly options: PackInstallOptions = {}) {
    if (!relative(REPOSITORY_ROOT, this.workDirectory).startsWith('..')) {
      throw new Error(
        `The temporary directory ${this.workDirectory} is inside the repository ${REPOSITORY_ROOT}`,
      );
    }
  }

  private log(message: string): void {
    this.options.log?.(message);
  }

  private async step<T>(name: string, action: () => Promise<T> | T): Promise<T> {
    const startedAt = performance.now();
    this.log(`pack-install: ${name}...`);
    try {
      return await action();
    } finally {
      this.timingsMs[name] = Math.round(performance.now() - startedAt);
      this.log(`pack-install: ${name} took ${(this.timingsMs[name]! / 1000).toFixed(1)} s`);
    }
  }

  async execute(): Promise<PackInstallReport> {
    const startedAt = performance.now();
    const problems: string[] = [];
    const packed = await this.step('pack', () => packPackages(this.packDirectory));
    const versions = new Map(packed.map(({ name, version }) => [name, version]));
    const packProblems = packed.flatMap((packedPackage) => checkPackedPackage(packedPackage, versions));
    if (packProblems.length > 0)
      throw new PackInstallError('The packed packages are not fit to publish', packProblems);

    const apps: Partial<Record<PackageManager, AppReport>> = {};
    // One app after the other: each build takes both cores.
    for (const packageManager of this.options.packageManagers ?? PACKAGE_MANAGERS) {
      const app = await this.installAndServe(packageManager, packed, problems);
      apps[packageManager] = app;
    }
    this.timingsMs.total = Math.round(performance.now() - startedAt);
    this.failed = problems.length > 0;
    return {
      workDirectory: this.workDirectory,
      packages: packed.map(({ name, version, tarball }) => ({
        name,
        version,
        tarball: basename(tarball),
        kilobytes: Math.round(readFileSync(tarball).length / 1024),
      })),
      apps,
      node: process.version,
      timingsMs: this.timingsMs,
      problems,
    };
  }

  /** Writes the app for one package manager, installs the tarballs with it, then loads, builds, starts and requests it. */
  private async installAndServe(
    packageManager: PackageManager,
    packed: readonly PackedPackage[],
    allProblems: string[],
  ): Promise<AppReport> {
    const appDirectory = join(this.workDirectory, `app-${packageManager}`);
    const problems: string[] = [];
    mkdirSync(appDirectory, { recursive: true });
    writeApp(appDirectory, packed, packageManager);
    await this.step(`${packageManager} install`, () =>
      run(packageManager, INSTALL_ARGUMENTS[packageManager], { cwd: appDirectory, timeoutMs: 180_000 }),
    );
    const install = checkInstall(appDirectory, packed, packageManager);
    if (install.problems.length > 0)
      throw new PackInstallError(`${packageManager} installed the wrong packages`, install.problems);

    const node = process.execPath;
    const next = join(appDirectory, 'node_modules', 'next', 'dist', 'bin', 'next');
    // Plain Node.js loads and the bin run alongside the build: they are short and mostly wait on disk.
    const [entriesRun, evalHelp, build] = await this.step(
      `${packageManager}: next build + entry checks`,
      () =>
        Promise.all([
          run(node, ['check-entries.mjs'], { cwd: appDirectory, timeoutMs: 60_000 }).catch(
            (error: Error) => ({
              stdout: /\{"entries".*\}/.exec(error.message)?.[0] ?? '',
              error,
            }),
          ),
          run(join(appDirectory, 'node_modules', '.bin', 'neptune-eval'), ['--help'], {
            cwd: appDirectory,
            timeoutMs: 30_000,
          }).catch((error: Error) => ({ stdout: '', error })),
          run(node, [next, 'build'], { cwd: appDirectory, timeoutMs: 360_000 }),
        ]),
    );
    let entries: AppReport['entries'] = [];
    let smoke: Record<string, unknown> = {};
    try {
      ({ entries, smoke } = JSON.parse(entriesRun.stdout) as {
        entries: AppReport['entries'];
        smoke: Record<string, unknown>;
      });
    } catch {
      problems.push(
        `check-entries.mjs did not print its report: ${'error' in entriesRun ? entriesRun.error.message : entriesRun.stdout}`,
      );
    }
    for (const entry of entries) if (entry.error) problems.push(`${entry.specifier}: ${entry.error}`);
    if (smoke.error) problems.push(`CommonJS smoke test failed: ${smoke.error}`);
    else if (entries.length > 0 && (smoke.requireTokens !== 2 || smoke.requireTopDocumentId !== 'refunds')) {
      problems.push(
        `CommonJS smoke test gave ${JSON.stringify(smoke)}; expected 2 tokens and "refunds" first`,
      );
    }
    if ('error' in evalHelp) problems.push(`neptune-eval --help failed: ${evalHelp.error.message}`);
    else if (!evalHelp.stdout.includes('neptune-eval'))
      problems.push(`neptune-eval --help printed: ${evalHelp.stdout}`);

    const responses = await this.step(`${packageManager}: next start + requests`, async () => {
      const port = await freePort();
      const baseUrl = `http://127.0.0.1:${port}`;
      // The quickstart reads REDIS_URL and DATABASE_URL from the environment, as a user's .env.local has them.
      const token = `pack-install-${randomUUID()}`;
      const server = launch(node, [next, 'start', '--port', String(port), '--hostname', '127.0.0.1'], {
        cwd: appDirectory,
        env: childEnvironment({ NEPTUNE_METRICS_TOKEN: token }),
      });
      this.servers.add(server);
      let output = '';
      server.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
      });
      server.stderr?.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
      });
      await waitUntilServing(server, baseUrl, () => output, 30_000);
      const ask = (question: string) => `/api/ask?q=${encodeURIComponent(question)}&conversation=pack-check`;
      const checks: Record<string, HttpCheck> = {};
      checks.page = await fetchCheck(baseUrl, '/check');
      // In order: the second question recalls the first turn, the third hits the answer cache.
      checks.refund = await fetchCheck(baseUrl, ask('How do I get a refund?'));
      checks.password = await fetchCheck(baseUrl, ask('How do I reset my password?'));
      checks.refundAgain = await fetchCheck(baseUrl, ask('How do I get a refund?'));
      checks.invalid = await fetchCheck(baseUrl, '/api/ask');
      checks.edge = await fetchCheck(baseUrl, '/api/edge');
      // docs/assistant.md's route, as the page has it: a streamed, cited answer; 400; 401 without a session.
      const chat = (body: string, headers: Record<string, string> = { 'x-user': 'ana' }) =>
        fetchCheck(baseUrl, '/guide/api/chat', { method: 'POST', headers, body });
      checks.chat = await chat(
        JSON.stringify({ message: 'How long does a refund take?', conversationId: 'c1' }),
      );
      checks.chatInvalid = await chat(JSON.stringify({ message: '' }));
      checks.chatUnauthorized = await chat(JSON.stringify({ message: 'hi' }), {});
      Object.assign(checks, await quickstartChecks(baseUrl, token));
      const serverErrors = output
        .split('\n')
        .filter((line) => /\b(Error|TypeError|ReferenceError)\b/.test(line));
      if (serverErrors.length > 0)
        problems.push(`next start logged errors:\n${serverErrors.slice(0, 20).join('\n')}`);
      return checks;
    });
    problems.push(...checkResponses(responses), ...checkQuickstartResponses(responses));
    const server = [...this.servers].at(-1);
    if (server) {
      await stopProcess(server);
      this.servers.delete(server);
    }
    allProblems.push(...problems.map((problem) => `[${packageManager}] ${problem}`));
    return {
      packageManager,
      resolved: install.resolved,
      entries,
      smoke,
      responses,
      buildWarnings: `${build.stdout}\n${build.stderr}`
        .split('\n')
        .filter((line) => line.startsWith('⚠'))
        .map((line) => line.trim()),
    };
  }

  /** Stops the server and every child still running; removes the temporary directory unless kept. */
  async dispose(): Promise<void> {
    await Promise.all([...this.servers].map((server) => stopProcess(server)));
    await stopAllProcesses();
    // Kept when asked, or after a failure to look at, except under CI where nobody will.
    const inCi = Boolean(process.env.CI) && process.env.CI !== 'false' && process.env.CI !== '0';
    if (this.options.keep || (this.failed && !inCi)) {
      this.log(`pack-install: kept ${this.workDirectory}`);
    } else {
      // Half a gigabyte of node_modules: seconds on a busy disk, so asynchronously.
      const startedAt = performance.now();
      await rm(this.workDirectory, { recursive: true, force: true, maxRetries: 3 });
      this.log(
        `pack-install: removed ${this.workDirectory} in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`,
      );
    }
  }
}

async function main(): Promise<void> {
  const keep = process.argv.includes('--keep');
  // `--only npm` or `--only pnpm`: one app instead of both.
  const only = process.argv[process.argv.indexOf('--only') + 1];
  const packageManagers = PACKAGE_MANAGERS.filter(
    (candidate) => !process.argv.includes('--only') || candidate === only,
  );
  const packInstall = new PackInstallRun({ keep, packageManagers, log: (message) => console.log(message) });
  const stop = () => {
    void packInstall.dispose().finally(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const report = await packInstall.execute();
    for (const [packageManager, app] of Object.entries(report.apps)) {
      console.log(`${packageManager}: ${JSON.stringify({ ...app, responses: undefined }, null, 2)}`);
      for (const [name, check] of Object.entries(app.responses)) {
        console.log(`${packageManager} ${name}: ${check.status} ${JSON.stringify(check.body).slice(0, 300)}`);
      }
    }
    console.log(`timings (ms): ${JSON.stringify(report.timingsMs)}`);
    if (report.problems.length > 0) {
      console.error(`pack-install: ${report.problems.length} problem(s):\n${report.problems.join('\n')}`);
      process.exitCode = 1;
    } else {
      console.log('pack-install: every package packs, installs, builds and answers in a fresh Next.js app');
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  } finally {
    await packInstall.dispose();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  await main();
}
