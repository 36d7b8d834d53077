// ref: Pillow 12.3.0 src/libImaging/Resample.c (bicubic_filter, precompute_coeffs,
// normalize_coeffs_8bpc, ImagingResampleHorizontal_8bpc / Vertical_8bpc, ImagingResampleInner);
// reference/qwen2_5_vl.md §1.3. Bit-exact PIL `Image.resize(size, Image.BICUBIC)` for RGB uint8.
import { VisionInputError } from "./errors.js";

/** 32 − 8 bits of output − 2 bits of headroom for negative lobes and overshoot, as in Pillow. */
const PRECISION_BITS = 22;
const ONE = 1 << PRECISION_BITS;
const HALF = 1 << (PRECISION_BITS - 1);
const BICUBIC_SUPPORT = 2.0;

/** Keys cubic with a = −0.5, in Pillow's Horner form (the operation order matters for bit-exactness). */
function bicubicFilter(x: number): number {
  const a = -0.5;
  if (x < 0.0) x = -x;
  if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
  if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
  return 0.0;
}

/** Per-output-index source window and 22-bit fixed-point weights for one axis. */
export interface AxisCoeffs {
  /** Max taps per output index (row stride of `weights`). */
  ksize: number;
  /** First source index of each output index. */
  start: Int32Array;
  /** Number of source indices used by each output index. */
  count: Int32Array;
  /** `outSize × ksize` fixed-point weights (unused tail slots are 0). */
  weights: Int32Array;
}

/** precompute_coeffs + normalize_coeffs_8bpc for the full box [0, inSize). */
export function axisCoeffs(inSize: number, outSize: number): AxisCoeffs {
  const scale = inSize / outSize;
  const filterscale = scale < 1.0 ? 1.0 : scale;
  const support = BICUBIC_SUPPORT * filterscale;
  const ksize = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Int32Array(outSize * ksize);
  const k = new Float64Array(ksize);
  // Pillow multiplies by the reciprocal instead of dividing by filterscale; keep that rounding.
  const ss = 1.0 / filterscale;
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    // C's (int) cast truncates toward zero.
    let xmin = Math.trunc(center - support + 0.5);
    if (xmin < 0) xmin = 0;
    let xmax = Math.trunc(center + support + 0.5);
    if (xmax > inSize) xmax = inSize;
    xmax -= xmin;
    let ww = 0.0;
    for (let x = 0; x < xmax; x++) {
      const w = bicubicFilter((x + xmin - center + 0.5) * ss);
      k[x] = w;
      ww += w;
    }
    const base = xx * ksize;
    for (let x = 0; x < xmax; x++) {
      const w = ww !== 0.0 ? k[x] / ww : k[x];
      // Round half away from zero, then truncate like C's (int).
      weights[base + x] = w < 0 ? Math.trunc(-0.5 + w * ONE) : Math.trunc(0.5 + w * ONE);
    }
    start[xx] = xmin;
    count[xx] = xmax;
  }
  return { ksize, start, count, weights };
}

