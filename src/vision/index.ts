// Public API of the Qwen2.5-VL image preprocessing (reference/qwen2_5_vl.md §1).
export * from "./errors.js";
export * from "./smart-resize.js";
export * from "./bicubic.js";
export * from "./processor-config.js";
export * from "./image-processor.js";
export * from "./load-image.js";
