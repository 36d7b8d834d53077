// Small typed-array helpers shared by the data, model-input and training layers.

/** The arrays one after another. */
export function concatFloat32(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let k = 0;
  for (const p of parts) {
    out.set(p, k);
    k += p.length;
  }
  return out;
}

/** min(size, count) indices spread evenly over 0..size-1, so a small subset covers the whole set. */
export function evenlySpaced(size: number, count: number): number[] {
  const n = Math.min(size, count);
  return Array.from({ length: n }, (_, i) => Math.floor((i * size) / n));
}
