import { resolve } from 'node:path';
import { SAMPLE_DOCS_FOLDER } from './ingest-folder';

export interface IngestArguments {
  readonly folder: string;
  readonly question: string | undefined;
  /** Through a BullMQ queue (`--enqueue`; `--queue` was its first name) instead of inline. */
  readonly enqueue: boolean;
}

const ENQUEUE_FLAGS = new Set(['--enqueue', '--queue']);

/**
 * `ingest-folder.ts [--enqueue] [folder] ["question"]`. A relative folder is taken from `cwd`, where the
 * command was typed (`pnpm --filter` runs scripts from the package's folder, so pass INIT_CWD).
 */
export function parseIngestArguments(argv: readonly string[], cwd: string): IngestArguments {
  const given = argv.filter((value) => value !== '--');
  const [folder, question] = given.filter((value) => !ENQUEUE_FLAGS.has(value));
  return {
    folder: folder ? resolve(cwd, folder) : SAMPLE_DOCS_FOLDER,
    question,
    enqueue: given.some((value) => ENQUEUE_FLAGS.has(value)),
  };
}
