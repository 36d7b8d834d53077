#!/usr/bin/env node
// Throughput of the native model on one device, with random weights of a named preset: prefill
// forward tokens/s (with one image per sequence for Qwen2.5-VL presets), batched KV-cache decode
// tokens/s, and SFT step time.
//   node scripts/bench-model.mjs [--preset tiny] [--device cpu] [--dtype float32] [--batch 1]
//        [--seq 64] [--image 224] [--new 16] [--repeats 3] [--skip-train]
import { parseArgs } from "node:util";
import { defaultSpecialIds, getNativeCore, modelPreset } from "../dist/index.js";

const { values: a } = parseArgs({
  options: {
    preset: { type: "string", default: "tiny" },
    device: { type: "string", default: "cpu" },
    dtype: { type: "string", default: "float32" },
    batch: { type: "string", default: "1" },
    seq: { type: "string", default: "64" },
    image: { type: "string", default: "224" },
    new: { type: "string", default: "16" },
    repeats: { type: "string", default: "3" },
    "skip-train": { type: "boolean", default: false },
  },
});
const B = Number(a.batch), T = Number(a.seq), G = Number(a.new), R = Number(a.repeats);
const core = getNativeCore();
const { text, vision } = modelPreset(a.preset);
const ids = defaultSpecialIds(text.vocabSize);
const h = await core.initModel({ config: text, vision: vision ? { config: vision, imageTokenId: ids.imagePad } : undefined, device: a.device, dtype: a.dtype, seed: 0 });

// Each sequence: [vision_start, image pads..., vision_end, T text tokens].
let imageTokens = 0;
let images = {};
if (vision && Number(a.image) > 0) {
  const g = Math.round(Number(a.image) / 28) * 2; // patches per side (smart_resize to a multiple of 28)
  imageTokens = (g * g) / 4;
  const patchDim = 3 * 2 * 14 * 14;
  const grids = Int32Array.from({ length: 3 * B }, (_, i) => (i % 3 === 0 ? 1 : g));
  images = { pixelValues: Float32Array.from({ length: B * g * g * patchDim }, (_, i) => Math.sin(i)), imageGridThw: grids };
}
const rowLen = (imageTokens ? imageTokens + 2 : 0) + T;
const row = [...(imageTokens ? [ids.visionStart, ...Array(imageTokens).fill(ids.imagePad), ids.visionEnd] : []), ...Array.from({ length: T }, (_, i) => (i * 7919) % (text.vocabSize - 64))];
const inputIds = Int32Array.from({ length: B * rowLen }, (_, i) => row[i % rowLen]);

const best = async (fn) => {
  let t = Infinity;
  await fn(); // warm-up
  for (let i = 0; i < R; i++) {
    const s = performance.now();
    await fn();
    t = Math.min(t, (performance.now() - s) / 1000);
  }
  return t;
};
const fwd = await best(() => core.forward(h, { inputIds, batch: B, seqLen: rowLen, ...images }, { logits: "last" }));
const offsets = Int32Array.from({ length: B + 1 }, (_, i) => i * rowLen);
const generate = (n) => core.generate(h, { promptIds: inputIds, promptOffsets: offsets, maxNewTokens: n, temperature: 1, seed: 0, ...images });
const gen1 = await best(() => generate(1));
const gen = await best(() => generate(G));
let step = null;
if (!a["skip-train"]) {
  await core.configureOptimizer(h, { lr: 1e-5, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maxGradNorm: 1, freeze: ["visual.*"] });
  const labels = Int32Array.from(inputIds, (x, i) => (i % rowLen < rowLen - T ? -100 : x));
  step = await best(() => core.sftStep(h, { microBatches: [{ inputIds, batch: B, seqLen: rowLen, labels, ...images }], lr: 1e-5 }));
}
const info = core.modelInfo(h);
console.log(JSON.stringify({
  preset: a.preset, params: info.numParameters, device: a.device, dtype: a.dtype, batch: B, tokensPerSequence: rowLen, imageTokens,
  forwardSeconds: +fwd.toFixed(4), forwardTokensPerS: Math.round((B * rowLen) / fwd),
  // Decode rate from the difference of G-token and 1-token generations (both include the prefill).
  generateSeconds: +gen.toFixed(3), decodeTokensPerS: Math.round((B * (G - 1)) / Math.max(gen - gen1, 1e-9)),
  sftStepSeconds: step === null ? null : +step.toFixed(3),
}));
await core.dispose(h);
