// M-RoPE position ids against transformers' golden fixtures (reference/qwen2_5_vl.md §5, §10.4):
// `position_ids` and `rope_deltas` of the three tiny-model cases, exactly; token ids from the
// fixture model's config.json. Padded batches must give each row its unpadded positions.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  PADDED_POSITION,
  TextInputError,
  decodePosition,
  imageTokenCount,
  ropeIndex,
  ropeIndexBatch,
  ropeIndexOptionsFromConfig,
} from "../../../src/text/index.js";
import { SHARED_MISSING, hasShared, sharedDir } from "../../helpers/paths.js";

interface Case {
  input_ids: number[];
  position_ids: number[][];
  rope_deltas: number;
  image_grid_thw: number[][] | null;
  greedy_generated_ids_hf_generate: number[];
}

const tiny = join(sharedDir, "fixtures", "qwen2_5_vl", "tiny_untied");
const CASES = ["text_only", "one_image", "two_images"] as const;
const load = (name: string): Case => JSON.parse(readFileSync(join(tiny, "cases", `${name}.json`), "utf8")) as Case;
const config = () => JSON.parse(readFileSync(join(tiny, "config.json"), "utf8")) as unknown;

describe.skipIf(!hasShared)(`ropeIndex on the tiny-model fixtures${hasShared ? "" : ` (skipped: ${SHARED_MISSING})`}`, () => {
  it("reads the special ids from config.json", () => {
    const opts = ropeIndexOptionsFromConfig(config());
    expect(opts).toEqual({ imageTokenId: 492, visionStartTokenId: 489, spatialMergeSize: 2 });
  });

  it.each(CASES)("%s: position_ids and rope_deltas equal transformers'", (name) => {
    const c = load(name);
    const { positionIds, ropeDelta } = ropeIndex(c.input_ids, c.image_grid_thw ?? [], ropeIndexOptionsFromConfig(config()));
    expect(Array.from(positionIds)).toEqual(c.position_ids.flat());
    expect(ropeDelta).toBe(c.rope_deltas);
  });

  it("image spans hold grid_h·grid_w/4 tokens", () => {
    const c = load("two_images");
    const n = c.input_ids.filter((id) => id === 492).length;
    expect(n).toBe((c.image_grid_thw ?? []).reduce((a, g) => a + imageTokenCount(g), 0));
  });

  it("right-padded batch: each row equals its unpadded case, padded slots get PADDED_POSITION", () => {
    const cases = CASES.map(load);
    const T = Math.max(...cases.map((c) => c.input_ids.length)) + 2;
    const ids = cases.map((c) => [...c.input_ids, ...new Array(T - c.input_ids.length).fill(480)]);
    const mask = cases.map((c) => ids[0].map((_, i) => (i < c.input_ids.length ? 1 : 0)));
    const grids = cases.flatMap((c) => c.image_grid_thw ?? []);
    const r = ropeIndexBatch(ids, grids, ropeIndexOptionsFromConfig(config()), mask);
    expect([r.batchSize, r.seqLen]).toEqual([3, T]);
    cases.forEach((c, b) => {
      expect(r.ropeDeltas[b]).toBe(c.rope_deltas);
      for (let a = 0; a < 3; a++) {
        const row = Array.from(r.positionIds.subarray((a * 3 + b) * T, (a * 3 + b + 1) * T));
        const pad = new Array(T - c.input_ids.length).fill(PADDED_POSITION);
        expect(row).toEqual([...c.position_ids[a], ...pad]);
      }
    });
  });

  it("left-padded batch gives the same positions at the real tokens", () => {
    const c = load("one_image");
    const ids = [[480, 480, ...c.input_ids]];
    const mask = [[0, 0, ...c.input_ids.map(() => 1)]];
    const r = ropeIndexBatch(ids, c.image_grid_thw ?? [], ropeIndexOptionsFromConfig(config()), mask);
    const T = ids[0].length;
    for (let a = 0; a < 3; a++) expect(Array.from(r.positionIds.subarray(a * T, (a + 1) * T))).toEqual([0, 0, ...c.position_ids[a]]);
    expect(r.ropeDeltas[0]).toBe(c.rope_deltas);
  });

  it.each(CASES)("%s: decode positions are cache position + rope_deltas (§5), as recomputing over the longer prompt gives", (name) => {
    const c = load(name);
    const opts = ropeIndexOptionsFromConfig(config());
    const { ropeDelta } = ropeIndex(c.input_ids, c.image_grid_thw ?? [], opts);
    const gen = c.greedy_generated_ids_hf_generate;
    for (let k = 0; k < gen.length; k++) {
      const ids = [...c.input_ids, ...gen.slice(0, k + 1)];
      const full = ropeIndex(ids, c.image_grid_thw ?? [], opts).positionIds;
      const T = ids.length;
      const p = decodePosition(T - 1, ropeDelta);
      expect([full[T - 1], full[2 * T - 1], full[3 * T - 1]]).toEqual([p, p, p]);
    }
  });

  it("errors name the mismatch", () => {
    const c = load("one_image");
    const opts = ropeIndexOptionsFromConfig(config());
    expect(() => ropeIndex(c.input_ids, [], opts)).toThrow(/only 0 image grid/);
    expect(() => ropeIndex(c.input_ids, [[1, 4, 6], [1, 4, 6]], opts)).toThrow(/2 image grid\(s\) given but the sequence holds 1/);
    expect(() => ropeIndex(c.input_ids, [[1, 4, 4]], opts)).toThrow(/has 6 image tokens but its grid \[1, 4, 4\] needs/);
    expect(() => ropeIndex(c.input_ids, [[1, 4, 5]], opts)).toThrow(/multiples of the spatial merge size/);
    const noStart = c.input_ids.map((id) => (id === opts.visionStartTokenId ? 5 : id));
    expect(() => ropeIndex(noStart, c.image_grid_thw ?? [], opts)).toThrow(TextInputError);
    expect(() => ropeIndexOptionsFromConfig({ model_type: "qwen2" })).toThrow(/image_token_id/);
  });
});

describe("ropeIndex without fixtures", () => {
  const opts = { imageTokenId: 9, visionStartTokenId: 8 };
  it("text only is arange on all axes with delta 0", () => {
    const r = ropeIndex([1, 2, 3, 4], [], opts);
    expect(Array.from(r.positionIds)).toEqual([0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3]);
    expect(r.ropeDelta).toBe(0);
  });
  it("§5's worked example: a 2×3 merged grid starting at index 15", () => {
    const ids = [...new Array(14).fill(1), 8, 9, 9, 9, 9, 9, 9, 7];
    const r = ropeIndex(ids, [[1, 4, 6]], opts);
    const T = ids.length;
    const axis = (a: number) => Array.from(r.positionIds.subarray(a * T + 15, a * T + 22));
    expect(axis(0)).toEqual([15, 15, 15, 15, 15, 15, 18]);
    expect(axis(1)).toEqual([15, 15, 15, 16, 16, 16, 18]);
    expect(axis(2)).toEqual([15, 16, 17, 15, 16, 17, 18]);
    expect(r.ropeDelta).toBe(-3);
  });
});
