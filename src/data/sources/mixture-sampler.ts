// Samples in MixtureSchedule order (src/data/mixture/schedule.ts): draw k of source s in an epoch
// maps to sample perm(k mod size) of s, where perm is a seeded permutation that changes every
// pass over the source (pass = epoch and k div size), so a source smaller than its share repeats
// in a new order, and a larger one shows a different subset each epoch. Deterministic: the same
// seed and position give the same sample.
import { rng } from "../../util/random.js";
import { type MixtureConfig, sampleCounts } from "../mixture/config.js";
import { type Draw, MixtureSchedule, type SchedulePosition } from "../mixture/schedule.js";
import type { SampleSource } from "./catalog.js";
import type { SourceSample } from "./episode-sources.js";
import { hashSeed } from "./scene-words.js";

export class MixtureSampler {
  readonly schedule: MixtureSchedule;
  private readonly perms = new Map<number, { pass: number; perm: Uint32Array }>();

  constructor(
    readonly config: MixtureConfig,
    readonly sources: readonly SampleSource[],
  ) {
    if (sources.length !== config.sources.length) throw new Error(`mixture "${config.name}" has ${config.sources.length} sources but ${sources.length} were resolved; resolve them with resolveMixture(config)`);
    const counts = sampleCounts(config);
    this.schedule = new MixtureSchedule(config.sources.map((s) => counts.get(s.name)!), config.seed);
  }

  /** Which sample of its source a draw reads. */
  sampleIndex(d: Draw & SchedulePosition): number {
    const n = this.sources[d.source].size;
    const count = this.schedule.counts[d.source];
    const pass = d.epoch * Math.ceil(count / n) + Math.floor(d.index / n);
    let p = this.perms.get(d.source);
    if (!p || p.pass !== pass) {
      const perm = new Uint32Array(n);
      for (let i = 0; i < n; i++) perm[i] = i;
      const r = rng(hashSeed(this.config.seed, this.sources[d.source].name, pass));
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(r() * (i + 1));
        const t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
      }
      p = { pass, perm };
      this.perms.set(d.source, p);
    }
    return p.perm[d.index % n];
  }

  async get(d: Draw & SchedulePosition): Promise<SourceSample> {
    return this.sources[d.source].get(this.sampleIndex(d));
  }

  /** `n` samples from position `from`, with their draws. */
  async *samples(from: SchedulePosition, n: number): AsyncGenerator<{ draw: Draw & SchedulePosition; sample: SourceSample }> {
    for (const draw of this.schedule.draws(from, n)) yield { draw, sample: await this.get(draw) };
  }
}
