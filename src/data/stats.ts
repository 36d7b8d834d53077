// `roboalign data stats`: per source of a mixture, how many samples, tokens (text + image
// placeholder tokens, as the SFT step sees them after tensorizeSample), supervised tokens and
// images; an epoch's totals follow the mixture's per-source sample counts. With a limit, each
// source is scanned at evenly spaced indices and the totals are estimates (flagged as such).
import { IGNORE_INDEX } from "../text/conversation.js";
import type { TextTokenizer } from "../text/tokenizer.js";
import { type MixtureConfig, sampleCounts } from "./mixture/config.js";
import { tensorizeSample, type TensorizeOptions } from "./mixture/tensorize.js";
import type { SampleSource } from "./sources/catalog.js";

export interface SourceStats {
  name: string;
  kind: string;
  /** Distinct samples the source holds. */
  size: number;
  /** Samples drawn from it per epoch (the mixture's count for it). */
  epochSamples: number;
  /** Samples actually tokenized. */
  scanned: number;
  /** Sums over the scanned samples. */
  tokens: number;
  imageTokens: number;
  supervisedTokens: number;
  images: number;
  meanTokens: number;
  maxTokens: number;
  /** meanTokens × epochSamples. */
  epochTokens: number;
  estimated: boolean;
}

export interface MixtureStats {
  mixture: string;
  sources: SourceStats[];
  totals: { size: number; epochSamples: number; scanned: number; tokens: number; imageTokens: number; supervisedTokens: number; images: number; epochTokens: number };
  /** True when some source was sampled (limit) or an epoch repeats/omits samples: epochTokens is then an extrapolation. */
  estimated: boolean;
}

export interface StatsOptions extends TensorizeOptions {
  /** Samples scanned per source at most (evenly spaced); all when absent. */
  limit?: number;
  /** Called after each tokenized sample (progress bars). */
  onSample?: () => void;
}

/** Indices scanned for a source of `size` under `limit`: all, or `limit` evenly spaced ones. */
export function scanIndices(size: number, limit?: number): number[] {
  const n = limit === undefined ? size : Math.min(size, limit);
  return Array.from({ length: n }, (_, k) => Math.floor((k * size) / n));
}

export async function mixtureStats(config: MixtureConfig, sources: readonly SampleSource[], tokenizer: TextTokenizer, o: StatsOptions): Promise<MixtureStats> {
  const counts = sampleCounts(config);
  const out: SourceStats[] = [];
  for (const s of sources) {
    const idx = scanIndices(s.size, o.limit);
    let tokens = 0, imageTokens = 0, supervised = 0, images = 0, maxTokens = 0;
    for (const i of idx) {
      const sample = await s.get(i);
      const t = await tensorizeSample(tokenizer, sample, o);
      tokens += t.inputIds.length;
      maxTokens = Math.max(maxTokens, t.inputIds.length);
      for (const id of t.inputIds) if (id === o.rope.imageTokenId) imageTokens++;
      for (const l of t.labels) if (l !== IGNORE_INDEX) supervised++;
      images += sample.images.length;
      o.onSample?.();
    }
    const epochSamples = counts.get(s.name) ?? 0;
    const meanTokens = idx.length ? tokens / idx.length : 0;
    out.push({
      name: s.name,
      kind: s.kind,
      size: s.size,
      epochSamples,
      scanned: idx.length,
      tokens,
      imageTokens,
      supervisedTokens: supervised,
      images,
      meanTokens,
      maxTokens,
      epochTokens: Math.round(meanTokens * epochSamples),
      estimated: idx.length < s.size || epochSamples !== s.size,
    });
  }
  const sum = (f: (x: SourceStats) => number) => out.reduce((a, x) => a + f(x), 0);
  return {
    mixture: config.name,
    sources: out,
    totals: {
      size: sum((x) => x.size),
      epochSamples: sum((x) => x.epochSamples),
      scanned: sum((x) => x.scanned),
      tokens: sum((x) => x.tokens),
      imageTokens: sum((x) => x.imageTokens),
      supervisedTokens: sum((x) => x.supervisedTokens),
      images: sum((x) => x.images),
      epochTokens: sum((x) => x.epochTokens),
    },
    estimated: out.some((x) => x.estimated),
  };
}

/** A plain-text table of the stats. */
export function formatStats(s: MixtureStats): string {
  const head = ["source", "kind", "size", "scanned", "tokens", "image tok", "supervised", "images", "mean tok", "max tok", "epoch samples", "epoch tokens"];
  const row = (x: SourceStats) => [x.name, x.kind, x.size, x.scanned, x.tokens, x.imageTokens, x.supervisedTokens, x.images, x.meanTokens.toFixed(1), x.maxTokens, x.epochSamples, `${x.estimated ? "~" : ""}${x.epochTokens}`];
  const t = s.totals;
  const rows = [head, ...s.sources.map(row), ["total", "", t.size, t.scanned, t.tokens, t.imageTokens, t.supervisedTokens, t.images, t.scanned ? (t.tokens / t.scanned).toFixed(1) : "0", "", t.epochSamples, `${s.estimated ? "~" : ""}${t.epochTokens}`]].map((r) => r.map(String));
  const widths = head.map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const lines = rows.map((r) => r.map((v, c) => (c < 2 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join("  "));
  lines.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
  const note = s.estimated ? "\n~ estimate: epoch tokens = mean tokens of the scanned samples × samples per epoch" : "";
  return `mixture ${s.mixture}\n${lines.join("\n")}${note}`;
}
