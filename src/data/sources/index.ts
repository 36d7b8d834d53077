// Training samples generated from robot episodes: FAST action QA, robot QA and GRPO prompts.
export * from "./prompts.js";
export * from "./action-chunks.js";
export * from "./episode-sources.js";
