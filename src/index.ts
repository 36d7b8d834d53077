// Programmatic API of the roboalign package.
//
//   import { getNativeCore, loadCheckpoint } from "roboalign";
//   const core = getNativeCore();
//   const { handle } = await loadCheckpoint(core, "path/to/checkpoint");
//   const out = await core.generate(handle, { promptIds, promptOffsets, maxNewTokens: 32, temperature: 0, seed: 0 });
//   await core.dispose(handle);
//
// Everything that runs on the model goes through the NativeCore contract (src/native/contract.ts);
// `createMockCore()` gives a pure-TypeScript stand-in with the same behaviour for tests.

export type * from "./native/contract.js";
export { getNativeCore, checkedCore } from "./native/core.js";
export { createMockCore } from "./native/mock-core.js";
export { NativeCoreError } from "./native/errors.js";
export { loadNativeAddon, addonCandidates } from "./native/loader.js";
export { loadCheckpoint, saveCheckpoint, readHfConfig, type LoadedModel } from "./model/checkpoint.js";
export { parseHfConfig, textConfigJson, vlConfigJson, defaultSpecialIds, ConfigError, type ParsedHfConfig } from "./model/hf-config.js";
export { readCheckpointManifest, readSafetensorsHeader } from "./model/safetensors.js";
export { PRESETS, modelPreset, textPreset, type ModelPreset } from "./model/presets.js";
export { textModelParams } from "./model/text-weights.js";
export { main as runCli } from "./cli/main.js";

// The layers above the core, as namespaces.
export * as fast from "./fast/index.js";
export * as text from "./text/index.js";
export * as vision from "./vision/index.js";
export * as data from "./data/index.js";
export * as mixture from "./data/mixture/index.js";
export * as sim from "./sim/index.js";
export { buildGenerateInputs, type PromptInput } from "./mllm/prompt-inputs.js";
export * as rl from "./rl/index.js";
export * as report from "./report/index.js";
export * as evaluation from "./eval/closed-loop/index.js";
export * as train from "./train/index.js";
