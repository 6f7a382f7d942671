import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/**
 * The allowed dependency graph between packages, exactly the table in docs/architecture.md (a test
 * compares them, and checks that every edge allowed here is one the code uses). A package may import only
 * the packages listed for it; nothing imports @neptune/observability, which only listens to telemetry.
 */
export const ALLOWED_DEPENDENCIES: Record<string, readonly string[]> = {
  core: [],
  cache: ['core'],
  rag: ['core', 'cache'],
  context: ['core', 'cache'],
  memory: ['core'],
  observability: ['core'],
  // The request flow: the top of the graph, composing the feature packages; nothing imports it.
  assistant: ['core', 'cache', 'rag', 'context', 'memory'],
};

export interface ImportViolation {
  readonly file: string;
  readonly specifier: string;
  readonly reason: string;
}

const IMPORT_PATTERN =
  /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;

function sourceFiles(directory: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(directory)) {
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (/\.(ts|tsx|mts|cts)$/.test(entry)) files.push(path);
  }
  return files;
}

/** Every import in packages/*\/src that breaks the graph: a forbidden package, a deep import, or a relative path out of the package. */
export function findImportViolations(root: string): ImportViolation[] {
  const violations: ImportViolation[] = [];
  const packagesDirectory = join(root, 'packages');
  for (const name of readdirSync(packagesDirectory)) {
    const sourceDirectory = join(packagesDirectory, name, 'src');
    try {
      statSync(sourceDirectory);
    } catch {
      continue;
    }
    const allowed = ALLOWED_DEPENDENCIES[name];
    for (const file of sourceFiles(sourceDirectory)) {
      const text = readFileSync(file, 'utf8');
      const shortFile = relative(root, file);
      for (const match of text.matchAll(IMPORT_PATTERN)) {
        const specifier = match[1] ?? match[2] ?? match[3]!;
        if (allowed === undefined) {
          violations.push({
            file: shortFile,
            specifier,
            reason: `package "${name}" is not in ALLOWED_DEPENDENCIES`,
          });
          break;
        }
        const neptune = /^@neptune\/([^/]+)(\/.*)?$/.exec(specifier);
        if (neptune) {
          const [, target, subpath] = neptune;
          if (target === name)
            violations.push({
              file: shortFile,
              specifier,
              reason: 'a package imports itself by name; use a relative path',
            });
          else if (!allowed.includes(target!))
            violations.push({ file: shortFile, specifier, reason: `${name} may not depend on ${target}` });
          else if (subpath?.includes('/src') || subpath?.includes('/dist'))
            violations.push({ file: shortFile, specifier, reason: 'deep import into another package' });
          continue;
        }
        if (specifier.startsWith('.')) {
          const target = resolve(file, '..', specifier);
          if (!target.startsWith(join(packagesDirectory, name) + '/')) {
            violations.push({
              file: shortFile,
              specifier,
              reason: 'relative import reaches outside the package',
            });
          }
        }
      }
    }
  }
  return violations;
}

/** The `@neptune/*` packages each package's src imports (itself excluded), sorted: the graph as the code has it. */
export function findImportedPackages(root: string): Record<string, string[]> {
  const graph: Record<string, string[]> = {};
  const packagesDirectory = join(root, 'packages');
  for (const name of readdirSync(packagesDirectory)) {
    const sourceDirectory = join(packagesDirectory, name, 'src');
    try {
      statSync(sourceDirectory);
    } catch {
      continue;
    }
    const imported = new Set<string>();
    for (const file of sourceFiles(sourceDirectory)) {
      for (const match of readFileSync(file, 'utf8').matchAll(IMPORT_PATTERN)) {
        const target = /^@neptune\/([^/]+)/.exec(match[1] ?? match[2] ?? match[3]!)?.[1];
        if (target !== undefined && target !== name) imported.add(target);
      }
    }
    graph[name] = [...imported].sort();
  }
  return graph;
}

/** The "package | may import" table of docs/architecture.md, as package name to the packages it lists. */
export function documentedDependencies(markdown: string): Record<string, string[]> {
  const graph: Record<string, string[]> = {};
  for (const line of markdown.split('\n')) {
    const cells = /^\|\s*([a-z][a-z-]*)\s*\|\s*(.*?)\s*\|$/.exec(line);
    if (!cells || cells[1] === 'package') continue;
    const [, name, allowed] = cells;
    graph[name!] = allowed!.startsWith('nothing')
      ? []
      : allowed!
          .split(',')
          .map((entry) => entry.trim())
          .sort();
  }
  return graph;
}
