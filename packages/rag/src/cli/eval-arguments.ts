import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeValue, parseInput, ValidationError } from '@neptune/core';
import { z } from 'zod';
import { EVAL_STORE_KINDS, type EvalStoreKind } from './eval-stores';
import { BASELINE_CONFIGURATIONS, RETRIEVAL_CONFIGURATIONS } from './retrieval-configurations';

export const EVAL_USAGE = `Usage: neptune-eval --data <beir-folder> [--config <name>[,<name>...]] [--store <kind>] [--json]

Runs retrieval configurations over a BEIR folder (corpus.jsonl, queries.jsonl, qrels/<split>.tsv) and
reports nDCG@10, Recall@10, Recall@100, MRR@10, query latency p50/p95 and index build time.

Options:
  --data <dir>         the BEIR folder (relative paths resolve against the directory you ran from)
  --config <names>     comma-separated; default: all. Known: ${[...RETRIEVAL_CONFIGURATIONS.keys()].join(', ')}
  --json               print JSON on stdout instead of a table (progress stays on stderr)
  --embedder <kind>    auto (default: openai when OPENAI_API_KEY is set, else offline), offline or openai
  --split <name>       which qrels file to judge with (default: test)
  --store <kind>       where the corpus is indexed: memory (default), postgres, pglite or upstash
  --database-url <url> the Postgres of --store postgres (default: DATABASE_URL)
  --table <name>       its table (default neptune_eval; configurations with vectors use <name>_<dimensions>d);
                       the run clears and writes only the workspace "neptune-eval" in it
                       (--store upstash reads UPSTASH_VECTOR_REST_URL and UPSTASH_VECTOR_REST_TOKEN)
  --no-baselines       do not add ${BASELINE_CONFIGURATIONS.join(' and ')} when --config leaves them out
  -h, --help           show this help`;

const knownNames = [...RETRIEVAL_CONFIGURATIONS.keys()];

const configListSchema = z
  .string()
  .transform((value) => value.split(',').map((name) => name.trim()))
  .refine(
    (names) => names.every((name) => name !== ''),
    'a configuration name is empty; separate names with single commas',
  )
  .superRefine((names, context) => {
    const unknown = names.filter((name) => !RETRIEVAL_CONFIGURATIONS.has(name));
    if (unknown.length > 0) {
      context.addIssue({
        code: 'custom',
        message: `unknown configuration ${unknown.map((name) => `"${name}"`).join(', ')}; known: ${knownNames.join(', ')}`,
      });
    }
  });

const evalArgumentsSchema = z.object({
  data: z
    .string({
      error: 'is required: pass --data <folder> with corpus.jsonl, queries.jsonl and qrels/test.tsv',
    })
    .refine((value) => value.trim() !== '', 'is empty: pass --data <folder>'),
  config: configListSchema.optional(),
  json: z.boolean().default(false),
  embedder: z
    .enum(['auto', 'offline', 'openai'], { error: 'must be auto, offline or openai' })
    .default('auto'),
  split: z
    .string()
    .regex(/^[\w.-]+$/, 'must be a file name such as test or dev (qrels/<split>.tsv)')
    .default('test'),
  'no-baselines': z.boolean().default(false),
  store: z
    .enum(EVAL_STORE_KINDS as [EvalStoreKind, ...EvalStoreKind[]], {
      error: `must be one of ${EVAL_STORE_KINDS.join(', ')}`,
    })
    .default('memory'),
  'database-url': z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection URL')
    .optional(),
  table: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,39}$/, 'must be a lower-case SQL identifier of at most 40 characters')
    .default('neptune_eval'),
});

export interface EvalArguments {
  /** Absolute path of the BEIR folder. */
  readonly dataDirectory: string;
  /** `--data` as given, for messages. */
  readonly dataArgument: string;
  /** Configuration names, in the order they are reported (the registry's), baselines included unless turned off. */
  readonly configurations: readonly string[];
  /** The baselines that were added because `--config` left them out. */
  readonly addedBaselines: readonly string[];
  readonly json: boolean;
  readonly embedder: 'auto' | 'offline' | 'openai';
  readonly split: string;
  readonly store: EvalStoreKind;
  readonly databaseUrl: string | undefined;
  readonly table: string;
}

export type ParsedCommandLine =
  | { readonly help: true }
  | { readonly help: false; readonly arguments: EvalArguments };

function readCommandLine(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        data: { type: 'string' },
        config: { type: 'string' },
        json: { type: 'boolean' },
        embedder: { type: 'string' },
        split: { type: 'string' },
        'no-baselines': { type: 'boolean' },
        store: { type: 'string' },
        'database-url': { type: 'string' },
        table: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    // node:util reports unknown options and missing values as a TypeError with an ERR_PARSE_ARGS_* code.
    throw new ValidationError({
      message: `${(error as Error).message}. Run neptune-eval --help for the options.`,
      cause: error,
      details: { argv: describeValue(argv.join(' '), 200) },
    });
  }
}

/**
 * Reads `neptune-eval`'s command line. `baseDirectory` is where relative `--data` paths start: the
 * directory the user ran the command from (pnpm sets `INIT_CWD` to it when running a script).
 */
export function parseEvalArguments(argv: readonly string[], baseDirectory: string): ParsedCommandLine {
  const values = readCommandLine(argv);
  if (values.help) return { help: true };
  const parsed = parseInput(evalArgumentsSchema, values, 'neptune-eval arguments');
  const requested = new Set(parsed.config ?? knownNames);
  const addedBaselines = parsed['no-baselines']
    ? []
    : BASELINE_CONFIGURATIONS.filter((name) => !requested.has(name));
  const selected = new Set([...requested, ...addedBaselines]);
  return {
    help: false,
    arguments: {
      dataDirectory: isAbsolute(parsed.data) ? parsed.data : resolve(baseDirectory, parsed.data),
      dataArgument: parsed.data,
      configurations: knownNames.filter((name) => selected.has(name)),
      addedBaselines,
      json: parsed.json,
      embedder: parsed.embedder,
      split: parsed.split,
      store: parsed.store,
      databaseUrl: parsed['database-url'],
      table: parsed.table,
    },
  };
}
