import { NeptuneError } from '@neptune/core';

const MARKER = Symbol.for('neptune.error.UnknownRequestError');

/**
 * Feedback named a request this workspace (and user) never made, or one older than the ledger keeps. A
 * request of another workspace is refused with the same error, so that its existence is not revealed.
 * The feedback handler answers it with 404.
 */
export class UnknownRequestError extends NeptuneError {
  constructor(requestId: string) {
    super({
      code: 'not-found',
      message: `No answer with requestId ${JSON.stringify(requestId.slice(0, 80))} was given to this user in this workspace (or it is older than the feedback retention). Send the requestId of an answer the user received: the x-request-id header or the answer's metadata.`,
      details: { requestId: requestId.slice(0, 128) },
    });
    this.name = 'UnknownRequestError';
    Object.defineProperty(this, MARKER, { value: true, enumerable: false });
  }

  static override isInstance(error: unknown): error is UnknownRequestError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}
