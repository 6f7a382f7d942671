import { describeValue, ValidationError } from '../errors';
import type { TokenizerEncoding } from './tokenizer-encoding';

// Checked in order, so that `gpt-4o` and `gpt-4.1` are matched before the older `gpt-4` family.
// A family name is followed by the end, a dash (`gpt-4o-mini`) or a dot (`gpt-5.1`).
const MODEL_FAMILIES: ReadonlyArray<readonly [RegExp, TokenizerEncoding]> = [
  [/^(?:gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1|o3|o4)(?:$|[-.])/, 'o200k_base'],
  [/^(?:gpt-4|gpt-3\.5-turbo|gpt-35-turbo)(?:$|-)/, 'cl100k_base'],
  [/^(?:text-embedding-3-[a-z]+|text-embedding-ada-002)$/, 'cl100k_base'],
];

/**
 * The encoding an OpenAI model counts tokens in. Fine-tuned ids (`ft:gpt-4o-mini:org::id`) resolve to
 * their base model. An unknown model is an error rather than a guess: the two encodings disagree on most
 * texts, and a silent miscount breaks token budgets.
 */
export function encodingForModel(model: string): TokenizerEncoding {
  if (typeof model !== 'string') {
    throw new ValidationError({
      message: `The model must be a string such as "gpt-4o" (received ${describeValue(model)}).`,
      details: { what: 'model' },
    });
  }
  const baseModel = model.trim().toLowerCase().replace(/^ft:/, '');
  for (const [pattern, encoding] of MODEL_FAMILIES) if (pattern.test(baseModel)) return encoding;
  throw new ValidationError({
    message:
      `Unknown model ${describeValue(model)}: no known tokenizer encoding. Known families: gpt-5*, gpt-4.1*, ` +
      'gpt-4o*, o1*, o3*, o4* (o200k_base); gpt-4, gpt-4-*, gpt-3.5-turbo*, text-embedding-3-*, ' +
      "text-embedding-ada-002 (cl100k_base). For another model, call createTokenizer({ encoding: 'o200k_base' }) " +
      'with the encoding it uses.',
    details: { what: 'model', model: describeValue(model) },
  });
}
