/**
 * The API reference: TypeDoc over every entry point of every package (each `exports` subpath of each
 * packages/*\/package.json, at its `@neptune/source` file), written to api-docs/ (git-ignored) by
 * `pnpm docs`. The same run lists every public export without a doc comment; scripts/api-docs.test.ts
 * requires that list to be empty.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { Application, LogLevel, type ProjectReflection } from 'typedoc';
import { REPOSITORY_URL } from './package-metadata';

export const REPOSITORY_ROOT = resolve(import.meta.dirname, '..');
export const API_DOCS_DIRECTORY = join(REPOSITORY_ROOT, 'api-docs');

interface PackageEntries {
  readonly name: string;
  /** The source file of each `exports` subpath (its `@neptune/source` condition). */
  readonly entryPoints: string[];
}

/** Every package and the source files of its entry points, from the packages' `exports`. */
export function packageEntries(root = REPOSITORY_ROOT): PackageEntries[] {
  const packagesDirectory = join(root, 'packages');
  return readdirSync(packagesDirectory).map((entry) => {
    const manifest = JSON.parse(readFileSync(join(packagesDirectory, entry, 'package.json'), 'utf8')) as {
      name: string;
      exports?: Record<string, unknown>;
    };
    const entryPoints = Object.values(manifest.exports ?? {}).flatMap((target) => {
      const source =
        typeof target === 'object' && target !== null
          ? (target as Record<string, unknown>)['@neptune/source']
          : undefined;
      return typeof source === 'string' ? [join(packagesDirectory, entry, source)] : [];
    });
    return { name: manifest.name, entryPoints };
  });
}

/** The kinds of export that must carry a doc comment (members of interfaces and classes are not required). */
const DOCUMENTED_KINDS = [
  'Function',
  'Class',
  'Interface',
  'TypeAlias',
  'Variable',
  'Enum',
  'Namespace',
] as const;

export interface ApiDocsResult {
  /** `package entry: export name` for each public export without a doc comment. */
  readonly undocumented: string[];
  /** TypeDoc's errors and other warnings (broken `{@link}`s, ...). */
  readonly otherProblems: string[];
  readonly project: ProjectReflection | undefined;
}

/** Runs TypeDoc; writes the HTML to `out` unless it is undefined. */
export async function buildApiDocs(out: string | undefined = API_DOCS_DIRECTORY): Promise<ApiDocsResult> {
  const packages = packageEntries();
  const app = await Application.bootstrap({
    name: 'Neptune',
    entryPoints: packages.flatMap((entries) => entries.entryPoints),
    packagesRequiringDocumentation: packages.map((entries) => entries.name),
    tsconfig: join(REPOSITORY_ROOT, 'tsconfig.docs.json'),
    // The guides are in docs/; the root README's links to folders would not survive the copy.
    readme: 'none',
    excludePrivate: true,
    excludeInternal: true,
    excludeExternals: true,
    validation: { notExported: false, invalidLink: true, notDocumented: true },
    requiredToBeDocumented: [...DOCUMENTED_KINDS],
    logLevel: LogLevel.Warn,
    githubPages: false,
    // Source links from the published repository, not from the clone's git remote (a fresh clone's
    // origin is a local path, which TypeDoc rejects with a warning).
    sourceLinkTemplate: `${REPOSITORY_URL}/blob/main/{path}#L{line}`,
  });
  const undocumented: string[] = [];
  const otherProblems: string[] = [];
  const log = app.logger.log.bind(app.logger);
  app.logger.log = (message, level) => {
    // TypeDoc colours its messages and prefixes their level.
    const text = stripVTControlCharacters(String(message)).replace(/^\[\w+\]\s*/, '');
    const missing = /^(.*) \((\w+)\), defined in (.*), does not have any documentation$/.exec(text);
    // "core/src/testing.describeX" -> "describeX": the file already says where it is. A member
    // ("Cache.get") is left to its interface's comment: the check is on what an entry exports.
    if (missing) {
      const name = missing[1]?.replace(/^[^.]*\./, '') ?? '';
      if (!name.includes('.')) undocumented.push(`${missing[3]}: ${name} (${missing[2]})`);
      return;
    }
    if (level >= LogLevel.Warn) otherProblems.push(text);
    log(message, level);
  };
  const project = await app.convert();
  if (project) {
    app.validate(project);
    if (out !== undefined) await app.generateDocs(project, out);
  } else otherProblems.push('TypeDoc could not convert the project');
  return { undocumented: [...new Set(undocumented)].sort(), otherProblems, project };
}

async function main(): Promise<void> {
  const { undocumented, otherProblems, project } = await buildApiDocs();
  if (project) console.log(`API reference: ${relative(process.cwd(), API_DOCS_DIRECTORY)}/index.html`);
  if (undocumented.length > 0)
    console.error(`${undocumented.length} public exports have no doc comment:\n${undocumented.join('\n')}`);
  if (!project || undocumented.length > 0 || otherProblems.length > 0) process.exitCode = 1;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  await main();
}
