// The FAST action tokenizer, Physical Intelligence's `UniversalActionProcessor`
// (processing_action_tokenizer.py; reference/fast.md §2 and §5): encode = DCT-II per dimension,
// scale, round half to even, row-major flatten, shift by min_token (clamped at 0), one code point
// per coefficient, byte-level BPE. Decode inverts it; any failure yields a zero chunk, reported
// as a status instead of the reference's printed message.

import { IdBuffer } from "./bpe.js";
import { type ActionChunk, assertChunk, FastInputError } from "./chunk.js";
import { dctForward, dctInverse } from "./dct.js";
import { quantizeToCodePoints } from "./quantize.js";
import type { ByteLevelBpeTokenizer } from "./tokenizer.js";

/** The numbers of `processor_config.json`. */
export interface FastConfig {
  scale: number;
  minToken: number;
  /** Nominal vocab size (never enforced, as in the reference). */
  vocabSize: number;
  /** Default H for decode; null when unset. */
  timeHorizon: number | null;
  /** Default D for decode; null when unset. */
  actionDim: number | null;
}

/**
 * Decode outcome of one id list: `ok`, `invalid_id` (negative, fractional or ≥ 2^32: the Python
 * binding raises) or `length_mismatch` (the text does not hold exactly H·D coefficients).
 */
export type DecodeStatus = "ok" | "invalid_id" | "length_mismatch";

export interface DecodeResult {
  actions: ActionChunk;
  status: DecodeStatus;
  /** Why the chunk decoded to zeros; null when ok. */
  message: string | null;
  /** Coefficients the text held (before the shape check). */
  coefficientCount: number;
}

export interface DecodeShape {
  horizon?: number;
  dim?: number;
}

function checkPositiveInt(v: number, what: string): void {
  if (!Number.isInteger(v) || v < 1) throw new FastInputError(`${what} is ${v}; it must be a positive integer`);
}

export class FastProcessor {
  readonly tokenizer: ByteLevelBpeTokenizer;
  readonly config: Readonly<FastConfig>;

  private coef = new Float64Array(256);
  private cps = new Int32Array(256);
  private ids = new IdBuffer(256);

  constructor(tokenizer: ByteLevelBpeTokenizer, config: FastConfig) {
    if (!Number.isFinite(config.scale) || config.scale <= 0) throw new FastInputError(`scale is ${config.scale}; it must be a positive number`);
    if (!Number.isInteger(config.minToken)) throw new FastInputError(`min_token is ${config.minToken}; it must be an integer`);
    if (config.timeHorizon !== null) checkPositiveInt(config.timeHorizon, "time_horizon");
    if (config.actionDim !== null) checkPositiveInt(config.actionDim, "action_dim");
    this.tokenizer = tokenizer;
    this.config = Object.freeze({ ...config });
  }

  /** Token ids of one chunk. Throws a FastInputError for values the reference cannot encode (NaN, ±∞, huge). */
  encode(chunk: ActionChunk): Int32Array {
    assertChunk(chunk);
    const n = chunk.horizon * chunk.dim;
    if (n > this.coef.length) {
      this.coef = new Float64Array(n);
      this.cps = new Int32Array(n);
    }
    dctForward(chunk.data, chunk.horizon, chunk.dim, this.coef);
    const bad = quantizeToCodePoints(this.coef, n, this.config.scale, this.config.minToken, this.cps);
    if (bad >= 0) {
      const t = Math.floor(bad / chunk.dim);
      const d = bad % chunk.dim;
      const nonFinite = chunk.data.some((v) => !Number.isFinite(v));
      throw new FastInputError(
        nonFinite
          ? "chunk holds NaN or infinite actions; FAST cannot encode them"
          : `DCT coefficient (frequency ${t}, dim ${d}) = ${this.coef[bad]} is out of the encodable range at scale ${this.config.scale}; normalize the actions first`,
      );
    }
    this.ids.length = 0;
    this.tokenizer.encodeCodePoints(this.cps, n, this.ids);
    return this.ids.data.slice(0, this.ids.length);
  }

  encodeBatch(chunks: readonly ActionChunk[]): Int32Array[] {
    return chunks.map((c) => this.encode(c));
  }

  /** Resolves H and D as the reference does: the argument, else the config; both must be set. */
  resolveShape(shape: DecodeShape = {}): { horizon: number; dim: number } {
    const horizon = shape.horizon || this.config.timeHorizon;
    const dim = shape.dim || this.config.actionDim;
    if (!horizon || !dim) {
      throw new FastInputError("decode needs the chunk shape: pass horizon and dim (the tokenizer's processor_config.json has no time_horizon/action_dim)");
    }
    checkPositiveInt(horizon, "horizon");
    checkPositiveInt(dim, "dim");
    return { horizon, dim };
  }

  /** Actions of one id list; never throws on bad ids: the chunk is zeros and the status says why. */
  decode(ids: ArrayLike<number>, shape: DecodeShape = {}): DecodeResult {
    const { horizon, dim } = this.resolveShape(shape);
    const n = horizon * dim;
    const data = new Float64Array(n);
    const actions: ActionChunk = { horizon, dim, data };
    const { codePoints, invalid } = this.tokenizer.decodeToCodePoints(ids);
    if (invalid) {
      return {
        actions,
        status: "invalid_id",
        message: `id ${String(invalid.value)} at position ${invalid.index} is not an integer in [0, 2^32)`,
        coefficientCount: 0,
      };
    }
    const count = codePoints.length;
    if (count !== n) {
      const why = count % dim !== 0 ? `cannot reshape ${count} coefficients into rows of ${dim}` : `decoded shape (${count / dim}, ${dim})`;
      return { actions, status: "length_mismatch", message: `${why}, expected (${horizon}, ${dim})`, coefficientCount: count };
    }
    if (n > this.coef.length) {
      this.coef = new Float64Array(n);
      this.cps = new Int32Array(n);
    }
    const c = this.coef;
    const { minToken, scale } = this.config;
    for (let i = 0; i < n; i++) c[i] = (codePoints[i] + minToken) / scale;
    dctInverse(c, horizon, dim, data);
    return { actions, status: "ok", message: null, coefficientCount: count };
  }

  decodeBatch(idLists: readonly ArrayLike<number>[], shape: DecodeShape = {}): DecodeResult[] {
    return idLists.map((ids) => this.decode(ids, shape));
  }
}
