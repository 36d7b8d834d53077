// The deterministic order in which a mixture's samples are drawn: every epoch interleaves the
// sources by a seeded shuffle of source slots (each source appears as often as its count), and
// each source is read in its own order, so streaming readers never seek. A position (epoch,
// step) resumes exactly: the same seed gives the same slots, and a prefix scan restores how far
// each source has been read.
import { rng } from "../../util/random.js";

export interface Draw {
  /** Index into the config's sources. */
  source: number;
  /** How many samples of that source came before this one in the epoch. */
  index: number;
}

export interface SchedulePosition {
  epoch: number;
  step: number;
}

export class MixtureSchedule {
  readonly counts: number[];
  readonly epochSize: number;
  private slots: Uint8Array | Uint16Array = new Uint8Array(0);
  private slotsEpoch = -1;

  constructor(
    counts: number[],
    private readonly seed: number,
  ) {
    if (counts.length === 0 || counts.some((c) => !Number.isInteger(c) || c < 0)) throw new Error("source counts must be non-negative integers");
    this.counts = counts;
    this.epochSize = counts.reduce((a, b) => a + b, 0);
  }

  /** Source id of every step of `epoch` (Fisher–Yates with a seed derived from seed and epoch). */
  private epochSlots(epoch: number): Uint8Array | Uint16Array {
    if (this.slotsEpoch === epoch) return this.slots;
    const slots = this.counts.length < 256 ? new Uint8Array(this.epochSize) : new Uint16Array(this.epochSize);
    let k = 0;
    this.counts.forEach((c, s) => {
      slots.fill(s, k, k + c);
      k += c;
    });
    const r = rng((this.seed * 1_000_003 + epoch * 7_919) >>> 0);
    for (let i = slots.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      const t = slots[i];
      slots[i] = slots[j];
      slots[j] = t;
    }
    this.slots = slots;
    this.slotsEpoch = epoch;
    return slots;
  }

  /** The draws from `from` onwards, across epoch boundaries, `n` of them. */
  *draws(from: SchedulePosition, n: number): Generator<Draw & SchedulePosition> {
    let { epoch, step } = from;
    let slots = this.epochSlots(epoch);
    const seen = new Array<number>(this.counts.length).fill(0);
    for (let i = 0; i < step; i++) seen[slots[i]]++;
    for (let k = 0; k < n; k++) {
      if (step >= this.epochSize) {
        epoch += 1;
        step = 0;
        slots = this.epochSlots(epoch);
        seen.fill(0);
      }
      const source = slots[step];
      yield { source, index: seen[source]++, epoch, step };
      step += 1;
    }
  }
}
