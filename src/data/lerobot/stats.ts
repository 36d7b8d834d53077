// Per-episode feature statistics as LeRobot v2.1 writes them to meta/episodes_stats.jsonl
// (lerobot/common/datasets/compute_stats.py): per-dimension min/max/mean/std (population std)
// and count; images get per-channel stats of pixels scaled to [0, 1], shaped [C][1][1].

export interface FeatureStats {
  min: unknown[];
  max: unknown[];
  mean: unknown[];
  std: unknown[];
  count: number[];
}

/** Stats over rows of a [n × dim] row-major array. */
export function vectorStats(values: ArrayLike<number>, n: number, dim: number): FeatureStats {
  const min = new Array(dim).fill(Infinity);
  const max = new Array(dim).fill(-Infinity);
  const sum = new Array(dim).fill(0);
  const sq = new Array(dim).fill(0);
  for (let t = 0; t < n; t++)
    for (let j = 0; j < dim; j++) {
      const v = values[t * dim + j];
      if (v < min[j]) min[j] = v;
      if (v > max[j]) max[j] = v;
      sum[j] += v;
      sq[j] += v * v;
    }
  const mean = sum.map((s) => s / n);
  const std = sq.map((s, j) => Math.sqrt(Math.max(0, s / n - mean[j] * mean[j])));
  return { min, max, mean, std, count: [n] };
}

/** Accumulates per-channel pixel stats over HWC uint8 frames. */
export class ImageStats {
  private min: number[] = [];
  private max: number[] = [];
  private sum: number[] = [];
  private sq: number[] = [];
  private pixels = 0;
  private frames = 0;

  add(data: Uint8Array, channels: number): void {
    if (!this.sum.length) {
      this.min = new Array(channels).fill(255);
      this.max = new Array(channels).fill(0);
      this.sum = new Array(channels).fill(0);
      this.sq = new Array(channels).fill(0);
    }
    for (let i = 0; i < data.length; i++) {
      const c = i % channels;
      const v = data[i];
      if (v < this.min[c]) this.min[c] = v;
      if (v > this.max[c]) this.max[c] = v;
      this.sum[c] += v;
      this.sq[c] += v * v;
    }
    this.pixels += data.length / channels;
    this.frames++;
  }

  result(): FeatureStats | null {
    if (!this.frames) return null;
    const wrap = (x: number[]) => x.map((v) => [[v]]);
    const mean = this.sum.map((s) => s / this.pixels / 255);
    const std = this.sq.map((s, c) => Math.sqrt(Math.max(0, s / this.pixels / 65025 - mean[c] * mean[c])));
    return { min: wrap(this.min.map((v) => v / 255)), max: wrap(this.max.map((v) => v / 255)), mean: wrap(mean), std: wrap(std), count: [this.frames] };
  }
}
