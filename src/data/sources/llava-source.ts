// A LLaVA-style JSON/JSONL file (src/data/llava/reader.ts) as an indexable source: records (text
// and image paths) are read once; images are loaded from disk only in `get(i)`.
import { loadImageRgb } from "../../vision/load-image.js";
import type { SourceKind } from "../mixture/config.js";
import { LlavaReader, type VqaRecord } from "../llava/reader.js";
import type { SampleSource } from "./catalog.js";
import type { SourceSample } from "./episode-sources.js";

export class LlavaSource implements SampleSource {
  private constructor(
    readonly name: string,
    readonly kind: SourceKind,
    private readonly records: VqaRecord[],
    readonly reader: LlavaReader,
  ) {}

  static async open(name: string, kind: SourceKind, path: string, imageFolder?: string): Promise<LlavaSource> {
    const reader = new LlavaReader(path, imageFolder);
    const records: VqaRecord[] = [];
    for await (const r of reader.records()) records.push(r);
    if (records.length === 0) throw new Error(`${name}: ${path} has no usable records${reader.skips.count ? ` (${reader.skips.count} skipped; run \`roboalign data inspect ${path}\` to see why)` : ""}`);
    return new LlavaSource(name, kind, records, reader);
  }

  get size(): number {
    return this.records.length;
  }

  async get(i: number): Promise<SourceSample> {
    const r = this.records[i];
    if (!r) throw new RangeError(`${this.name}: sample index ${i} is outside 0..${this.size - 1}`);
    return { source: this.name, messages: r.messages, images: await Promise.all(r.images.map((p) => loadImageRgb(p))) };
  }
}
