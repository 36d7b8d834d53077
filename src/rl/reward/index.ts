// ref: reference/grpo.md §4 (reward interface and the RoboAlign reward): public API of the reward layer.
export * from "./context.js";
export * from "./token-bytes.js";
export * from "./id-bytes.js";
export * from "./think-answer.js";
export * from "./roboalign.js";
export * from "./registry.js";
