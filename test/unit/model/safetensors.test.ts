// Safetensors headers → weight manifests, and the errors a broken checkpoint folder gives.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readCheckpointManifest, readSafetensorsHeader } from "../../../src/model/safetensors.js";
import { NativeCoreError } from "../../../src/native/errors.js";
import { repoRoot } from "../../helpers/paths.js";

const model = join(repoRoot, "test", "fixtures", "qwen2", "tiny_untied", "model.safetensors");

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(NativeCoreError);
    return (e as NativeCoreError).code;
  }
  throw new Error("expected a failure");
}

describe("safetensors manifests", () => {
  it("lists every tensor with absolute byte ranges", () => {
    const entries = readSafetensorsHeader(model);
    expect(entries).toHaveLength(27);
    const emb = entries.find((e) => e.name === "model.embed_tokens.weight")!;
    expect(emb).toMatchObject({ dtype: "F32", shape: [96, 32] });
    expect(emb.end - emb.begin).toBe(96 * 32 * 4);
    const buf = readFileSync(model);
    expect(emb.begin).toBeGreaterThanOrEqual(8 + Number(buf.readBigUInt64LE(0)));
  });

  it("reads sharded folders through the index and fails on a missing shard", () => {
    const dir = mkdtempSync(join(tmpdir(), "roboalign-manifest-"));
    copyFileSync(model, join(dir, "model-00001-of-00002.safetensors"));
    const names = readSafetensorsHeader(model).map((e) => e.name);
    const weightMap = Object.fromEntries(names.map((n) => [n, "model-00001-of-00002.safetensors"]));
    weightMap["extra.weight"] = "model-00002-of-00002.safetensors";
    writeFileSync(join(dir, "model.safetensors.index.json"), JSON.stringify({ weight_map: weightMap }));
    expect(codeOf(() => readCheckpointManifest(dir))).toBe("E_FILE_NOT_FOUND");
    delete weightMap["extra.weight"];
    writeFileSync(join(dir, "model.safetensors.index.json"), JSON.stringify({ weight_map: weightMap }));
    expect(readCheckpointManifest(dir)).toHaveLength(27);
  });

  it("reports truncated files and folders without weights", () => {
    const dir = mkdtempSync(join(tmpdir(), "roboalign-trunc-"));
    expect(codeOf(() => readCheckpointManifest(dir))).toBe("E_FILE_NOT_FOUND");
    const buf = readFileSync(model);
    writeFileSync(join(dir, "model.safetensors"), buf.subarray(0, buf.length - 100));
    expect(codeOf(() => readCheckpointManifest(dir))).toBe("E_CHECKPOINT");
    writeFileSync(join(dir, "model.safetensors"), Buffer.from([1, 2, 3]));
    expect(codeOf(() => readCheckpointManifest(dir))).toBe("E_CHECKPOINT");
  });
});
