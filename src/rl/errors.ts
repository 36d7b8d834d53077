// ref: project convention (src/text/errors.ts, src/fast/chunk.ts FastInputError): one error class per layer.

/** Bad input to the GRPO math or reward layer (shapes, groups, configuration). */
export class RlInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RlInputError";
  }
}

/** Throws unless `array` holds exactly `expected` values. */
export function checkLength(what: string, array: ArrayLike<number> | undefined, expected: number, shape: string): void {
  if (array === undefined || array === null) throw new RlInputError(`${what} is missing; pass ${expected} values (${shape})`);
  if (array.length !== expected) throw new RlInputError(`${what} has ${array.length} values, expected ${expected} (${shape})`);
}

/** Throws unless `batch` and `seqLen` are non-negative integers. */
export function checkShape(batch: number, seqLen: number): void {
  if (!Number.isInteger(batch) || batch < 0) throw new RlInputError(`batch ${batch} must be a non-negative integer`);
  if (!Number.isInteger(seqLen) || seqLen < 0) throw new RlInputError(`seqLen ${seqLen} must be a non-negative integer`);
}
