import type { Tokenizer } from '../contracts/tokenizer';
import { createTokenizer } from './create-tokenizer';
import { encodingForModel } from './encoding-for-model';

/**
 * The tokenizer an OpenAI model counts in: `await tokenizerForModel('gpt-4o')`. Rejects with a
 * `ValidationError` for a model whose encoding is not known; use `createTokenizer({ encoding })` then.
 */
export async function tokenizerForModel(model: string): Promise<Tokenizer> {
  return createTokenizer({ encoding: encodingForModel(model) });
}
