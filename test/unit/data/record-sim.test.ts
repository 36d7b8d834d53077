// Recording expert episodes: worker threads give byte-identical datasets to the in-process path, and a
// re-run resumes (writes nothing new).
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { recordSimEpisodes } from "../../../src/data/record-sim.js";

function files(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(root, p), readFileSync(p));
    }
  };
  walk(root);
  return out;
}

describe("recordSimEpisodes", () => {
  it("writes the same dataset on worker threads as in process, and resumes", async () => {
    const base = mkdtempSync(join(tmpdir(), "roboalign-record-"));
    // goal tasks 3, 4 (the drawer) and 5, then task 3 from its second initial state
    const indices = [3, 4, 5, 13];
    const one = await recordSimEpisodes({ out: join(base, "one"), suite: "goal", indices, imageSize: 16 });
    const progress: number[] = [];
    const two = await recordSimEpisodes({ out: join(base, "two"), suite: "goal", indices, imageSize: 16, workers: 2, onEpisode: (p) => progress.push(p.done) });
    expect(one).toEqual({ written: 4, resumed: 0, failed: 0 });
    expect(two).toEqual(one);
    expect(progress).toEqual([1, 2, 3, 4]);
    const [a, b] = [files(join(base, "one")), files(join(base, "two"))];
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [k, v] of a) expect(b.get(k)!.equals(v), k).toBe(true);
    expect(await recordSimEpisodes({ out: join(base, "two"), suite: "goal", indices, imageSize: 16, workers: 2 })).toEqual({ written: 0, resumed: 4, failed: 0 });
  });
});
