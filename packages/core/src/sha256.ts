import type { createHash } from 'node:crypto';

const encoder = new TextEncoder();

/** SHA-256 through Web Crypto, the way every runtime has. */
export async function webSha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(text));
  let hex = '';
  for (const byte of new Uint8Array(digest)) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

type BuiltinLookup = { getBuiltinModule?: (id: string) => unknown };

/** `node:crypto`'s synchronous SHA-256, when the runtime offers built-in modules without an import. */
function findNodeSha256(): ((text: string) => string) | undefined {
  const runtime = (globalThis as { process?: BuiltinLookup }).process;
  if (typeof runtime?.getBuiltinModule !== 'function') return undefined;
  try {
    const nodeCrypto = runtime.getBuiltinModule('node:crypto') as
      | { createHash?: typeof createHash }
      | undefined;
    const hash = nodeCrypto?.createHash;
    if (typeof hash !== 'function') return undefined;
    // Strings are hashed as UTF-8, lone surrogates as U+FFFD: the bytes TextEncoder gives Web Crypto.
    return (text) => hash('sha256').update(text, 'utf8').digest('hex');
  } catch {
    return undefined;
  }
}

/** Synchronous SHA-256 as lowercase hex; undefined where `node:crypto` cannot be reached (edge runtimes). */
export const nodeSha256Hex = findNodeSha256();
