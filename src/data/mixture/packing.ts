// Micro-batches under a token budget: consecutive samples share a right-padded batch while
// rows × longest row stays within the budget, so every step does about the same work and no
// sample attends across another's boundary (each is its own row). Order is kept, so a resumed
// run packs identically.
export interface PackResult {
  /** Sample indices of each micro-batch, in order. */
  batches: number[][];
  /** Samples longer than the budget: counted and skipped, never truncated silently. */
  skipped: { index: number; length: number }[];
}

export function packByTokenBudget(lengths: ArrayLike<number>, tokenBudget: number, maxRows = Infinity): PackResult {
  if (!(Number.isInteger(tokenBudget) && tokenBudget > 0)) throw new Error(`token budget must be a positive integer, got ${tokenBudget}`);
  const batches: number[][] = [];
  const skipped: PackResult["skipped"] = [];
  let current: number[] = [];
  let longest = 0;
  for (let i = 0; i < lengths.length; i++) {
    const len = lengths[i];
    if (len > tokenBudget) {
      skipped.push({ index: i, length: len });
      continue;
    }
    const nextLongest = Math.max(longest, len);
    if (current.length > 0 && ((current.length + 1) * nextLongest > tokenBudget || current.length + 1 > maxRows)) {
      batches.push(current);
      current = [];
      longest = 0;
    }
    current.push(i);
    longest = Math.max(longest, len);
  }
  if (current.length) batches.push(current);
  return { batches, skipped };
}
