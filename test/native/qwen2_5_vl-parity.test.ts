// The full Qwen2.5-VL forward against transformers: vision tower (patch embedding, every block,
// merged image embeddings), image embeddings scattered into the image-pad positions, M-RoPE
// language model (every hidden state, logits), greedy decoding with rope deltas, and bf16.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCheckpoint, type LoadedModel } from "../../src/model/checkpoint.js";
import { getNativeCore } from "../../src/native/core.js";
import { ADDON_MISSING, hasAddon, hasShared, SHARED_MISSING, sharedDir } from "../helpers/paths.js";
import { expectClose, readTensors, type Tensor } from "../helpers/tensors.js";

const modelDir = join(sharedDir, "fixtures", "qwen2_5_vl", "tiny_untied");
const skip = !hasShared || !hasAddon;
const why = !hasShared ? ` — skipped: ${SHARED_MISSING}` : !hasAddon ? ` — skipped: ${ADDON_MISSING}` : "";

interface Case {
  ref: Map<string, Tensor>;
  ids: Int32Array;
  positions: Int32Array;
  ropeDelta: number;
  pixelValues: Float32Array;
  imageGridThw: Int32Array;
}

function readCase(name: string): Case {
  const ref = readTensors(join(modelDir, "cases", `${name}.safetensors`));
  const meta = JSON.parse(readFileSync(join(modelDir, "cases", `${name}.json`), "utf8")) as { input_ids: number[]; position_ids: number[][]; rope_deltas: number };
  return {
    ref,
    ids: Int32Array.from(meta.input_ids),
    positions: Int32Array.from(meta.position_ids.flat()),
    ropeDelta: Array.isArray(meta.rope_deltas) ? (meta.rope_deltas as number[]).flat(2)[0] : meta.rope_deltas,
    pixelValues: Float32Array.from(ref.get("pixel_values")!.data),
    imageGridThw: Int32Array.from(ref.get("image_grid_thw")!.data),
  };
}

describe.skipIf(skip).each(["one_image", "two_images"])(`Qwen2.5-VL %s vs transformers${why}`, (name) => {
  const core = hasAddon ? getNativeCore() : (undefined as never);
  let model: LoadedModel;
  let c: Case;

  beforeAll(async () => {
    model = await loadCheckpoint(core, modelDir);
    c = readCase(name);
  });
  afterAll(async () => {
    if (model) await core.dispose(model.handle);
  });

  it("reproduces the patch embedding, every vision block and the merged image embeddings", async () => {
    const out = await core.encodeImages(model.handle, { pixelValues: c.pixelValues, imageGridThw: c.imageGridThw }, { blocks: true });
    expectClose(out.patchEmbeds, c.ref.get("vision.patch_embed_out")!.data, "patch_embed_out");
    expect(out.blockOutputs).toHaveLength(4);
    out.blockOutputs.forEach((b, i) => expectClose(b, c.ref.get(`vision.block${i}_out`)!.data, `vision block ${i}`));
    expect(out.embedShape).toEqual(c.ref.get("vision.image_embeds")!.shape);
    expectClose(out.imageEmbeds, c.ref.get("vision.image_embeds")!.data, "image_embeds");
  });

  it("reproduces every language-model hidden state and the logits with images merged in", async () => {
    const out = await core.forward(
      model.handle,
      { inputIds: c.ids, batch: 1, seqLen: c.ids.length, positionIds: c.positions, pixelValues: c.pixelValues, imageGridThw: c.imageGridThw },
      { hiddenLayers: [0, 1, 2] },
    );
    expectClose(out.hiddenStates[0], c.ref.get("llm.inputs_embeds")!.data, "inputs_embeds");
    for (let i = 0; i < 3; i++) expectClose(out.hiddenStates[i], c.ref.get(`hf.hidden_states.${i}`)!.data, `hidden_states[${i}]`);
    expectClose(out.logits!, c.ref.get("logits")!.data, "logits");
  });

  it("decodes the same 8 greedy tokens with the KV cache and rope deltas", async () => {
    const r = await core.generate(model.handle, {
      promptIds: c.ids,
      promptOffsets: Int32Array.from([0, c.ids.length]),
      positionIds: c.positions,
      ropeDeltas: Int32Array.from([c.ropeDelta]),
      pixelValues: c.pixelValues,
      imageGridThw: c.imageGridThw,
      maxNewTokens: 8,
      temperature: 0,
      seed: 0,
    });
    expect(Array.from(r.ids)).toEqual(Array.from(c.ref.get("greedy.generated_ids")!.data));
  });

  it("rejects images whose token count does not match the image pads", async () => {
    const ids = c.ids.slice(0, c.ids.length - 1);
    const withoutOnePad = Int32Array.from(Array.from(c.ids).filter((_, i) => i !== c.ids.indexOf(492)));
    await expect(
      core.forward(model.handle, { inputIds: withoutOnePad, batch: 1, seqLen: withoutOnePad.length, pixelValues: c.pixelValues, imageGridThw: c.imageGridThw }, {}),
    ).rejects.toMatchObject({ code: "E_SHAPE" });
    await expect(core.forward(model.handle, { inputIds: ids, batch: 1, seqLen: ids.length }, {})).rejects.toMatchObject({ code: "E_SHAPE" });
  });
});

describe.skipIf(skip)(`Qwen2.5-VL bf16${why}`, () => {
  it("stays within the reference's own bf16 error and agrees on the argmax at most positions", async () => {
    const core = getNativeCore();
    const c = readCase("one_image");
    const bfRef = readTensors(join(modelDir, "cases", "one_image_bf16.safetensors")).get("logits_bf16_model")!.data;
    const m = await loadCheckpoint(core, modelDir, { dtype: "bfloat16" });
    try {
      const out = await core.forward(m.handle, { inputIds: c.ids, batch: 1, seqLen: c.ids.length, positionIds: c.positions, pixelValues: c.pixelValues, imageGridThw: c.imageGridThw }, {});
      const fp32 = c.ref.get("logits")!.data;
      let worst = 0;
      let agree = 0;
      const T = c.ids.length;
      for (let t = 0; t < T; t++) {
        const a = Array.from(out.logits!.subarray(t * 512, (t + 1) * 512));
        const b = Array.from(fp32.subarray(t * 512, (t + 1) * 512));
        a.forEach((x, v) => (worst = Math.max(worst, Math.abs(x - b[v]))));
        if (a.indexOf(Math.max(...a)) === b.indexOf(Math.max(...b))) agree++;
      }
      let refWorst = 0;
      bfRef.forEach((x, i) => (refWorst = Math.max(refWorst, Math.abs(x - fp32[i]))));
      expect(worst).toBeLessThan(2 * refWorst); // reference bf16 vs fp32: 0.19
      expect(agree).toBeGreaterThanOrEqual(T - 3);
    } finally {
      await core.dispose(m.handle);
    }
  });
});
