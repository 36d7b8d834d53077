// The probe end to end (src/eval/knn/probe.ts) with fake feature sources: features that encode the
// demonstration's progress recover the DTW phase; random features stay near chance.
import { describe, expect, it } from "vitest";
import { EXTRACT_BATCH, knnProbe, type FeatureSource, type ProbeTrajectory } from "../../../../src/eval/knn/probe.js";
import type { VlInput } from "../../../../src/vla/backbone.js";
import { CURVE_DIM, replay, rng } from "./fixtures.js";

/** Trajectories whose single 1×2-pixel image shows the progress s (as a 16-bit value). */
function trajectories(unreadable: [number, number][] = []): ProbeTrajectory[] {
  const specs: [number, number][] = [[60, 1], [45, 1.3], [70, 0.8], [52, 1.1], [64, 0.9], [48, 1.2]];
  return specs.map(([steps, power], j) => {
    const { states, progress } = replay(steps, power);
    return {
      id: `demo_${j}`,
      states,
      stateDim: CURVE_DIM,
      steps,
      async frame(t: number) {
        if (unreadable.some(([a, b]) => a === j && b === t)) return null;
        const q = Math.round(progress[t] * 65535);
        return { images: [{ data: Uint8Array.from([q >> 8, q & 255, 0, 0, 0, 0]), height: 1, width: 2 }], instruction: "put the bowl in the drawer" };
      },
    };
  });
}

/** One token whose direction turns with the progress s read from the image: cosine ~ |Δs|. */
function progressSource(calls: number[] = []): FeatureSource {
  return {
    label: "phase-aware",
    dim: 2,
    async extract(inputs: VlInput[]) {
      calls.push(inputs.length);
      return inputs.map((x) => {
        const d = x.images[0].data;
        const s = (d[0] * 256 + d[1]) / 65535;
        return { data: Float32Array.from([Math.cos((Math.PI / 2) * s), Math.sin((Math.PI / 2) * s)]), tokens: 1 };
      });
    },
  };
}

function randomSource(seed: number): FeatureSource {
  const r = rng(seed);
  return {
    label: "random",
    dim: 16,
    async extract(inputs: VlInput[]) {
      // Three tokens each, so mean pooling is exercised too.
      return inputs.map(() => ({ data: Float32Array.from({ length: 3 * 16 }, () => r() - 0.5), tokens: 3 }));
    },
  };
}

describe("knnProbe", () => {
  it("recovers the phase from progress-encoding features and stays near chance with random ones", async () => {
    const calls: number[] = [];
    const res = await knnProbe(trajectories(), [progressSource(calls), randomSource(1)], { classes: 8, k: 5, stride: 1 });
    const [phase, random] = res.sources;
    expect(res.timesteps).toBe(60 + 45 + 70 + 52 + 64 + 48);
    expect(res.trajectories).toBe(6);
    expect(res.trajectoryIds).toContain(res.reference);
    expect(phase.total).toBe(res.timesteps);
    expect(phase.accuracy).toBeGreaterThan(0.9);
    expect(random.accuracy).toBeLessThan(0.4);
    expect(phase.accuracy - random.accuracy).toBeGreaterThan(0.5);
    expect(res.chance).toBeGreaterThan(0);
    expect(res.chance).toBeLessThan(0.3);
    expect(Math.max(...calls)).toBeLessThanOrEqual(EXTRACT_BATCH);
    expect(calls[0]).toBe(EXTRACT_BATCH);
  });

  it("subsamples with the stride, skips unreadable frames and reports progress to the end", async () => {
    const seen: [number, number][] = [];
    const res = await knnProbe(trajectories([[0, 0], [2, 4]]), [progressSource(), randomSource(2)], {
      classes: 4,
      k: 3,
      stride: 2,
      onProgress: (d, t) => seen.push([d, t]),
    });
    const sampled = [60, 45, 70, 52, 64, 48].reduce((s, n) => s + Math.ceil(n / 2), 0);
    expect(res.skipped).toBe(2);
    expect(res.timesteps).toBe(sampled - 2);
    expect(res.stride).toBe(2);
    expect(seen[seen.length - 1]).toEqual([2 * sampled, 2 * sampled]);
  });

  it("opens each source before use and closes it before the next one", async () => {
    const log: string[] = [];
    const wrap = (src: FeatureSource): FeatureSource => ({
      ...src,
      open: async () => void log.push(`open ${src.label}`),
      close: async () => void log.push(`close ${src.label}`),
      extract: async (x) => {
        log.push(`extract ${src.label}`);
        return src.extract(x);
      },
    });
    await knnProbe(trajectories(), [wrap(progressSource()), wrap(randomSource(3))], { classes: 4, k: 5, stride: 8 });
    const firstClose = log.indexOf("close phase-aware");
    expect(log[0]).toBe("open phase-aware");
    expect(log.indexOf("open random")).toBe(firstClose + 1);
    expect(log.slice(0, firstClose).every((l) => l.endsWith("phase-aware"))).toBe(true);
    expect(log[log.length - 1]).toBe("close random");
  });

  it("rejects fewer than two trajectories and mismatched state dims", async () => {
    const [a, b] = trajectories();
    await expect(knnProbe([a], [progressSource()], { classes: 4, k: 5, stride: 1 })).rejects.toThrow(/at least 2 trajectories/);
    await expect(knnProbe([a, { ...b, stateDim: 2 }], [progressSource()], { classes: 4, k: 5, stride: 1 })).rejects.toThrow(/state dim/);
  });
});
