import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from './content-hash';
import { nodeSha256Hex, webSha256Hex } from './sha256';

describe('sha256Hex', () => {
  it('uses node:crypto in Node', () => {
    expect(nodeSha256Hex).toBeTypeOf('function');
  });

  it('gives the standard digests', async () => {
    expect(await sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('gives the digest Web Crypto gives, for any text (lone surrogates too)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.string({ unit: 'grapheme', maxLength: 200 }),
        ),
        async (text) => {
          const expected = await webSha256Hex(text);
          expect(nodeSha256Hex?.(text)).toBe(expected);
          expect(await sha256Hex(text)).toBe(expected);
        },
      ),
      { numRuns: 500 },
    );
    expect(await sha256Hex('a\ud800b\udc00')).toBe(await webSha256Hex('a\ud800b\udc00'));
  });
});
