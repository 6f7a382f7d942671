/** Where progress goes: stderr, so that stdout holds only the table or the JSON. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean | undefined;
  readonly columns?: number | undefined;
}

export interface ProgressBar {
  /** Starts a task of `total` steps (documents, queries). */
  start(label: string, total: number): void;
  update(done: number): void;
  /** Ends the task with one line that stays: `label: summary`. */
  finish(summary: string): void;
}

export interface ProgressBarOptions {
  /** Milliseconds between redraws on a terminal. Default 100. */
  readonly redrawIntervalMs?: number | undefined;
  readonly now?: (() => number) | undefined;
}

const BAR_WIDTH = 24;
const CLEAR_LINE = '\r\u001b[K';

function renderBar(label: string, done: number, total: number, columns: number | undefined): string {
  const share = total === 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(share * BAR_WIDTH);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
  const line = `${label} ${bar} ${Math.floor(share * 100)}% ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}`;
  // A line wider than the terminal wraps, and `\r` then redraws only its last part.
  return columns !== undefined && line.length >= columns ? line.slice(0, columns - 1) : line;
}

/**
 * A progress bar redrawn in place on a terminal. When the stream is not a terminal (a log file, CI), it
 * writes only the one finishing line per task, so that logs stay short.
 */
export function progressBar(stream: ProgressStream, options: ProgressBarOptions = {}): ProgressBar {
  const redrawIntervalMs = options.redrawIntervalMs ?? 100;
  const now = options.now ?? (() => performance.now());
  const interactive = stream.isTTY === true;
  let label = '';
  let total = 0;
  let lastDrawn = Number.NEGATIVE_INFINITY;

  const draw = (done: number) => {
    lastDrawn = now();
    stream.write(`${CLEAR_LINE}${renderBar(label, done, total, stream.columns)}`);
  };

  return {
    start(taskLabel, taskTotal) {
      label = taskLabel;
      total = taskTotal;
      if (interactive) draw(0);
    },
    update(done) {
      if (interactive && (done >= total || now() - lastDrawn >= redrawIntervalMs)) draw(done);
    },
    finish(summary) {
      stream.write(`${interactive ? CLEAR_LINE : ''}${label}: ${summary}\n`);
    },
  };
}
