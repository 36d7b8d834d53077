// Shared fixtures of the k-NN probe tests: a seeded PRNG and one smooth robot-state curve replayed at
// different speeds (the same demonstration, faster or slower, with a different time profile).

/** mulberry32: small, seeded, good enough for test data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const CURVE_DIM = 3;

/** The curve at progress s ∈ [0, 1]: monotone in every coordinate's combination, no self-crossings. */
export function curve(s: number): number[] {
  return [Math.cos(Math.PI * s), Math.sin(Math.PI * s), 2 * s];
}

/** `steps` samples of the curve with time profile s = (t / (steps-1))^power; also returns each step's s. */
export function replay(steps: number, power: number): { states: Float64Array; progress: number[] } {
  const states = new Float64Array(steps * CURVE_DIM);
  const progress: number[] = [];
  for (let t = 0; t < steps; t++) {
    const s = (t / (steps - 1)) ** power;
    progress.push(s);
    states.set(curve(s), t * CURVE_DIM);
  }
  return { states, progress };
}
