import type { SimilarityFunction } from './upstash-scoring';

export interface SparseVector {
  readonly indices: number[];
  readonly values: number[];
}

export interface StoredVector {
  readonly id: string;
  readonly vector?: number[] | undefined;
  readonly sparseVector?: SparseVector | undefined;
  readonly metadata?: unknown;
  readonly data?: string | undefined;
}

/** What the index was created as: dense or hybrid, its dimension and similarity function. */
export interface IndexShape {
  readonly dimension: number;
  readonly similarityFunction: SimilarityFunction;
  readonly hybrid: boolean;
}

/** A request the service refuses: becomes `{ "error": message, "status": status }`. */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const MAX_SPARSE_DIMENSIONS = 1000;

function isNumberArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'number' && Number.isFinite(item));
}

export function denseVector(value: unknown, dimension: number): number[] {
  if (!isNumberArray(value)) throw new RequestError(422, 'vector must be an array of numbers');
  if (value.length !== dimension) {
    throw new RequestError(422, `Invalid vector dimension: ${value.length}, expected: ${dimension}`);
  }
  return value;
}

export function sparseVector(value: unknown, what: string): SparseVector {
  const { indices, values } = (value ?? {}) as Partial<SparseVector>;
  if (!isNumberArray(indices) || !isNumberArray(values) || indices.length !== values.length) {
    throw new RequestError(422, `${what} must have indices and values arrays of the same length`);
  }
  if (indices.length === 0) throw new RequestError(422, `${what} must have at least one non-zero value`);
  if (indices.length > MAX_SPARSE_DIMENSIONS) {
    throw new RequestError(
      422,
      `${what} has ${indices.length} non-zero dimensions; at most ${MAX_SPARSE_DIMENSIONS} are allowed`,
    );
  }
  if (
    new Set(indices).size !== indices.length ||
    indices.some((index) => !Number.isInteger(index) || index < -(2 ** 31) || index >= 2 ** 31)
  ) {
    throw new RequestError(422, `${what} indices must be distinct signed 32-bit integers`);
  }
  return { indices, values };
}

/** A record of an upsert, checked as the service checks it. */
export function storedVector(item: unknown, shape: IndexShape): StoredVector {
  const { id, vector, sparseVector: sparse, metadata, data } = (item ?? {}) as Record<string, unknown>;
  if (typeof id !== 'string' && typeof id !== 'number')
    throw new RequestError(422, 'id must be a string or a number');
  if (shape.hybrid) {
    if (vector === undefined || sparse === undefined) {
      throw new RequestError(422, 'Both dense vector and sparse vector must be provided for hybrid indexes');
    }
  } else if (sparse !== undefined) {
    throw new RequestError(422, 'Sparse vector is not allowed for dense indexes');
  }
  if (data !== undefined && typeof data !== 'string') throw new RequestError(422, 'data must be a string');
  if (
    metadata !== undefined &&
    (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))
  ) {
    throw new RequestError(422, 'metadata must be an object');
  }
  return {
    id: String(id),
    vector: denseVector(vector, shape.dimension),
    sparseVector: shape.hybrid ? sparseVector(sparse, 'sparseVector') : undefined,
    metadata,
    data,
  };
}
