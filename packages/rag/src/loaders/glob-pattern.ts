import { ValidationError } from '@neptune/core';

const SPECIAL = /[.+^$()|\\]/;

function characterClass(pattern: string, start: number): { source: string; end: number } | undefined {
  const close = pattern.indexOf(']', start + 2);
  if (close < 0) return undefined;
  let body = pattern.slice(start + 1, close);
  const negated = body.startsWith('!') || body.startsWith('^');
  if (negated) body = body.slice(1);
  return { source: `[${negated ? '^/' : ''}${body.replace(/\\/g, '\\\\')}]`, end: close };
}

/** The regular expression of one glob, matched against a whole `/`-separated path. */
function globSource(pattern: string): string {
  let source = '';
  for (let index = 0; index < pattern.length; index++) {
    const character = pattern[index]!;
    if (character === '*' && pattern[index + 1] === '*') {
      const slashAfter = pattern[index + 2] === '/';
      const atSegmentStart = index === 0 || pattern[index - 1] === '/';
      if (atSegmentStart && slashAfter) {
        source += '(?:[^/]*/)*'; // `**/`: any number of folders, none included
        index += 2;
      } else {
        source += '.*';
        index += 1;
      }
    } else if (character === '*') source += '[^/]*';
    else if (character === '?') source += '[^/]';
    else if (character === '{') {
      const close = pattern.indexOf('}', index);
      if (close < 0) source += '\\{';
      else {
        source += `(?:${pattern
          .slice(index + 1, close)
          .split(',')
          .map(globSource)
          .join('|')})`;
        index = close;
      }
    } else if (character === '[') {
      const found = characterClass(pattern, index);
      if (found) {
        source += found.source;
        index = found.end;
      } else source += '\\[';
    } else source += SPECIAL.test(character) ? `\\${character}` : character;
  }
  return source;
}

/**
 * Compiles globs (`*.md`, `docs/**\/*.{md,mdx}`, `drafts/**`) into one test on a `/`-separated path
 * relative to the folder. A pattern without `/` matches the file name at any depth, as in `.gitignore`.
 */
export function globMatcher(patterns: readonly string[], what: string): (path: string) => boolean {
  const tests = patterns.map((pattern) => {
    if (typeof pattern !== 'string' || pattern.trim() === '') {
      throw new ValidationError({
        message: `Invalid ${what}: every pattern must be a non-empty glob such as "*.md" or "docs/**".`,
        details: { what },
      });
    }
    const anchored = pattern.replace(/^\.\//, '');
    const expression = new RegExp(`^${globSource(anchored)}$`);
    return anchored.includes('/')
      ? (path: string) => expression.test(path)
      : (path: string) => expression.test(path.slice(path.lastIndexOf('/') + 1));
  });
  return (path) => tests.some((test) => test(path));
}
