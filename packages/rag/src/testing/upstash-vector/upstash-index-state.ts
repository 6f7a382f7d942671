import { evaluateFilter, FilterSyntaxError, parseFilter } from './upstash-filter-evaluator';
import {
  denseVector,
  type IndexShape,
  RequestError,
  type SparseVector,
  type StoredVector,
  sparseVector,
  storedVector,
} from './upstash-request-validation';
import { denseScore, fuse, type ScoredId, sparseScores } from './upstash-scoring';

export type { IndexShape, SparseVector, StoredVector } from './upstash-request-validation';
export { RequestError } from './upstash-request-validation';

type Body = Record<string, unknown>;
const MAX_TOP_K = 1000;

function include(stored: StoredVector, body: Body) {
  return {
    ...(body.includeVectors && stored.vector ? { vector: stored.vector } : {}),
    ...(body.includeVectors && stored.sparseVector ? { sparseVector: stored.sparseVector } : {}),
    ...(body.includeMetadata && stored.metadata !== undefined ? { metadata: stored.metadata } : {}),
    ...(body.includeData && stored.data !== undefined ? { data: stored.data } : {}),
  };
}

/**
 * The data of one Upstash Vector index: namespaces of records, and the semantics of each command the
 * `@upstash/vector` client sends, as the REST API documents them.
 */
export class UpstashIndexState {
  readonly #namespaces = new Map<string, Map<string, StoredVector>>([['', new Map()]]);

  constructor(readonly shape: IndexShape) {}

