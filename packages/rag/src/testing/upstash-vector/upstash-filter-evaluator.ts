/**
 * Upstash Vector's metadata filter syntax (https://upstash.com/docs/vector/features/filtering), for the
 * test server: `=`, `!=`, `<`, `<=`, `>`, `>=`, `IN`, `NOT IN`, `CONTAINS`, `NOT CONTAINS`, `HAS FIELD`,
 * `HAS NOT FIELD`, `AND` (binding tighter than) `OR`, parentheses; keywords case-insensitive; strings in
 * single or double quotes with backslash escapes; numbers without exponents; `true` / `false`; dotted
 * identifiers into nested objects. GLOB and array indexing (`tags[0]`) are not parsed: Neptune does not
 * emit them, and a filter using them is refused as the real service would refuse a malformed one.
 *
 * Where the documentation is silent, these semantics are assumed: an operator applied to a value of a
 * type it is not documented for (`=` on an array, `CONTAINS` on a string, `<` on a string) or to an
 * absent field does not match, negated ones included; `!=` matches a present scalar of another type.
 */

type Literal = string | number | boolean;
type Comparison = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type FilterNode =
  | { readonly kind: 'and' | 'or'; readonly parts: readonly FilterNode[] }
  | {
      readonly kind: 'compare';
      readonly path: string[];
      readonly operator: Comparison;
      readonly value: Literal;
    }
  | { readonly kind: 'in'; readonly path: string[]; readonly negated: boolean; readonly values: Literal[] }
  | { readonly kind: 'contains'; readonly path: string[]; readonly negated: boolean; readonly value: Literal }
  | { readonly kind: 'has'; readonly path: string[]; readonly negated: boolean };

export class FilterSyntaxError extends Error {}

const TOKEN =
  /\s*(?:(?<string>'(?:[^'\\]|\\[\s\S])*'|"(?:[^"\\]|\\[\s\S])*")|(?<number>-?\d+(?:\.\d+)?(?![\w.]))|(?<operator><=|>=|!=|=|<|>)|(?<punctuation>[(),])|(?<word>[A-Za-z_][A-Za-z0-9_.]*))/y;

interface Token {
  readonly type: 'string' | 'number' | 'operator' | 'punctuation' | 'word';
  readonly text: string;
}

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < filter.length) {
    if (/^\s*$/.test(filter.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(filter);
    if (match?.groups === undefined) throw new FilterSyntaxError(`unexpected character at position ${at}`);
    const [type, text] = Object.entries(match.groups).find(([, value]) => value !== undefined)!;
    tokens.push({ type: type as Token['type'], text: text! });
  }
  return tokens;
}

function unquote(text: string): string {
  return text.slice(1, -1).replace(/\\([\s\S])/g, '$1');
}

class Parser {
  #position = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): FilterNode {
    const node = this.#or();
    if (this.#position < this.tokens.length)
      throw new FilterSyntaxError(`unexpected "${this.tokens[this.#position]!.text}"`);
    return node;
  }

  #peekWord(word: string, offset = 0): boolean {
    const token = this.tokens[this.#position + offset];
    return token?.type === 'word' && token.text.toUpperCase() === word;
  }

  #expect(predicate: (token: Token) => boolean, what: string): Token {
    const token = this.tokens[this.#position];
    if (token === undefined || !predicate(token)) throw new FilterSyntaxError(`expected ${what}`);
    this.#position++;
    return token;
  }

  #or(): FilterNode {
    const parts = [this.#and()];
    while (this.#peekWord('OR')) {
      this.#position++;
      parts.push(this.#and());
    }
    return parts.length === 1 ? parts[0]! : { kind: 'or', parts };
  }

  #and(): FilterNode {
    const parts = [this.#primary()];
    while (this.#peekWord('AND')) {
      this.#position++;
      parts.push(this.#primary());
    }
    return parts.length === 1 ? parts[0]! : { kind: 'and', parts };
  }

  #literal(): Literal {
    const token = this.#expect(
      (next) => next.type !== 'operator' && next.type !== 'punctuation',
      'a literal',
    );
    if (token.type === 'string') return unquote(token.text);
    if (token.type === 'number') return Number(token.text);
    if (token.text.toUpperCase() === 'TRUE') return true;
    if (token.text.toUpperCase() === 'FALSE') return false;
    throw new FilterSyntaxError(`"${token.text}" is not a literal`);
  }

  #identifier(): string[] {
    return this.#expect((token) => token.type === 'word', 'an identifier').text.split('.');
  }

  #primary(): FilterNode {
    if (this.tokens[this.#position]?.text === '(') {
      this.#position++;
      const node = this.#or();
      this.#expect((token) => token.text === ')', '")"');
      return node;
    }
    if (this.#peekWord('HAS')) {
      this.#position++;
      const negated = this.#peekWord('NOT');
      if (negated) this.#position++;
      this.#expect((token) => token.type === 'word' && token.text.toUpperCase() === 'FIELD', 'FIELD');
      return { kind: 'has', path: this.#identifier(), negated };
    }
    const path = this.#identifier();
    const negated = this.#peekWord('NOT');
    if (negated) this.#position++;
    if (this.#peekWord('IN')) {
      this.#position++;
      this.#expect((token) => token.text === '(', '"("');
      const values = [this.#literal()];
      while (this.tokens[this.#position]?.text === ',') {
        this.#position++;
        values.push(this.#literal());
      }
      this.#expect((token) => token.text === ')', '")"');
      return { kind: 'in', path, negated, values };
    }
    if (this.#peekWord('CONTAINS')) {
      this.#position++;
      return { kind: 'contains', path, negated, value: this.#literal() };
    }
    if (negated) throw new FilterSyntaxError('expected IN or CONTAINS after NOT');
    const operator = this.#expect((token) => token.type === 'operator', 'an operator').text as Comparison;
    return { kind: 'compare', path, operator, value: this.#literal() };
  }
}

/** Parses a filter; throws `FilterSyntaxError` for anything outside the subset above. */
export function parseFilter(filter: string): FilterNode {
  return new Parser(tokenize(filter)).parse();
}

function lookup(metadata: unknown, path: readonly string[]): unknown {
  let value = metadata;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

const isScalar = (value: unknown): value is Literal =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

function compare(value: unknown, operator: Comparison, literal: Literal): boolean {
  if (!isScalar(value)) return false;
  if (operator === '=') return value === literal;
  if (operator === '!=') return value !== literal;
  if (typeof value !== 'number' || typeof literal !== 'number') return false;
  if (operator === '<') return value < literal;
  if (operator === '<=') return value <= literal;
  if (operator === '>') return value > literal;
  return value >= literal;
}

export function evaluateFilter(node: FilterNode, metadata: unknown): boolean {
  switch (node.kind) {
    case 'and':
      return node.parts.every((part) => evaluateFilter(part, metadata));
    case 'or':
      return node.parts.some((part) => evaluateFilter(part, metadata));
    case 'has':
      return (lookup(metadata, node.path) !== undefined) !== node.negated;
    case 'compare':
      return compare(lookup(metadata, node.path), node.operator, node.value);
    case 'in': {
      const value = lookup(metadata, node.path);
      if (!isScalar(value)) return false;
      return node.values.includes(value) !== node.negated;
    }
    case 'contains': {
      const value = lookup(metadata, node.path);
      if (!Array.isArray(value)) return false;
      return value.includes(node.value) !== node.negated;
    }
  }
}
