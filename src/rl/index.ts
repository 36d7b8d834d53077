// ref: reference/grpo.md (EasyR1 GRPO, formulas (1)–(15)): public API of the GRPO math and reward layer.
export * from "./errors.js";
export * from "./response-mask.js";
export * from "./kl.js";
export * from "./token-rewards.js";
export * from "./advantage.js";
export * from "./aggregation.js";
export * from "./policy-loss.js";
export * from "./reward/index.js";
