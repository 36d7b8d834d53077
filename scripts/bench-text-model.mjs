#!/usr/bin/env node
// Throughput of the native text model on one device, with random weights of a named preset:
// prefill forward tokens/s, batched KV-cache decode tokens/s, and SFT step time.
//   node scripts/bench-text-model.mjs [--preset tiny] [--device cpu] [--dtype float32] [--batch 4] [--seq 128] [--new 32]
import { parseArgs } from "node:util";
import { getNativeCore, textPreset } from "../dist/index.js";

const { values: a } = parseArgs({
  options: {
    preset: { type: "string", default: "tiny" },
    device: { type: "string", default: "cpu" },
    dtype: { type: "string", default: "float32" },
    batch: { type: "string", default: "4" },
    seq: { type: "string", default: "128" },
    new: { type: "string", default: "32" },
    repeats: { type: "string", default: "3" },
  },
});
const B = Number(a.batch), T = Number(a.seq), G = Number(a.new), R = Number(a.repeats);
const core = getNativeCore();
const config = textPreset(a.preset);
const h = await core.initModel({ config, device: a.device, dtype: a.dtype, seed: 0 });
const ids = Int32Array.from({ length: B * T }, (_, i) => (i * 7919) % config.vocabSize);
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
const fwd = await best(() => core.forward(h, { inputIds: ids, batch: B, seqLen: T }, { logits: "last" }));
const offsets = Int32Array.from({ length: B + 1 }, (_, i) => i * T);
const gen = await best(() => core.generate(h, { promptIds: ids, promptOffsets: offsets, maxNewTokens: G, temperature: 1, seed: 0 }));
await core.configureOptimizer(h, { lr: 1e-5, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maxGradNorm: 1, freeze: [] });
const labels = Int32Array.from(ids);
const step = await best(() => core.sftStep(h, { microBatches: [{ inputIds: ids, batch: B, seqLen: T, labels }], lr: 1e-5 }));
const info = core.modelInfo(h);
console.log(JSON.stringify({
  preset: a.preset, params: info.numParameters, device: a.device, dtype: a.dtype, batch: B, seq: T,
  prefillTokensPerS: Math.round((B * T) / fwd),
  generate: { seconds: +gen.toFixed(3), newTokensPerS: Math.round((B * G) / gen), note: "includes the prefill of the prompts" },
  sftStepSeconds: +step.toFixed(3), sftTokensPerS: Math.round((B * T) / step),
}));
await core.dispose(h);
