// Stage 1 and Stage 2 trainers, their settings and checkpoints.
export * from "./schema.js";
export * from "./lr-schedule.js";
export * from "./checkpoint-store.js";
export * from "./model-workspace.js";
export * from "./sft/config.js";
export * from "./sft/trainer.js";
export * from "./sft/data.js";
export * from "./grpo/config.js";
export * from "./grpo/trainer.js";
export * from "./grpo/data.js";
export * from "./eval/heldout-rewards.js";
export * from "./eval/fast-token-accuracy.js";
