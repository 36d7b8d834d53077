// Shared fixtures of the k-NN probe tests: a seeded PRNG and one smooth robot-state curve replayed at
// different speeds (the same demonstration, faster or slower, with a different time profile).

export { rng } from "../../../../src/util/random.js";

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