/** clip8: acc >> 22 clamped to [0, 255] (arithmetic shift, as Pillow's lookup table does). */
function clip8(acc: number): number {
  const v = acc >> PRECISION_BITS;
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/** Horizontal pass over source rows [rowFirst, rowFirst + rows) into a `rows × outW` uint8 image. */
function resampleHorizontal(src: Uint8Array, inW: number, rowFirst: number, rows: number, c: AxisCoeffs, outW: number): Uint8Array {
  const out = new Uint8Array(rows * outW * 3);
  const { ksize, start, count, weights } = c;
  for (let y = 0; y < rows; y++) {
    const rowIn = (y + rowFirst) * inW * 3;
    const rowOut = y * outW * 3;
    for (let xx = 0; xx < outW; xx++) {
      const kb = xx * ksize;
      const n = count[xx];
      let p = rowIn + start[xx] * 3;
      let s0 = HALF, s1 = HALF, s2 = HALF;
      // int32 sums like Pillow's (`| 0` keeps V8 on integer arithmetic; no overflow occurs).
      for (let x = 0; x < n; x++, p += 3) {
        const k = weights[kb + x];
        s0 = (s0 + src[p] * k) | 0;
        s1 = (s1 + src[p + 1] * k) | 0;
        s2 = (s2 + src[p + 2] * k) | 0;
      }
      const o = rowOut + xx * 3;
      out[o] = clip8(s0);
      out[o + 1] = clip8(s1);
      out[o + 2] = clip8(s2);
    }
  }
  return out;
}

/**
 * Vertical pass; `c.start` is relative to the first row held in `src`. Whole rows are accumulated,
 * four taps per sweep, in doubles: the integer sums are exact (below 2^31, see resizeBicubicRgb),
 * so the order of additions does not change Pillow's result, and this is ~3× faster than per pixel.
 */
function resampleVertical(src: Uint8Array, w: number, c: AxisCoeffs, startShift: number, outH: number): Uint8Array {
  const stride = w * 3;
  const out = new Uint8Array(outH * stride);
  const acc = new Float64Array(stride);
  const { ksize, start, count, weights } = c;
  for (let yy = 0; yy < outH; yy++) {
    const kb = yy * ksize;
    const n = count[yy];
    const first = (start[yy] - startShift) * stride;
    acc.fill(HALF);
    let y = 0;
    for (; y + 4 <= n; y += 4) {
      const k0 = weights[kb + y], k1 = weights[kb + y + 1], k2 = weights[kb + y + 2], k3 = weights[kb + y + 3];
      const r0 = first + y * stride, r1 = r0 + stride, r2 = r1 + stride, r3 = r2 + stride;
      for (let i = 0; i < stride; i++) acc[i] += src[r0 + i] * k0 + src[r1 + i] * k1 + src[r2 + i] * k2 + src[r3 + i] * k3;
    }
    for (; y < n; y++) {
      const k = weights[kb + y], r = first + y * stride;
      for (let i = 0; i < stride; i++) acc[i] += src[r + i] * k;
    }
    const o = yy * stride;
    for (let i = 0; i < stride; i++) out[o + i] = clip8(acc[i]);
  }
  return out;
}

/**
 * Resize an HWC RGB uint8 image to `outH × outW` exactly as Pillow's BICUBIC does: a horizontal
 * pass (only if the width changes) into a uint8 intermediate, then a vertical pass (only if the
 * height changes); an unchanged size returns a copy.
 */
export function resizeBicubicRgb(src: Uint8Array, inH: number, inW: number, outH: number, outW: number): Uint8Array {
  for (const [name, v] of [["input height", inH], ["input width", inW], ["output height", outH], ["output width", outW]] as const) {
    if (!Number.isInteger(v) || v <= 0) throw new VisionInputError(`resizeBicubicRgb: ${name} must be a positive integer, got ${v}`);
  }
  if (src.length !== inH * inW * 3) {
    throw new VisionInputError(`resizeBicubicRgb: expected ${inH}x${inW}x3 = ${inH * inW * 3} bytes of HWC RGB, got ${src.length}`);
  }
  const needH = outW !== inW;
  const needV = outH !== inH;
  if (!needH && !needV) return src.slice();
  // |acc| < 255 · Σ|k| · 2^22 < 2^31: Pillow's int32 sums never overflow, nor do ours.
  const vert = axisCoeffs(inH, outH);
  if (!needH) return resampleVertical(src, inW, vert, 0, outH);
  // Only the source rows the vertical pass reads need the horizontal pass (Pillow's ybox).
  const rowFirst = needV ? vert.start[0] : 0;
  const rowLast = needV ? vert.start[outH - 1] + vert.count[outH - 1] : inH;
  const tmp = resampleHorizontal(src, inW, rowFirst, rowLast - rowFirst, axisCoeffs(inW, outW), outW);
  return needV ? resampleVertical(tmp, outW, vert, rowFirst, outH) : tmp;
}
