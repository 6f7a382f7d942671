import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ALLOWED_DEPENDENCIES,
  documentedDependencies,
  findImportedPackages,
  findImportViolations,
} from './architecture';

describe('package dependency graph', () => {
  it('has no forbidden imports in this repository', () => {
    expect(findImportViolations(resolve(import.meta.dirname, '..'))).toEqual([]);
  });

  it('allows exactly the graph documented in docs/architecture.md', () => {
    const sorted = Object.fromEntries(
      Object.entries(ALLOWED_DEPENDENCIES).map(([name, allowed]) => [name, [...allowed].sort()]),
    );
    const markdown = readFileSync(resolve(import.meta.dirname, '../docs/architecture.md'), 'utf8');
    expect(documentedDependencies(markdown)).toEqual(sorted);
  });

  it('allows no edge that the code does not use', () => {
    const sorted = Object.fromEntries(
      Object.entries(ALLOWED_DEPENDENCIES).map(([name, allowed]) => [name, [...allowed].sort()]),
    );
    expect(findImportedPackages(resolve(import.meta.dirname, '..'))).toEqual(sorted);
  });

  it('catches a forbidden dependency, a deep import and a relative escape', () => {
    const root = mkdtempSync(join(tmpdir(), 'neptune-architecture-'));
    mkdirSync(join(root, 'packages/core/src'), { recursive: true });
    mkdirSync(join(root, 'packages/cache/src'), { recursive: true });
    writeFileSync(
      join(root, 'packages/core/src/index.ts'),
      "import { createCache } from '@neptune/cache';\n",
    );
    writeFileSync(
      join(root, 'packages/cache/src/index.ts'),
      "import { x } from '@neptune/core/src/scope';\nimport { y } from '../../core/src/scope';\nimport { z } from '@neptune/observability';\n",
    );
    const reasons = findImportViolations(root).map((violation) => violation.reason);
    expect(reasons).toEqual(
      expect.arrayContaining([
        'core may not depend on cache',
        'deep import into another package',
        'relative import reaches outside the package',
        'cache may not depend on observability',
      ]),
    );
  });
});
