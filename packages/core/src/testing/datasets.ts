import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { isCI } from './services';

/** The folder a clone of a local repository was made from (`git clone /work/main /tmp/x`), if any. */
function localOrigin(from: string): string | undefined {
  try {
    const url = execFileSync('git', ['config', '--get', 'remote.origin.url'], {
      cwd: from,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const path = url.startsWith('file://') ? url.slice('file://'.length) : url;
    return isAbsolute(path) && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

function withAncestors(directory: string): string[] {
  const folders: string[] = [];
  for (let current = resolve(directory); ; current = dirname(current)) {
    folders.push(current);
    if (dirname(current) === current) return folders;
  }
}

/**
 * Finds a shared evaluation data set (`scifact`, ...): `$NEPTUNE_DATA_DIR/<name>` first, then a
 * `shared/data/<name>` folder in the working directory or any folder above it (the repository sits
 * beside `shared/`), then the same beside the repository a local clone was made from. Returns undefined
 * when absent locally; under CI a missing data set is an error.
 */
export function locateDataset(name: string, from: string = process.cwd()): string | undefined {
  const candidates: string[] = [];
  const explicit = process.env.NEPTUNE_DATA_DIR;
  if (explicit) candidates.push(join(explicit, name));
  for (const folder of withAncestors(from)) candidates.push(join(folder, 'shared', 'data', name));
  let found = candidates.find((candidate) => existsSync(candidate));
  // A fresh clone elsewhere (CI's) finds the data beside the repository it was cloned from.
  const origin = found === undefined ? localOrigin(from) : undefined;
  if (origin !== undefined) {
    const beside = withAncestors(origin).map((folder) => join(folder, 'shared', 'data', name));
    candidates.push(...beside);
    found = beside.find((candidate) => existsSync(candidate));
  }
  if (found === undefined && isCI()) {
    throw new Error(
      `The ${name} data set was not found (looked in ${candidates.slice(0, 3).join(', ')}, ...). Set NEPTUNE_DATA_DIR to the folder that holds ${name}/.`,
    );
  }
  return found;
}
