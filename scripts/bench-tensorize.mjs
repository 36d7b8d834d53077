#!/usr/bin/env node
// Throughput of the sample → training-tensor path on one core: a conversation with one RGB
// image (224×224, or --size) → chat template, tokenization, image preprocessing, M-RoPE
// positions; then collation into micro-batches of --batch.
//   npx tsc -p tsconfig.json && node scripts/bench-tensorize.mjs [--samples 300] [--size 224] [--batch 8]
import { parseArgs } from "node:util";
import { collate, tensorizeSample } from "../dist/data/mixture/index.js";
import { addActionTokensToFiles, tokenizerFromFiles, trainQwenBpeTokenizer } from "../dist/text/index.js";

const { values: a } = parseArgs({ options: { samples: { type: "string", default: "300" }, size: { type: "string", default: "224" }, batch: { type: "string", default: "8" } } });
const N = Number(a.samples), S = Number(a.size), B = Number(a.batch);
const words = "the robot arm picks up red blue green block bowl plate and puts it on the left right table".split(" ");
const corpus = Array.from({ length: 2000 }, (_, i) => Array.from({ length: 12 }, (_, k) => words[(i * 7 + k * 3) % words.length]).join(" "));
const tokenizer = tokenizerFromFiles(addActionTokensToFiles(trainQwenBpeTokenizer(corpus, { vocabSize: 1024 }), 2048).files);
const rope = { imageTokenId: tokenizer.requireId("<|image_pad|>"), visionStartTokenId: tokenizer.requireId("<|vision_start|>"), spatialMergeSize: 2 };
const image = { data: Uint8Array.from({ length: S * S * 3 }, (_, i) => (i * 31) & 255), height: S, width: S };
const sample = (i) => ({
  messages: [
    { role: "system", content: "You are an embodied vision-language robotic assistant for multi-object manipulation." },
    { role: "user", content: [{ type: "image" }, { type: "text", text: `Your current task is ${corpus[i % corpus.length]}. Output the robot's actions to perform this task through Fast tokens.` }] },
    { role: "assistant", content: `<action_start>${Array.from({ length: 20 }, (_, k) => `<action_${(i * 13 + k * 7) % 2048}>`).join("")}<action_end>` },
  ],
  images: [image],
});
await tensorizeSample(tokenizer, sample(0), { rope }); // warm-up
const start = performance.now();
let tokens = 0;
for (let i = 0; i < N; i += B) {
  const group = [];
  for (let k = i; k < Math.min(N, i + B); k++) group.push(await tensorizeSample(tokenizer, sample(k), { rope }));
  tokens += collate(group, 0).inputIds.length;
}
const s = (performance.now() - start) / 1000;
console.log(JSON.stringify({ samples: N, imageSize: S, batch: B, seconds: +s.toFixed(3), samplesPerS: Math.round(N / s), paddedTokensPerS: Math.round(tokens / s) }));
