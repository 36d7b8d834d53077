// Conversations with images → tensors → right-padded micro-batches → SFT steps on a tiny
// Qwen2.5-VL: padding does not change a sample's log-probs, and the loss falls.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { collate, tensorizeSample, type TrainingSample } from "../../src/data/mixture/tensorize.js";
import { modelPreset } from "../../src/model/presets.js";
import { getNativeCore } from "../../src/native/core.js";
import { addActionTokensToFiles, tokenizerFromFiles, trainQwenBpeTokenizer } from "../../src/text/index.js";
import { rawRgbImage } from "../../src/vision/load-image.js";
import { ADDON_MISSING, hasAddon, hasShared, sharedDir } from "../helpers/paths.js";

const skip = !hasAddon || !hasShared;

describe.skipIf(skip)(`multimodal SFT on a tiny Qwen2.5-VL${skip ? ` — skipped: ${!hasAddon ? ADDON_MISSING : "../shared is absent"}` : ""}`, () => {
  it("batches conversations with images without changing them, and learns from them", async () => {
    const words = "pick up the red blue block bowl plate put it on left right".split(" ");
    const corpus = Array.from({ length: 300 }, (_, i) => Array.from({ length: 8 }, (_, k) => words[(i * 5 + k * 3) % words.length]).join(" "));
    const tokenizer = tokenizerFromFiles(addActionTokensToFiles(trainQwenBpeTokenizer(corpus, { vocabSize: 320 }), 16).files);
    const ids = { imagePad: tokenizer.requireId("<|image_pad|>"), visionStart: tokenizer.requireId("<|vision_start|>") };
    const { text, vision } = modelPreset("tiny");
    const config = { ...text, vocabSize: Math.ceil(tokenizer.vocabSize() / 64) * 64 };
    const core = getNativeCore();
    const h = await core.initModel({ config, vision: { config: vision!, imageTokenId: ids.imagePad }, device: "cpu", dtype: "float32", seed: 1 });
    const img = (name: string, hgt: number, wid: number) => rawRgbImage(readFileSync(join(sharedDir, "fixtures", "qwen2_5_vl", "images", `${name}.rgb`)), { height: hgt, width: wid });
    const samples: TrainingSample[] = [
      { messages: [{ role: "user", content: [{ type: "image" }, { type: "text", text: "What is on the left?" }] }, { role: "assistant", content: "the red block" }], images: [img("img_56x84", 56, 84)] },
      { messages: [{ role: "user", content: "Where is the bowl?" }, { role: "assistant", content: "<action_start><action_3><action_7><action_end>" }], images: [] },
      { messages: [{ role: "user", content: [{ type: "image" }, { type: "image" }, { type: "text", text: "Compare." }] }, { role: "assistant", content: "put it on the right plate" }], images: [img("img_84x56", 84, 56), img("img_50x70_resized", 50, 70)] },
    ];
    const rope = { imageTokenId: ids.imagePad, visionStartTokenId: ids.visionStart, spatialMergeSize: 2 };
    const tensors = await Promise.all(samples.map((s) => tensorizeSample(tokenizer, s, { rope })));
    expect(tensors[2].imageGridThw).toEqual([[1, 6, 4], [1, 4, 4]]);
    const batch = collate(tensors, tokenizer.requireId("<|endoftext|>"));
    // Each row's log-probs in the padded batch equal the sample's log-probs alone.
    const together = await core.logprobs(h, batch, {});
    for (const [b, t] of tensors.entries()) {
      const alone = await core.logprobs(h, collate([t], 0), {});
      const row = together.logprobs.subarray(b * batch.seqLen, b * batch.seqLen + t.inputIds.length);
      row.forEach((x, i) => expect(Math.abs(x - alone.logprobs[i])).toBeLessThan(1e-4));
    }
    await core.configureOptimizer(h, { lr: 3e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maxGradNorm: 1, freeze: ["visual.*"] });
    const first = await core.sftStep(h, { microBatches: [batch], lr: 3e-3 });
    let last = first;
    for (let i = 0; i < 60; i++) last = await core.sftStep(h, { microBatches: [batch], lr: 3e-3 });
    expect(first.tokens).toBe(tensors.reduce((n, t) => n + t.labels.filter((x) => x !== -100).length, 0));
    expect(last.loss).toBeLessThan(first.loss * 0.3);
    await core.dispose(h);
  });
});
