import { NeptuneError } from '@neptune/core';

const MARKER = Symbol.for('neptune.error.DocumentLoadError');

/**
 * A file (or uploaded content) a loader could not turn into documents. `file` names it and `reason` says
 * why, in words a user can act on. Folder readers collect these and go on with the rest of the batch.
 */
export class DocumentLoadError extends NeptuneError {
  readonly file: string;
  readonly reason: string;

  constructor(options: { file: string; reason: string; cause?: unknown; missingFile?: boolean }) {
    super({
      code: options.missingFile ? 'not-found' : 'invalid-argument',
      message: `Cannot load ${options.file}: ${options.reason}`,
      cause: options.cause,
      details: { file: options.file, reason: options.reason },
    });
    this.name = 'DocumentLoadError';
    this.file = options.file;
    this.reason = options.reason;
    Object.defineProperty(this, MARKER, { value: true, enumerable: false });
  }

  /** True for errors of this class, also when they come from another copy of `@neptune/rag`. */
  static override isInstance(error: unknown): error is DocumentLoadError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}
