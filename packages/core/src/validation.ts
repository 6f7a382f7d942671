import type { z } from 'zod';
import { ConfigurationError, describeValue, ValidationError } from './errors';

function formatIssues(error: z.ZodError, input: unknown): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path.length > 0 ? issue.path.join('.') : '(value)';
      let received: unknown = input;
      for (const key of issue.path) {
        received = received !== null && typeof received === 'object' ? (received as never)[key] : undefined;
      }
      return `${path}: ${issue.message} (received ${describeValue(received)})`;
    })
    .join('; ');
}

/**
 * A hand-written edge check, for functions on hot paths where a zod schema per call would cost too much:
 * throws a `ValidationError` that names the argument, what it must be, and what was received.
 */
export function checkArgument(ok: boolean, what: string, expected: string, received: unknown): asserts ok {
  if (ok) return;
  throw new ValidationError({
    message: `${what} must be ${expected} (received ${describeValue(received)}).`,
    details: { what },
  });
}

function checkSchema(schema: unknown, caller: string): void {
  if (typeof (schema as z.ZodType | undefined)?.safeParse === 'function') return;
  throw new ConfigurationError({
    message: `${caller}(schema, ...) expects a zod schema first (received ${describeValue(schema)}).`,
    details: { what: 'schema' },
  });
}

/**
 * Parses a function argument at a public edge. A `ZodError` becomes a `ValidationError` whose message
 * names the argument, each failing field, the value received (cut short), and what to do.
 */
export function parseInput<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  what: string,
): z.output<Schema> {
  checkSchema(schema, 'parseInput');
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError({
    message: `Invalid ${what}: ${formatIssues(result.error, input)}.`,
    cause: result.error,
    details: { what },
  });
}

/** Same as `parseInput` for options objects: the error is a `ConfigurationError`. */
export function parseOptions<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  what: string,
): z.output<Schema> {
  checkSchema(schema, 'parseOptions');
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  throw new ConfigurationError({
    message: `Invalid ${what}: ${formatIssues(result.error, input ?? {})}.`,
    cause: result.error,
    details: { what },
  });
}

/**
 * Resolves a setting: the explicit option first, then the environment variable, then a clear error
 * that names both. `process` is read defensively so this also runs on the edge runtime.
 */
export function resolveSetting(options: {
  value: string | undefined;
  optionName: string;
  environmentVariable: string;
  description: string;
  required?: true;
}): string;
export function resolveSetting(options: {
  value: string | undefined;
  optionName: string;
  environmentVariable: string;
  description: string;
  required: false;
}): string | undefined;
export function resolveSetting(options: {
  value: string | undefined;
  optionName: string;
  environmentVariable: string;
  description: string;
  required?: boolean;
}): string | undefined {
  checkArgument(
    typeof options === 'object' &&
      options !== null &&
      (options.value === undefined || typeof options.value === 'string') &&
      typeof options.optionName === 'string' &&
      typeof options.environmentVariable === 'string',
    'resolveSetting(options)',
    '{ value: string | undefined, optionName, environmentVariable, description }',
    options,
  );
  const { value, optionName, environmentVariable, description, required = true } = options;
  if (value !== undefined && value.trim() !== '') return value;
  const fromEnvironment = readEnvironment(environmentVariable);
  if (fromEnvironment !== undefined && fromEnvironment.trim() !== '') return fromEnvironment;
  if (!required) return undefined;
  throw new ConfigurationError({
    code: 'missing-configuration',
    message: `${description} is missing. Pass it as the \`${optionName}\` option or set the ${environmentVariable} environment variable.`,
    details: { optionName, environmentVariable },
  });
}

/** An environment variable's value, or undefined where there is none (or no `process`, as in a browser). */
export function readEnvironment(name: string): string | undefined {
  const environment = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return environment?.[name];
}
