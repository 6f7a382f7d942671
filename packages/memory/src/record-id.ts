import { z } from 'zod';

/** Same characters as scope ids, so an id can sit inside a key-value key without escaping. */
const ID_PATTERN = /^[\p{L}\p{N}_.@+|=-]+$/u;

export const recordIdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .regex(ID_PATTERN, 'may use letters, digits and _ - . @ + | = only');

/** A random UUID (Web Crypto, so it also runs on the edge runtime). */
export function randomId(): string {
  return globalThis.crypto.randomUUID();
}
