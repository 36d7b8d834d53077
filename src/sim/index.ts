// Public surface of the embedded robot simulator (shared/reference/simulation.md).
export * from "./mujoco.js";
export * from "./scene.js";
export * from "./math.js";
export * from "./render.js";
export * from "./robot-env.js";
export * from "./predicates.js";
export * from "./tasks.js";
export * from "./expert.js";
export * from "./rollout.js";
