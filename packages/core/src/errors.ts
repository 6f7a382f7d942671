/**
 * Every error Neptune throws is a `NeptuneError` with a stable `code`. `isInstance()` checks a `Symbol.for`
 * marker rather than the prototype chain, so it still answers correctly when two copies of `@neptune/core`
 * end up in one bundle (a common situation with monorepos and Next.js server bundles).
 */

export type NeptuneErrorCode =
  | 'invalid-argument'
  | 'invalid-scope'
  | 'invalid-configuration'
  | 'missing-configuration'
  | 'authentication-failed'
  | 'rate-limited'
  | 'quota-exceeded'
  | 'provider-error'
  | 'timeout'
  | 'aborted'
  | 'structured-output-invalid'
  | 'store-unavailable'
  | 'serialization-failed'
  | 'dimension-mismatch'
  | 'not-found'
  | 'conflict';

const ROOT_MARKER = Symbol.for('neptune.error');

function hasMarker(value: unknown, marker: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
}

/** What a `NeptuneError` is constructed with. */
export interface NeptuneErrorOptions {
  code: NeptuneErrorCode;
  message: string;
  cause?: unknown;
  isRetryable?: boolean;
  /** Structured facts about the failure, safe to log (never user content). */
  details?: Record<string, unknown>;
}

/**
 * The base of every error Neptune throws: a stable `code`, whether retrying may help (`isRetryable`), the
 * `cause`, and `details` safe to log. `NeptuneError.isInstance(error)` recognises one across copies of
 * the package.
 */
export class NeptuneError extends Error {
  readonly [ROOT_MARKER] = true;
  readonly code: NeptuneErrorCode;
  readonly isRetryable: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor({ code, message, cause, isRetryable = false, details }: NeptuneErrorOptions) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'NeptuneError';
    this.code = code;
    this.isRetryable = isRetryable;
    this.details = details;
  }

  static isInstance(error: unknown): error is NeptuneError {
    return hasMarker(error, ROOT_MARKER);
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      isRetryable: this.isRetryable,
      details: this.details,
    };
  }
}

/** What a `NeptuneError` subclass is constructed with: the code defaults to the subclass's own. */
export type SubclassOptions = Omit<NeptuneErrorOptions, 'code'> & { code?: NeptuneErrorCode };

/**
 * Declares a subclass with its own marker, so `XError.isInstance()` is as robust as the root check.
 * Written as a factory because every subclass would otherwise repeat the same six lines.
 */
export type NeptuneErrorOf<Name extends string> = NeptuneError & { readonly name: Name };

/** A `NeptuneError` subclass: constructed with `SubclassOptions`, recognised with `isInstance`. */
export interface NeptuneErrorClass<Name extends string> {
  new (options: SubclassOptions): NeptuneErrorOf<Name>;
  readonly prototype: NeptuneErrorOf<Name>;
  /** True for errors of this class, also when they come from another copy of `@neptune/core`. */
  isInstance(error: unknown): error is NeptuneErrorOf<Name>;
}

function defineErrorClass<Name extends string>(
  name: Name,
  defaultCode: NeptuneErrorCode,
  retryable = false,
): NeptuneErrorClass<Name> {
  const marker = Symbol.for(`neptune.error.${name}`);
  class Subclass extends NeptuneError {
    constructor(options: SubclassOptions) {
      super({ isRetryable: retryable, ...options, code: options.code ?? defaultCode });
      this.name = name;
      Object.defineProperty(this, marker, { value: true, enumerable: false });
    }
    static override isInstance(error: unknown): error is NeptuneError {
      return hasMarker(error, marker);
    }
  }
  Object.defineProperty(Subclass, 'name', { value: name });
  return Subclass as unknown as NeptuneErrorClass<Name>;
}

/** Input that does not match what a function accepts. Never retryable: the call must change. */
export const ValidationError = defineErrorClass('ValidationError', 'invalid-argument');
export type ValidationError = InstanceType<typeof ValidationError>;

/** A scope whose workspace or user id is empty, too long, or carries separator characters. */
export const ScopeError = defineErrorClass('ScopeError', 'invalid-scope');
export type ScopeError = InstanceType<typeof ScopeError>;

/** A required option or environment variable is missing or invalid. */
export const ConfigurationError = defineErrorClass('ConfigurationError', 'invalid-configuration');
export type ConfigurationError = InstanceType<typeof ConfigurationError>;

/** A remote provider (model API, vector service) failed. `isRetryable` follows the HTTP status. */
export const ProviderError = defineErrorClass('ProviderError', 'provider-error');
export type ProviderError = InstanceType<typeof ProviderError>;

/** The operation ran past its time limit. Retryable. */
export const TimeoutError = defineErrorClass('TimeoutError', 'timeout', true);
export type TimeoutError = InstanceType<typeof TimeoutError>;

/** The caller's `AbortSignal` fired. Not retryable: the caller asked us to stop. */
export const AbortError = defineErrorClass('AbortError', 'aborted');
export type AbortError = InstanceType<typeof AbortError>;

/** A model's structured output did not match the schema, even after the repair attempt. */
export const StructuredOutputError = defineErrorClass('StructuredOutputError', 'structured-output-invalid');
export type StructuredOutputError = InstanceType<typeof StructuredOutputError>;

/** A storage backend (Redis, Postgres, a vector service) could not be reached or answered with an error. */
export const StoreError = defineErrorClass('StoreError', 'store-unavailable', true);
export type StoreError = InstanceType<typeof StoreError>;

/**
 * A workspace used up one of its quotas (requests, tokens or cost per window). Retryable once the window
 * ends: `details.retryAfterMs` says when, `details.exceeded` which limits. An HTTP edge answers 429.
 */
export const QuotaExceededError = defineErrorClass('QuotaExceededError', 'quota-exceeded', true);
export type QuotaExceededError = InstanceType<typeof QuotaExceededError>;

/** A value that cannot be stored: a function, a cycle, or one over the size limit. */
export const SerializationError = defineErrorClass('SerializationError', 'serialization-failed');
export type SerializationError = InstanceType<typeof SerializationError>;

/** An embedding whose length differs from what the store was created with. */
export const DimensionMismatchError = defineErrorClass('DimensionMismatchError', 'dimension-mismatch');
export type DimensionMismatchError = InstanceType<typeof DimensionMismatchError>;

/** Shortens a received value for an error message, so messages stay readable and never dump a document. */
export function describeValue(value: unknown, maxLength = 60): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (value === undefined) text = 'undefined';
  else if (typeof value === 'function') text = '[function]';
  else if (typeof value === 'bigint') text = `${value}n`;
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = Object.prototype.toString.call(value);
    }
  }
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}
