// Loads every export of every installed @neptune package with require() (the CommonJS build) and with
// import() (the ES module build), as Node.js resolves them with no bundler in between, and checks that
// both builds export the same names. An entry whose optional peer is not installed is reported as
// skipped. Then runs the CommonJS builds end to end: tokenizer, knowledge base ingest and retrieve.
// Prints one JSON report on stdout; exits 1 when anything failed. Run from the app's directory.
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(join(process.cwd(), 'package.json'));
const nodeModules = join(process.cwd(), 'node_modules');

/** The package a "Cannot find module/package 'x'" error is about, if it is one. */
function missingPackage(error) {
  const match = /Cannot find (?:module|package) '([^']+)'/.exec(String(error?.message));
  if (!match) return undefined;
  const parts = match[1].split('/');
  return match[1].startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const exportNames = (loaded) =>
  Object.keys(loaded)
    .filter((key) => key !== 'default' && key !== '__esModule' && key !== 'module.exports')
    .sort();

const entries = [];
for (const directory of readdirSync(join(nodeModules, '@neptune')).sort()) {
  const manifest = JSON.parse(readFileSync(join(nodeModules, '@neptune', directory, 'package.json'), 'utf8'));
  const peers = Object.keys(manifest.peerDependencies ?? {});
  for (const subpath of Object.keys(manifest.exports ?? { '.': './index.js' })) {
    if (subpath === './package.json') continue;
    const specifier = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
    const names = {};
    let outcome = { specifier };
    for (const format of ['require', 'import']) {
      try {
        names[format] = exportNames(format === 'require' ? require(specifier) : await import(specifier));
      } catch (error) {
        const missing = missingPackage(error);
        outcome =
          missing && peers.includes(missing) && !existsSync(join(nodeModules, missing, 'package.json'))
            ? { specifier, skipped: `optional peer ${missing} is not installed` }
            : { specifier, error: `${format}(): ${String(error?.message ?? error).split('\n')[0]}` };
        break;
      }
    }
    if (!outcome.skipped && !outcome.error) {
      // Resolved inside this app, never through NODE_PATH or a parent directory's node_modules.
      const resolved = [require.resolve(specifier), new URL(import.meta.resolve(specifier)).pathname];
      // pnpm links node_modules/@neptune/x into node_modules/.pnpm, and Node.js resolves the link.
      const installed = realpathSync(join(nodeModules, '@neptune', directory));
      const outside = resolved.filter((path) => !path.startsWith(installed));
      if (outside.length > 0) outcome.error = `resolved outside the app: ${outside.join(', ')}`;
    }
    if (!outcome.skipped && !outcome.error) {
      const onlyRequire = names.require.filter((name) => !names.import.includes(name));
      const onlyImport = names.import.filter((name) => !names.require.includes(name));
      if (names.import.length === 0) outcome.error = 'exports nothing';
      else if (onlyRequire.length > 0 || onlyImport.length > 0) {
        outcome.error = `require() and import() differ: only in require [${onlyRequire}], only in import [${onlyImport}]`;
      } else outcome.exports = names.import.length;
    }
    entries.push(outcome);
  }
}

const smoke = {};
try {
  const { createTokenizer } = require('@neptune/core/tokenizer');
  const tokenizer = await createTokenizer({ encoding: 'cl100k_base' });
  smoke.requireTokens = tokenizer.count('Hello world');
  const { createKnowledgeBase } = require('@neptune/rag');
  const knowledgeBase = createKnowledgeBase();
  const scope = { workspaceId: 'acme' };
  await knowledgeBase.ingest(scope, [
    { id: 'refunds', text: 'Refunds are issued within 14 days of purchase from the Billing page.' },
    { id: 'passwords', text: 'Reset your password from the sign-in page with the emailed link.' },
  ]);
  const { passages } = await knowledgeBase.retrieve(scope, 'How do I get a refund?');
  smoke.requireTopDocumentId = passages[0]?.citation.documentId;
} catch (error) {
  smoke.error = String(error?.stack ?? error);
}

// @neptune/core/testing without vitest (the app has none): both builds load, and the OpenAI-compatible
// server answers; only the conformance suites need vitest, and say so when called.
smoke.vitestResolves = await import('vitest').then(
  () => true,
  () => false,
);
for (const [format, load] of [
  ['import', () => import('@neptune/core/testing')],
  ['require', async () => require('@neptune/core/testing')],
]) {
  try {
    const testing = await load();
    const server = await testing.startOpenAICompatibleServer();
    try {
      const response = await fetch(`${server.url}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'ping' }] }),
      });
      const body = await response.json();
      smoke[`${format}TestingServer`] = body.choices?.[0]?.message?.content;
    } finally {
      await server.close();
    }
    try {
      testing.describeWithService('REDIS_URL', 'needs vitest', () => {});
      smoke[`${format}TestingSuiteWithoutVitest`] = 'did not throw';
    } catch (error) {
      smoke[`${format}TestingSuiteWithoutVitest`] = /vitest/.test(String(error?.message))
        ? 'names vitest'
        : String(error);
    }
  } catch (error) {
    smoke.error = `${format}('@neptune/core/testing') without vitest: ${String(error?.stack ?? error)}`;
  }
}

const failed = entries.filter((entry) => entry.error);
process.stdout.write(`${JSON.stringify({ entries, smoke })}\n`);
if (failed.length > 0 || smoke.error) process.exitCode = 1;
