import type { Metadata, Scope, Tokenizer, VectorStore } from '@neptune/core';

export interface ChunkRecord {
  readonly id: string;
  readonly text: string;
  readonly metadata: Metadata;
}

export interface Window {
  readonly documentId: string;
  /** The chunks of the window in document order. */
  readonly chunks: ChunkRecord[];
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const asNumber = (value: unknown) => (typeof value === 'number' ? value : 0);
const asId = (value: unknown) => (typeof value === 'string' ? value : undefined);

/**
 * Whether a record says where it sits in a document (our ingestion always does). A record written by
 * other means (a user's own ingestion) may not: it is a passage of its own, never widened or merged,
 * and cited by its own id, rather than glued to every other such record as one empty document.
 */
function placed(record: ChunkRecord): boolean {
  const { documentId, chunkIndex } = record.metadata;
  return typeof documentId === 'string' && documentId !== '' && Number.isInteger(chunkIndex);
}

/** The window of a record that is not placed in a document: itself, cited by its own id. */
function standalone(record: ChunkRecord): Window {
  const { startOffset, endOffset } = record.metadata;
  const start = typeof startOffset === 'number' ? startOffset : 0;
  const end = typeof endOffset === 'number' ? endOffset : start + record.text.length;
  return { documentId: record.id, chunks: [record], text: record.text, start, end };
}

/** Joins chunks of one document in order; overlapping text (the chunk overlap) appears once. */
export function mergeChunkTexts(chunks: readonly ChunkRecord[]): {
  text: string;
  start: number;
  end: number;
} {
  let text = '';
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const chunk of chunks) {
    const chunkStart = asNumber(chunk.metadata.startOffset);
    const chunkEnd = asNumber(chunk.metadata.endOffset);
    if (text === '') text = chunk.text;
    else if (chunkStart < end) text += chunk.text.slice(Math.min(chunk.text.length, end - chunkStart));
    else text += (chunkStart > end ? '\n' : '') + chunk.text;
    start = Math.min(start, chunkStart);
    end = Math.max(end, chunkEnd);
  }
  return { text, start, end };
}

/**
 * Widens each hit with up to `window` chunks on each side (via the previous/next ids stored at
 * ingestion), within a shared token budget spent in hit order, and merges hits whose windows touch into
 * one passage. Missing neighbours are fetched in one `get` call.
 */
export async function widenWithNeighbours(options: {
  readonly scope: Scope;
  readonly store: VectorStore;
  readonly hits: readonly ChunkRecord[];
  readonly window: number;
  readonly maxTokens: number;
  readonly tokenizer: Tokenizer;
}): Promise<Map<string, Window>> {
  const { hits, window } = options;
  const known = new Map(hits.map((hit) => [hit.id, hit]));
  const wanted = new Set<string>();
  for (const hit of hits) {
    for (const direction of ['previousChunkId', 'nextChunkId'] as const) {
      let cursor: ChunkRecord | undefined = hit;
      let id = asId(cursor.metadata[direction]);
      for (let step = 0; step < window && id; step++) {
        if (!known.has(id)) wanted.add(id);
        cursor = known.get(id);
        id = cursor ? asId(cursor.metadata[direction]) : undefined;
      }
    }
  }
  // One hop at a time would take `window` round trips; ask for the direct neighbours first, then theirs.
  for (let hop = 0; hop < window && wanted.size > 0; hop++) {
    const fetched = await options.store.get(options.scope, [...wanted]);
    wanted.clear();
    for (const record of fetched) {
      known.set(record.id, { id: record.id, text: record.text ?? '', metadata: record.metadata ?? {} });
    }
    for (const hit of hits) {
      for (const direction of ['previousChunkId', 'nextChunkId'] as const) {
        let cursor: ChunkRecord | undefined = hit;
        for (let step = 0; step < window && cursor; step++) {
          const id = asId(cursor.metadata[direction]);
          if (!id) break;
          if (!known.has(id)) {
            wanted.add(id);
            break;
          }
          cursor = known.get(id);
        }
      }
    }
  }

  const tokensOf = (record: ChunkRecord) =>
    typeof record.metadata.tokenCount === 'number'
      ? record.metadata.tokenCount
      : options.tokenizer.count(record.text);
  let budget = options.maxTokens;
  const taken = new Set<string>();
  const windows = new Map<string, ChunkRecord[]>();
  for (const hit of hits) {
    if (taken.has(hit.id)) continue;
    const cost = tokensOf(hit);
    if (cost > budget && taken.size > 0) continue;
    budget -= cost;
    taken.add(hit.id);
    const members = [hit];
    // Alternate sides so a passage grows around its hit rather than only forwards.
    for (let step = 1; step <= (placed(hit) ? window : 0); step++) {
      for (const direction of ['previousChunkId', 'nextChunkId'] as const) {
        const edge = direction === 'previousChunkId' ? members[0]! : members.at(-1)!;
        const id = asId(edge.metadata[direction]);
        const neighbour = id ? known.get(id) : undefined;
        if (!neighbour || taken.has(neighbour.id) || tokensOf(neighbour) > budget) continue;
        budget -= tokensOf(neighbour);
        taken.add(neighbour.id);
        if (direction === 'previousChunkId') members.unshift(neighbour);
        else members.push(neighbour);
      }
    }
    windows.set(hit.id, members);
  }

  // Merge windows of the same document that touch or overlap, keeping the better hit as the key.
  const merged = new Map<string, Window>();
  const byDocument = new Map<string, Array<{ hitId: string; members: ChunkRecord[] }>>();
  for (const [hitId, members] of windows) {
    if (!placed(members[0]!)) {
      merged.set(hitId, standalone(members[0]!));
      continue;
    }
    const documentId = String(members[0]!.metadata.documentId);
    byDocument.set(documentId, [...(byDocument.get(documentId) ?? []), { hitId, members }]);
  }
  for (const [documentId, group] of byDocument) {
    const ordered = group.sort(
      (a, b) => asNumber(a.members[0]!.metadata.chunkIndex) - asNumber(b.members[0]!.metadata.chunkIndex),
    );
    let current: { hitId: string; members: ChunkRecord[] } | undefined;
    const flush = () => {
      if (!current) return;
      const { text, start, end } = mergeChunkTexts(current.members);
      merged.set(current.hitId, { documentId, chunks: current.members, text, start, end });
    };
    for (const item of ordered) {
      const lastIndex = current
        ? asNumber(current.members.at(-1)!.metadata.chunkIndex)
        : Number.NEGATIVE_INFINITY;
      if (current && asNumber(item.members[0]!.metadata.chunkIndex) <= lastIndex + 1) {
        const seen = new Set(current.members.map((member) => member.id));
        current.members.push(...item.members.filter((member) => !seen.has(member.id)));
        current.members.sort((a, b) => asNumber(a.metadata.chunkIndex) - asNumber(b.metadata.chunkIndex));
        // The earlier hit in rank order keeps the key: hits arrive in rank order in `windows`.
        if ([...windows.keys()].indexOf(item.hitId) < [...windows.keys()].indexOf(current.hitId))
          current.hitId = item.hitId;
      } else {
        flush();
        current = { hitId: item.hitId, members: [...item.members] };
      }
    }
    flush();
  }
  return merged;
}
