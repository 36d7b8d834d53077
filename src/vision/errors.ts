// ref: reference/qwen2_5_vl.md §1 — one error type for bad images and bad preprocessing options.

/** An image or an image-processor option that preprocessing cannot use; the message says how to fix it. */
export class VisionInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "VisionInputError";
  }
}
