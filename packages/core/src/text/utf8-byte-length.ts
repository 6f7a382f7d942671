import { utf8ByteLength as countUtf8Bytes } from '../tokenizer/utf8';
import { checkArgument } from '../validation';

/**
 * The UTF-8 length of a string in bytes, without allocating a byte array (so it runs on the edge runtime
 * too). A lone surrogate counts as three bytes, as `TextEncoder` writes it as U+FFFD. Throws
 * `ValidationError` for anything but a string.
 */
export function utf8ByteLength(text: string): number {
  checkArgument(typeof text === 'string', 'utf8ByteLength(text)', 'a string', text);
  return countUtf8Bytes(text);
}