  /** Namespaces are created implicitly by any read or write. */
  #namespace(name: string): Map<string, StoredVector> {
    let records = this.#namespaces.get(name);
    if (records === undefined) {
      records = new Map();
      this.#namespaces.set(name, records);
    }
    return records;
  }

  /** Validates every record before writing any, so a refused request changes nothing. */
  upsert(name: string, body: unknown): string {
    const records = (Array.isArray(body) ? body : [body]).map((item) => storedVector(item, this.shape));
    const namespace = this.#namespace(name);
    for (const record of records) namespace.set(record.id, record);
    return 'Success';
  }

  #filter(filter: unknown): (stored: StoredVector) => boolean {
    if (filter === undefined || filter === '') return () => true;
    if (typeof filter !== 'string') throw new RequestError(400, 'filter must be a string');
    try {
      const node = parseFilter(filter);
      return (stored) => evaluateFilter(node, stored.metadata ?? {});
    } catch (error) {
      if (error instanceof FilterSyntaxError) throw new RequestError(400, `Invalid filter: ${error.message}`);
      throw error;
    }
  }

  query(name: string, body: unknown): unknown {
    // queryMany sends an array; a single query in an array is answered with a flat array, as the
    // client's QueryManyCommand expects.
    if (Array.isArray(body)) {
      const results = body.map((item) => this.query(name, item));
      return results.length === 1 ? results[0] : results;
    }
    const request = (body ?? {}) as Body;
    const topK = request.topK ?? 10;
    if (typeof topK !== 'number' || !Number.isInteger(topK) || topK < 1 || topK > MAX_TOP_K) {
      throw new RequestError(422, `topK must be an integer between 1 and ${MAX_TOP_K}`);
    }
    if (request.vector === undefined && request.sparseVector === undefined) {
      throw new RequestError(422, 'Either vector or sparseVector must be provided');
    }
    if (!this.shape.hybrid && request.sparseVector !== undefined) {
      throw new RequestError(422, 'Sparse vector is not allowed for dense indexes');
    }
    const dense =
      request.vector === undefined ? undefined : denseVector(request.vector, this.shape.dimension);
    const sparse =
      request.sparseVector === undefined ? undefined : sparseVector(request.sparseVector, 'sparseVector');
    const namespace = this.#namespace(name);
    const matches = this.#filter(request.filter);
    const candidates = [...namespace.values()].filter(matches);
    const denseRanking = (query: number[]): ScoredId[] =>
      candidates
        .map((stored) => ({
          id: stored.id,
          score: denseScore(this.shape.similarityFunction, query, stored.vector!),
        }))
        .sort((a, b) => b.score - a.score);
    const sparseRanking = (query: SparseVector): ScoredId[] =>
      sparseScores(query, candidates, [...namespace.values()], request.weightingStrategy === 'IDF');
    let ranking: ScoredId[];
    if (dense !== undefined && sparse !== undefined) {
      ranking = fuse(
        denseRanking(dense).slice(0, topK),
        sparseRanking(sparse).slice(0, topK),
        request.fusionAlgorithm === 'DBSF' ? 'DBSF' : 'RRF',
      );
    } else ranking = dense !== undefined ? denseRanking(dense) : sparseRanking(sparse!);
    return ranking
      .slice(0, topK)
      .map(({ id, score }) => ({ id, score, ...include(namespace.get(id)!, request) }));
  }

  fetch(name: string, body: unknown): unknown[] {
    const request = (body ?? {}) as Body;
    const namespace = this.#namespace(name);
    if (typeof request.prefix === 'string') {
      const prefix = request.prefix;
      return [...namespace.values()]
        .filter((stored) => stored.id.startsWith(prefix))
        .map((stored) => ({ id: stored.id, ...include(stored, request) }));
    }
    if (!Array.isArray(request.ids)) throw new RequestError(422, 'ids must be an array');
    return request.ids.map((id) => {
      const stored = namespace.get(String(id));
      return stored === undefined ? null : { id: stored.id, ...include(stored, request) };
    });
  }

  delete(name: string, body: unknown): { deleted: number } {
    const namespace = this.#namespace(name);
    let targets: string[];
    if (Array.isArray(body) || typeof body === 'string' || typeof body === 'number') {
      targets = (Array.isArray(body) ? body : [body]).map(String);
    } else {
      const request = (body ?? {}) as Body;
      if (Array.isArray(request.ids)) targets = request.ids.map(String);
      else if (typeof request.prefix === 'string') {
        const prefix = request.prefix;
        targets = [...namespace.keys()].filter((id) => id.startsWith(prefix));
      } else if (typeof request.filter === 'string') {
        const matches = this.#filter(request.filter);
        targets = [...namespace.values()].filter(matches).map((stored) => stored.id);
      } else throw new RequestError(422, 'delete takes ids, a prefix or a filter');
    }
    let deleted = 0;
    for (const id of new Set(targets)) if (namespace.delete(id)) deleted++;
    return { deleted };
  }

  range(name: string, body: unknown): { nextCursor: string; vectors: unknown[] } {
    const request = (body ?? {}) as Body;
    const start = Number(request.cursor ?? '0');
    const limit = request.limit;
    if (!Number.isInteger(start) || start < 0)
      throw new RequestError(422, 'cursor must be a cursor from a previous range');
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1)
      throw new RequestError(422, 'limit must be a positive integer');
    const prefix = typeof request.prefix === 'string' ? request.prefix : '';
    const ids = [...this.#namespace(name).keys()].filter((id) => id.startsWith(prefix)).sort();
    const page = ids.slice(start, start + limit);
    const namespace = this.#namespace(name);
    return {
      nextCursor: start + limit < ids.length ? String(start + limit) : '',
      vectors: page.map((id) => ({ id, ...include(namespace.get(id)!, request) })),
    };
  }

  reset(name: string, all: boolean): string {
    if (all) for (const records of this.#namespaces.values()) records.clear();
    else this.#namespace(name).clear();
    return 'Success';
  }

  info() {
    const namespaces = Object.fromEntries(
      [...this.#namespaces].map(([name, records]) => [
        name,
        { vectorCount: records.size, pendingVectorCount: 0 },
      ]),
    );
    const vectorCount = [...this.#namespaces.values()].reduce((total, records) => total + records.size, 0);
    return {
      vectorCount,
      pendingVectorCount: 0,
      indexSize: vectorCount * this.shape.dimension * 4,
      dimension: this.shape.dimension,
      similarityFunction: this.shape.similarityFunction,
      namespaces,
    };
  }

  listNamespaces(): string[] {
    return [...this.#namespaces.keys()];
  }

  deleteNamespace(name: string): string {
    if (name === '') throw new RequestError(400, 'The default namespace cannot be deleted');
    if (!this.#namespaces.delete(name)) throw new RequestError(404, `Namespace ${name} does not exist`);
    return 'Success';
  }
}
