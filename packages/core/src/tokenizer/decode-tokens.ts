import { describeValue, ValidationError } from '../errors';
import type { LoadedEncoding } from './load-encoding';

// Never used in streaming mode, so every call starts clean. gpt-tokenizer's own `decode` shares one
// streaming TextDecoder across calls: a token list ending inside a character leaves its bytes in that
// decoder, and they resurface at the start of the next, unrelated decode.
// `ignoreBOM` keeps a byte-order mark as the character it is: the default drops one at the start of
// every `decode` call, which here is any run of byte-level tokens, so "!\uFEFF//" came back "!//".
const utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Token ids to text, as tiktoken does it: the tokens' bytes joined and read as UTF-8, with U+FFFD for
 * bytes that do not form a whole character (a list cut in the middle of an emoji, say).
 */
export function decodeTokens(
  tokens: readonly number[],
  { encoder, ranks }: LoadedEncoding,
  encoding: string,
): string {
  let text = '';
  let pendingBytes: number[] = [];
  const flush = () => {
    if (pendingBytes.length === 0) return;
    text += utf8Decoder.decode(Uint8Array.from(pendingBytes));
    pendingBytes = [];
  };
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    const entry = Number.isInteger(token) ? ranks[token] : undefined;
    if (typeof entry === 'string') {
      flush();
      text += entry;
    } else if (entry !== undefined) {
      for (const byte of entry) pendingBytes.push(byte);
    } else {
      flush();
      text += decodeSpecialToken(token, index, encoder, encoding);
    }
  }
  flush();
  return text;
}

// Special tokens (`<|endoftext|>`) are not in the rank table; the encoder knows them, and decoding one
// is a plain string lookup that does not touch its shared decoder.
function decodeSpecialToken(
  token: number,
  index: number,
  encoder: LoadedEncoding['encoder'],
  encoding: string,
): string {
  try {
    if (Number.isInteger(token) && token >= 0) return encoder.decode([token]);
  } catch {
    // Reported below with the position, which gpt-tokenizer's message lacks.
  }
  throw new ValidationError({
    message: `tokenizer.decode(tokens): ${describeValue(token)} at index ${index} is not a token id of ${encoding}.`,
    details: { what: 'tokens', index, encoding },
  });
}
