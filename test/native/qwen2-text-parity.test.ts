// The native language model against Hugging Face transformers: the text_only case of the shared
// Qwen2.5-VL fixture (logits, every hidden state, greedy decoding with KV cache).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCheckpoint, type LoadedModel } from "../../src/model/checkpoint.js";
import { getNativeCore } from "../../src/native/core.js";
import { ADDON_MISSING, hasAddon, hasShared, SHARED_MISSING, sharedDir } from "../helpers/paths.js";
import { expectClose, readTensors, type Tensor } from "../helpers/tensors.js";

const modelDir = join(sharedDir, "fixtures", "qwen2_5_vl", "tiny_untied");
const skip = !hasShared || !hasAddon;

describe.skipIf(skip)(`Qwen2 text model vs transformers (text_only)${!hasShared ? ` — skipped: ${SHARED_MISSING}` : !hasAddon ? ` — skipped: ${ADDON_MISSING}` : ""}`, () => {
  const core = hasAddon ? getNativeCore() : (undefined as never);
  let model: LoadedModel;
  let ref: Map<string, Tensor>;
  let ids: number[];
  let positions: Int32Array;

  beforeAll(async () => {
    model = await loadCheckpoint(core, modelDir);
    ref = readTensors(join(modelDir, "cases", "text_only.safetensors"));
    const meta = JSON.parse(readFileSync(join(modelDir, "cases", "text_only.json"), "utf8")) as { input_ids: number[]; position_ids: number[][] };
    ids = meta.input_ids;
    positions = Int32Array.from(meta.position_ids.flat());
  });
  afterAll(async () => {
    if (model) await core.dispose(model.handle);
  });

  it("reads the hub-style config", () => {
    expect(model.config.text).toMatchObject({ hiddenSize: 64, numHiddenLayers: 2, numAttentionHeads: 4, numKeyValueHeads: 2, headDim: 16, vocabSize: 512, mropeSection: [2, 3, 3], ropeTheta: 1e6 });
  });

  it("reproduces the logits and every hidden state (atol 1e-4·max|ref|)", async () => {
    const out = await core.forward(model.handle, { inputIds: Int32Array.from(ids), batch: 1, seqLen: ids.length, positionIds: positions }, { hiddenLayers: [0, 1, 2] });
    expect(out.logitsShape).toEqual([1, ids.length, 512]);
    expectClose(out.logits!, ref.get("logits")!.data, "logits");
    for (let i = 0; i < 3; i++) expectClose(out.hiddenStates[i], ref.get(`hf.hidden_states.${i}`)!.data, `hidden_states[${i}]`);
    expectClose(out.hiddenStates[1], ref.get("llm.layer0_out")!.data, "layer0_out");
  });

  it("gives the same logits with default (1-D) positions, as text-only M-RoPE is arange on all axes", async () => {
    const out = await core.forward(model.handle, { inputIds: Int32Array.from(ids), batch: 1, seqLen: ids.length }, {});
    expectClose(out.logits!, ref.get("logits")!.data, "logits");
  });

  it("decodes the same 8 greedy tokens with the KV cache, with matching log-probs", async () => {
    const r = await core.generate(model.handle, { promptIds: Int32Array.from(ids), promptOffsets: Int32Array.from([0, ids.length]), maxNewTokens: 8, temperature: 0, seed: 0 });
    expect(Array.from(r.ids)).toEqual(Array.from(ref.get("greedy.generated_ids")!.data));
    const steps = ref.get("greedy.step_logits_nocache")!;
    for (let k = 0; k < 8; k++) {
      const row = steps.data.subarray(k * 512, (k + 1) * 512);
      const max = Math.max(...row);
      const lse = max + Math.log(row.reduce((s, x) => s + Math.exp(x - max), 0));
      expect(Math.abs(r.logprobs[k] - (row[r.ids[k]] - lse))).toBeLessThan(1e-4);
    }
  });

  it("reproduces the bf16 reference loosely (same order of error as transformers' own bf16 run)", async () => {
    const bf = await loadCheckpoint(core, modelDir, { dtype: "bfloat16" });
    try {
      const out = await core.forward(bf.handle, { inputIds: Int32Array.from(ids), batch: 1, seqLen: ids.length }, {});
      const fp32 = ref.get("logits")!.data;
      let worst = 0;
      let agree = 0;
      for (let t = 0; t < ids.length; t++) {
        const a = out.logits!.subarray(t * 512, (t + 1) * 512);
        const b = fp32.subarray(t * 512, (t + 1) * 512);
        for (let v = 0; v < 512; v++) worst = Math.max(worst, Math.abs(a[v] - b[v]));
        if (a.indexOf(Math.max(...a)) === b.indexOf(Math.max(...b))) agree++;
      }
      expect(worst).toBeLessThan(0.5); // transformers' bf16 run differs from fp32 by 0.19 on the image case
      expect(agree).toBeGreaterThanOrEqual(ids.length - 3);
    } finally {
      await core.dispose(bf.handle);
    }
  });
});
