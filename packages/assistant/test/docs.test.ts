// The assistant's snippets in the docs are code: each file-tagged block is compiled here with the
// TypeScript compiler and run, and the deployment guide's route must be the assistant guide's, verbatim.
// (docs/assistant.md's Next.js files are also built and requested in a fresh app by scripts/pack-install.)
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it, vi } from 'vitest';
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
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
}

/**
 * Writes the page's first file-tagged snippet (or the one named `file` when `anywhere`), type-checks
 * it, runs it, and returns what it printed.
 */
async function compileAndRun(page: string, file: string, anywhere = false): Promise<string> {
  const snippets = docsSnippets(join(ROOT, page));
  const snippet = anywhere ? snippets.find((candidate) => candidate.file === file) : snippets[0];
  expect(snippet?.file).toBe(file);
  mkdirSync(OUT, { recursive: true });
  const path = join(OUT, snippet!.file);
  writeFileSync(path, snippet!.code);
  expect(typeErrors([path])).toEqual([]);
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

afterAll(() => rmSync(OUT, { recursive: true, force: true }));

describe('docs snippets', () => {
  it("getting-started's first assistant compiles and answers with a citation", async () => {
    const output = await compileAndRun('docs/getting-started.md', 'first-assistant.ts');
    expect(output).toContain('refunded in full within 30 days');
    expect(output).toContain('[1] Refund policy');
  }, 60_000);

  it("the README's first example compiles and streams an answer", async () => {
    const output = await compileAndRun('README.md', 'readme-assistant.ts');
    expect(output).toMatch(/within 30 days\. \[1\]/);
  }, 60_000);

  it('the feedback guide rates an answer', async () => {
    const output = await compileAndRun('docs/feedback-and-experiments.md', 'feedback-and-experiments.ts');
    expect(output).toContain('satisfied');
    expect(output).not.toContain('not satisfied');
  }, 60_000);

  it("the assistant guide's quota example compiles and refuses the third request of the minute", async () => {
    const output = await compileAndRun('docs/assistant.md', 'quota-assistant.ts', true);
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
