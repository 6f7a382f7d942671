/** Where the bar is drawn: `process.stderr` in a script, a recorder in tests. */
export interface ProgressOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean | undefined;
}

export interface ProgressBar {
  /** Redraws the bar: `label [████░░░░] 12/30 detail`. */
  update(label: string, done: number, total: number, detail?: string): void;
  /** Removes the bar, so that the next line is written where it was. */
  clear(): void;
}

const WIDTH = 24;
const CLEAR_LINE = '\r\u001b[K';

/**
 * A one-line progress bar redrawn in place on a terminal. Off a terminal (CI, a pipe, a log file) it draws
 * nothing, so logs hold only what the script prints.
 */
export function progressBar(output: ProgressOutput = process.stderr): ProgressBar {
  const interactive = output.isTTY === true;
  return {
    update(label, done, total, detail = '') {
      if (!interactive) return;
      const filled = total === 0 ? WIDTH : Math.round((Math.min(done, total) / total) * WIDTH);
      const bar = '█'.repeat(filled) + '░'.repeat(WIDTH - filled);
      output.write(`${CLEAR_LINE}${label} [${bar}] ${done}/${total} ${detail}`.trimEnd());
    },
    clear() {
      if (interactive) output.write(CLEAR_LINE);
    },
  };
}
