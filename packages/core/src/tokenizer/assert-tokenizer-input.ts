import { describeValue, ValidationError } from '../errors';

export function assertText(value: unknown, method: string): asserts value is string {
  if (typeof value === 'string') return;
  throw new ValidationError({
    message: `tokenizer.${method}(text) expects a string (received ${describeValue(value)}).`,
    details: { what: 'text', method },
  });
}

export function assertMaxTokens(value: unknown): asserts value is number {
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return;
  // String(), because JSON shows NaN and Infinity as null.
  const received = typeof value === 'number' ? String(value) : describeValue(value);
  throw new ValidationError({
    message: `maxTokens must be a positive integer, the token budget (received ${received}).`,
    details: { what: 'maxTokens', received },
  });
}

export function assertTokenArray(value: unknown): asserts value is readonly number[] {
  if (Array.isArray(value)) return;
  throw new ValidationError({
    message: `tokenizer.decode(tokens) expects an array of token ids (received ${describeValue(value)}).`,
    details: { what: 'tokens' },
  });
}
