// Mixtures: configs, named recipes, the deterministic draw schedule and token-budget packing.
export * from "./config.js";
export * from "./recipes.js";
export * from "./schedule.js";
export * from "./packing.js";
export * from "./tensorize.js";
export * from "./load.js";
