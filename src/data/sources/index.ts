// Training samples generated from robot episodes: FAST action QA, robot QA and GRPO prompts;
// spatial VQA, grounding, scene captions and reasoning MCQs from simulator ground truth; lazy
// indexable sources, mixture resolution and the mixture sampler.
export * from "./prompts.js";
export * from "./action-chunks.js";
export * from "./episode-sources.js";
export * from "./camera-projection.js";
export * from "./scene-words.js";
export * from "./step-questions.js";
export * from "./spatial-vqa.js";
export * from "./grounding.js";
export * from "./scene-caption.js";
export * from "./reasoning-mcq.js";
export * from "./episode-steps.js";
export * from "./catalog.js";
export * from "./llava-source.js";
export * from "./resolve.js";
export * from "./mixture-sampler.js";
export * from "./fast-action-reasoning.js";
