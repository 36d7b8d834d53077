// Action chunks: an H×D block of actions (H timesteps, D action dimensions), row-major float64,
// the unit that FAST (Physical Intelligence's UniversalActionProcessor) encodes and decodes.

/** One action chunk, `data[t * dim + d]` is dimension d at timestep t. */
export interface ActionChunk {
  horizon: number;
  dim: number;
  data: Float64Array;
}

/** Thrown for inputs a caller must fix (bad shapes, unreadable files, non-finite values). */
export class FastInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FastInputError";
  }
}

/** A chunk from nested rows (`rows[t][d]`); every row must have the same length. */
export function chunkFromRows(rows: ArrayLike<ArrayLike<number>>, what = "chunk"): ActionChunk {
  const horizon = rows.length;
  if (horizon === 0) throw new FastInputError(`${what} has no timesteps; expected an H×D array with H ≥ 1`);
  const dim = rows[0].length;
  if (dim === 0) throw new FastInputError(`${what} has no action dimensions; expected an H×D array with D ≥ 1`);
  const data = new Float64Array(horizon * dim);
  for (let t = 0; t < horizon; t++) {
    const row = rows[t];
    if (row.length !== dim) {
      throw new FastInputError(`${what} row ${t} has ${row.length} values, row 0 has ${dim}; every timestep needs D values`);
    }
    for (let d = 0; d < dim; d++) data[t * dim + d] = row[d];
  }
  return { horizon, dim, data };
}

/** Nested rows (`rows[t][d]`) of a chunk, for JSON output. */
export function chunkToRows(chunk: ActionChunk): number[][] {
  const rows: number[][] = [];
  for (let t = 0; t < chunk.horizon; t++) {
    rows.push(Array.from(chunk.data.subarray(t * chunk.dim, (t + 1) * chunk.dim)));
  }
  return rows;
}

/** Checks that a chunk's shape and buffer agree, so the numeric code can trust them. */
export function assertChunk(chunk: ActionChunk, what = "chunk"): void {
  const { horizon, dim, data } = chunk;
  if (!Number.isInteger(horizon) || horizon < 1 || !Number.isInteger(dim) || dim < 1) {
    throw new FastInputError(`${what} has shape ${horizon}×${dim}; H and D must be positive integers`);
  }
  if (data.length !== horizon * dim) {
    throw new FastInputError(`${what} holds ${data.length} values, its shape ${horizon}×${dim} needs ${horizon * dim}`);
  }
}
