// The assistant's snippets in the docs are code: each file-tagged block is compiled here with the
// TypeScript compiler and run, and the deployment guide's route must be the assistant guide's, verbatim.
// (docs/assistant.md's Next.js files are also built and requested in a fresh app by scripts/pack-install.)
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { docsSnippets } from '../../../scripts/docs-snippets';

const ROOT = resolve(import.meta.dirname, '../../..');
const OUT = join(import.meta.dirname, '.docs-snippets');

/** Type errors of `files`, compiled as the repository's code is (its base tsconfig). */
function typeErrors(files: readonly string[]): string[] {
  const config = ts.readConfigFile(join(ROOT, 'tsconfig.base.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  const program = ts.createProgram(files, { ...options, noEmit: true });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.file === undefined || files.includes(diagnostic.file.fileName))
    .map(
      (diagnostic) =>
        `${diagnostic.file?.fileName ?? 'global'}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`,
    );
}

/** The snippets run below: a page and its file-tagged block (its first, unless `anywhere`). */
const RUN = [
  { page: 'docs/getting-started.md', file: 'first-assistant.ts', anywhere: false },
  { page: 'README.md', file: 'readme-assistant.ts', anywhere: false },
  { page: 'docs/feedback-and-experiments.md', file: 'feedback-and-experiments.ts', anywhere: false },
  { page: 'docs/assistant.md', file: 'quota-assistant.ts', anywhere: true },
] as const;
type RunSnippet = (typeof RUN)[number];

/**
 * Writes every snippet of RUN and type-checks them in one program: a program costs seconds to build,
 * so one for all of them keeps this file fast on a loaded machine.
 */
let errorsByFile: Map<string, string[]> | undefined;
function typeErrorsOf(path: string): string[] {
  if (errorsByFile === undefined) {
    mkdirSync(OUT, { recursive: true });
    const paths = RUN.map(({ page, file, anywhere }) => {
      const snippets = docsSnippets(join(ROOT, page));
      const snippet = anywhere ? snippets.find((candidate) => candidate.file === file) : snippets[0];
      expect(snippet?.file, `${page}: the snippet tagged ${file}`).toBe(file);
      const written = join(OUT, file);
      writeFileSync(written, snippet!.code);
      return written;
    });
    const errors = typeErrors(paths);
    errorsByFile = new Map(
      paths.map((written) => [
        written,
        errors.filter((line) => line.startsWith(written) || line.startsWith('global: ')),
      ]),
    );
  }
  return errorsByFile.get(path) ?? [`${path} was not among the snippets type-checked`];
}

/** Type-checks one snippet of RUN, runs it, and returns what it printed. */
async function compileAndRun(snippet: RunSnippet): Promise<string> {
  const path = join(OUT, snippet.file);
  expect(typeErrorsOf(path)).toEqual([]);
  const written: string[] = [];
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  const log = vi.spyOn(console, 'log').mockImplementation((...parts) => {
    written.push(parts.map(String).join(' '));
  });
  try {
    await import(path);
  } finally {
    stdout.mockRestore();
    log.mockRestore();
  }
  return written.join('');
}

// Type-checking builds a program over the packages' sources: slow on a loaded machine, so it is done
// once, here, under its own timeout rather than inside the first test's.
beforeAll(() => {
  typeErrorsOf(join(OUT, RUN[0].file));
}, 300_000);
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

describe('docs snippets', () => {
  it("getting-started's first assistant compiles and answers with a citation", async () => {
    const output = await compileAndRun(RUN[0]);
    expect(output).toContain('refunded in full within 30 days');
    expect(output).toContain('[1] Refund policy');
  }, 60_000);

  it("the README's first example compiles and streams an answer", async () => {
    const output = await compileAndRun(RUN[1]);
    expect(output).toMatch(/within 30 days\. \[1\]/);
  }, 60_000);

  it('the feedback guide rates an answer', async () => {
    const output = await compileAndRun(RUN[2]);
    expect(output).toContain('satisfied');
    expect(output).not.toContain('not satisfied');
  }, 60_000);

  it("the assistant guide's quota example compiles and refuses the third request of the minute", async () => {
    const output = await compileAndRun(RUN[3]);
    expect(output).toMatch(/^answeredansweredrefused, retry in \d+ s$/);
  }, 60_000);

  it("the deployment guide's migration script compiles as CommonJS (a create-next-app project)", () => {
    const script = docsSnippets(join(ROOT, 'docs/deployment.md')).find(
      (snippet) => snippet.file === 'scripts/migrate.ts',
    );
    expect(script).toBeDefined();
    mkdirSync(OUT, { recursive: true });
    const file = join(OUT, 'migrate.ts');
    writeFileSync(file, script!.code);
    const config = ts.readConfigFile(join(ROOT, 'tsconfig.base.json'), ts.sys.readFile);
    const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
    const program = ts.createProgram([file], {
      ...options,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      noEmit: true,
    });
    // 1378/1375/1309: top-level await is refused where the output is CommonJS.
    const codes = ts
      .getPreEmitDiagnostics(program, program.getSourceFile(file))
      .map((diagnostic) => diagnostic.code);
    expect(codes.filter((code) => [1309, 1375, 1378].includes(code))).toEqual([]);
    expect(script!.code).not.toMatch(/^await /m);
  });

  it("the deployment guide's chat route is the assistant guide's, verbatim", () => {
    const route = docsSnippets(join(ROOT, 'docs/assistant.md')).find((snippet) =>
      snippet.file.endsWith('route.ts'),
    );
    expect(route).toBeDefined();
    const deployment = readFileSync(join(ROOT, 'docs/deployment.md'), 'utf8');
    const block = /<!-- route: same as docs\/assistant\.md -->\s*\n```ts\n([\s\S]*?)\n```/.exec(deployment);
    expect(`${block?.[1]}\n`).toBe(route!.code);
  });
});
