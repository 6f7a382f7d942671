import { describeValue, ValidationError } from '@neptune/core';

/**
 * Cursors are opaque to callers (base64url) so their layout can change, but carry nothing secret: every
 * page query is filtered by the scope as well, so a forged cursor can only skip within one's own data.
 */
function toBase64Url(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(encoded: string): string | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(encoded)) return undefined;
  try {
    const binary = atob(encoded.replace(/-/g, '+').replace(/_/g, '/'));
    return new TextDecoder('utf-8', { fatal: true }).decode(
      Uint8Array.from(binary, (char) => char.charCodeAt(0)),
    );
  } catch {
    return undefined;
  }
}

function invalidCursor(cursor: string): ValidationError {
  return new ValidationError({
    message: `Invalid cursor ${describeValue(cursor)}: pass back the nextCursor of the previous page unchanged, or omit it for the first page.`,
  });
}

/** Position after a message: its sequence number. */
export function encodeMessageCursor(sequence: number): string {
  return toBase64Url(`m:${sequence}`);
}

export function decodeMessageCursor(cursor: string): number {
  const match = /^m:(\d{1,10})$/.exec(fromBase64Url(cursor) ?? '');
  if (match === null) throw invalidCursor(cursor);
  return Number(match[1]);
}

/** Position after a conversation: its last activity (epoch ms) and id, the listing's sort key. */
export function encodeConversationCursor(lastMessageAt: Date, id: string): string {
  return toBase64Url(`c:${lastMessageAt.getTime()}:${id}`);
}

export function decodeConversationCursor(cursor: string): { lastMessageAt: Date; id: string } {
  const match = /^c:(-?\d{1,16}):(.+)$/.exec(fromBase64Url(cursor) ?? '');
  if (match === null) throw invalidCursor(cursor);
  return { lastMessageAt: new Date(Number(match[1])), id: match[2]! };
}
