/** Corpus sizes by the names the size flags take. */
export const SIZE_NAMES: Readonly<Record<string, number>> = {
  '1k': 1_000,
  '10k': 10_000,
  '100k': 100_000,
  '1m': 1_000_000,
};

/**
 * The sizes a scale benchmark runs: `--sizes=10k,100k,1m` on the command line, else the environment
 * variable named, else the default list. An unknown name is an error that lists the known ones.
 */
export function requestedSizes(environmentVariable: string, defaults: string): number[] {
  const flag = process.argv.find((argument) => argument.startsWith('--sizes='))?.slice('--sizes='.length);
  return (flag ?? process.env[environmentVariable] ?? defaults).split(',').map((name) => {
    const size = SIZE_NAMES[name.trim().toLowerCase()];
    if (size === undefined)
      throw new Error(
        `Unknown size "${name}" in --sizes / ${environmentVariable}; use ${Object.keys(SIZE_NAMES).join(', ')}.`,
      );
    return size;
  });
}

/** 10k, 100k, 1M. */
export const sizeLabel = (size: number) => (size >= 1_000_000 ? `${size / 1_000_000}M` : `${size / 1_000}k`);
