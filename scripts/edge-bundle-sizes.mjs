// Measures what each Neptune path adds to an edge bundle: esbuild (tsup's) bundles a one-line entry the way
// an edge runtime build resolves it (browser platform, `edge-light`/`worker` conditions, minified, dynamic
// imports split into chunks), and prints raw and gzip sizes of everything it emits. Run after `pnpm build`:
//   node scripts/edge-bundle-sizes.mjs
// Next.js's own edge build adds its runtime on top; these are Neptune's part.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const requireFromTsup = createRequire(createRequire(join(root, 'package.json')).resolve('tsup'));
const { build } = requireFromTsup('esbuild');
// A package that depends on every Neptune package, so the entries resolve as an app's would.
const resolveDir = join(root, 'examples/nextjs-assistant');

const entries = {
  '@neptune/core/offline (extractive model, offline embedder)': `import { extractiveChatModel, offlineEmbedder } from '@neptune/core/offline'; globalThis.x = [extractiveChatModel, offlineEmbedder];`,
  '@neptune/core/openai (chat model, embedder)': `import { openaiChatModel, openaiEmbedder } from '@neptune/core/openai'; globalThis.x = [openaiChatModel, openaiEmbedder];`,
  '@neptune/core/tokenizer (o200k_base)': `import { createTokenizer } from '@neptune/core/tokenizer'; globalThis.x = () => createTokenizer({ encoding: 'o200k_base' });`,
  '@neptune/cache + upstashKeyValueStore': `import { createCache } from '@neptune/cache'; import { upstashKeyValueStore } from '@neptune/cache/upstash'; globalThis.x = [createCache, upstashKeyValueStore];`,
  '@neptune/rag + upstashVectorStore': `import { createKnowledgeBase } from '@neptune/rag'; import { upstashVectorStore } from '@neptune/rag/upstash-vector'; globalThis.x = [createKnowledgeBase, upstashVectorStore];`,
  '@neptune/assistant (createAssistant)': `import { createAssistant } from '@neptune/assistant'; globalThis.x = createAssistant;`,
};

const kib = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;
console.log('| path | files | minified | gzip | largest file, gzip |\n| --- | --- | --- | --- | --- |');
for (const [name, contents] of Object.entries(entries)) {
  const outdir = join(tmpdir(), 'neptune-edge-bundle-sizes', String(Object.keys(entries).indexOf(name)));
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    stdin: { contents, resolveDir, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    splitting: true,
    outdir,
    metafile: true,
    platform: 'browser',
    conditions: ['edge-light', 'worker', 'import'],
    external: [...builtinModules, 'node:*'],
    target: 'es2022',
    logLevel: 'error',
  });
  let raw = 0;
  let gzip = 0;
  let largest = 0;
  const files = Object.keys(result.metafile.outputs);
  for (const file of files) {
    const bytes = readFileSync(file);
    const zipped = gzipSync(bytes, { level: 9 }).length;
    raw += bytes.length;
    gzip += zipped;
    largest = Math.max(largest, zipped);
  }
  console.log(`| ${name} | ${files.length} | ${kib(raw)} | ${kib(gzip)} | ${kib(largest)} |`);
}
