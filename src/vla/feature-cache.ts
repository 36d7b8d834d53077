// Backbone features on disk: the backbone is frozen and the frames are not augmented, so each frame's
// layer-L states are computed once and every later step (and a later run with the same backbone,
// layer and data) reads them back instead of running the MLLM. `features.f32` holds the float32
// rows back to back; `index.json` maps frame keys to (offset, tokens) and names the backbone
// identity they came from, so a cache of another backbone or layer is never reused.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { VlFeatures } from "./backbone.js";

interface CacheIndex {
  identity: string;
  dim: number;
  /** key → [offset in floats, tokens] */
  frames: Record<string, [number, number]>;
}

export class FeatureCache {
  private readonly file: string;
  private readonly indexFile: string;
  private readonly index: CacheIndex;
  private fd: number;
  private floats: number;
  private dirty = false;

  /** Opens (or starts) the cache in `dir` for features of `identity` with `dim` columns. */
  constructor(
    readonly dir: string,
    identity: string,
    readonly dim: number,
  ) {
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, "features.f32");
    this.indexFile = join(dir, "index.json");
    let index: CacheIndex | null = null;
    if (existsSync(this.indexFile) && existsSync(this.file)) {
      try {
        const i = JSON.parse(readFileSync(this.indexFile, "utf8")) as CacheIndex;
        if (i.identity === identity && i.dim === dim) index = i;
      } catch {
        index = null; // unreadable: rebuilt below
      }
    }
    if (!index) {
      rmSync(this.file, { force: true });
      index = { identity, dim, frames: {} };
    }
    this.index = index;
    // Positional reads and writes: "r+" keeps an existing file, "w+" starts one.
    this.fd = openSync(this.file, existsSync(this.file) ? "r+" : "w+");
    // Floats written so far: rows past the last indexed one (a run killed mid-write) are overwritten.
    this.floats = Object.values(index.frames).reduce((m, [o, t]) => Math.max(m, o + t * dim), 0);
  }

  get size(): number {
    return Object.keys(this.index.frames).length;
  }

  has(key: string): boolean {
    return key in this.index.frames;
  }

  put(key: string, f: VlFeatures): void {
    if (f.data.length !== f.tokens * this.dim) throw new Error(`features of ${key} have ${f.data.length} values, expected ${f.tokens} × ${this.dim}`);
    const bytes = Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength);
    writeSync(this.fd, bytes, 0, bytes.length, this.floats * 4);
    this.index.frames[key] = [this.floats, f.tokens];
    this.floats += f.data.length;
    this.dirty = true;
  }

  /** The features of `key` as stored (`[tokens, dim]`). */
  get(key: string): VlFeatures {
    const e = this.index.frames[key];
    if (!e) throw new Error(`frame ${key} is not in the feature cache ${this.dir}`);
    const data = new Float32Array(e[1] * this.dim);
    const n = readSync(this.fd, Buffer.from(data.buffer), 0, data.byteLength, e[0] * 4);
    if (n !== data.byteLength) throw new Error(`${this.file} is truncated at frame ${key}; delete ${this.dir} to rebuild it`);
    return { data, tokens: e[1] };
  }

  /** Writes the index (atomically) so the frames put so far survive a restart. */
  flush(): void {
    if (!this.dirty) return;
    writeFileSync(`${this.indexFile}.tmp`, JSON.stringify(this.index));
    renameSync(`${this.indexFile}.tmp`, this.indexFile);
    this.dirty = false;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
