export type { Tokenizer } from '../contracts/tokenizer';
export { type CreateTokenizerOptions, createTokenizer } from './create-tokenizer';
export { encodingForModel } from './encoding-for-model';
export { isTokenizerEncoding, type TokenizerEncoding, tokenizerEncodings } from './tokenizer-encoding';
export { tokenizerForModel } from './tokenizer-for-model';
