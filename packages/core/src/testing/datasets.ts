import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isCI } from './services';

/**
 * Finds a shared evaluation data set (`scifact`, ...): `$NEPTUNE_DATA_DIR/<name>` first, then a
 * `shared/data/<name>` folder in the working directory or any folder above it (the repository sits
 * beside `shared/`). Returns undefined when absent locally; under CI a missing data set is an error.
 */
export function locateDataset(name: string, from: string = process.cwd()): string | undefined {
  const candidates: string[] = [];
  const explicit = process.env.NEPTUNE_DATA_DIR;
  if (explicit) candidates.push(join(explicit, name));
  let directory = resolve(from);
  for (;;) {
    candidates.push(join(directory, 'shared', 'data', name));
    const parent = dirname(directory);
    if (parent === directory) break;
    directory = parent;
  }
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found === undefined && isCI()) {
    throw new Error(
      `The ${name} data set was not found (looked in ${candidates.slice(0, 3).join(', ')}, ...). Set NEPTUNE_DATA_DIR to the folder that holds ${name}/.`,
    );
  }
  return found;
}
