// Reads tensors out of safetensors fixture files (F32, F64, I64, I32, BF16) for comparisons.
import { readFileSync } from "node:fs";

export interface Tensor {
  shape: number[];
  data: Float64Array;
}

export function readTensors(file: string): Map<string, Tensor> {
  const buf = readFileSync(file);
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString("utf8")) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  const base = 8 + n;
  const out = new Map<string, Tensor>();
  for (const [name, t] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    const bytes = buf.subarray(base + t.data_offsets[0], base + t.data_offsets[1]);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const count = t.shape.reduce((a, b) => a * b, 1);
    const data = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      switch (t.dtype) {
        case "F32": data[i] = view.getFloat32(i * 4, true); break;
        case "F64": data[i] = view.getFloat64(i * 8, true); break;
        case "I64": data[i] = Number(view.getBigInt64(i * 8, true)); break;
        case "I32": data[i] = view.getInt32(i * 4, true); break;
        case "BF16": data[i] = new Float32Array(new Uint32Array([view.getUint16(i * 2, true) << 16]).buffer)[0]; break;
        default: throw new Error(`${file}: unsupported dtype ${t.dtype} for ${name}`);
      }
    }
    out.set(name, { shape: t.shape, data });
  }
  return out;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** The spec's fp32 tolerance: atol = 1e-4 · max|ref| per tensor. */
export function expectClose(actual: ArrayLike<number>, ref: ArrayLike<number>, what: string, rel = 1e-4): void {
  const diff = maxAbsDiff(actual, ref);
  const tol = rel * Math.max(maxAbs(ref), 1e-12);
  if (!(diff <= tol)) throw new Error(`${what}: max |diff| ${diff.toExponential(3)} exceeds ${tol.toExponential(3)}`);
}
