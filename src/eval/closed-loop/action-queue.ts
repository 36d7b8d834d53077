// Open-loop chunk execution (OpenVLA-OFT num_open_loop_steps; shared/reference/simulation.md §4.1): the
// policy is queried only when the actions kept from its last chunk are used up.

export class ActionQueue {
  private rows: Float64Array[] = [];

  constructor(
    private readonly actionDim: number,
    private readonly horizon: number,
    /** Actions kept from each chunk (≤ horizon). */
    private readonly keep: number,
  ) {}

  get empty(): boolean {
    return this.rows.length === 0;
  }

  /** Checks the chunk's shape and values, then queues its first `keep` actions. */
  load(chunk: Float64Array): void {
    const want = this.horizon * this.actionDim;
    if (!(chunk instanceof Float64Array) || chunk.length !== want) {
      throw new Error(
        `policy returned ${chunk?.length ?? "no"} values; a chunk must be horizon × actionDim = ${this.horizon} × ${this.actionDim} = ${want} numbers (Float64Array, row-major)`,
      );
    }
    for (let i = 0; i < chunk.length; i++) {
      if (!Number.isFinite(chunk[i])) throw new Error(`policy returned a non-finite action value at index ${i} (${chunk[i]}); check the model's output and un-normalisation`);
    }
    this.rows = [];
    for (let t = 0; t < this.keep; t++) this.rows.push(chunk.subarray(t * this.actionDim, (t + 1) * this.actionDim));
  }

  next(): Float64Array {
    const a = this.rows.shift();
    if (!a) throw new Error("action queue is empty; load a chunk first");
    return a;
  }
}
