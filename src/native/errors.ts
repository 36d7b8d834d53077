// NativeCoreError: the one error type of the native boundary, with the caller's stack.
import type { NativeErrorCode } from "./contract.js";

const HINTS: Partial<Record<NativeErrorCode, string>> = {
  E_OUT_OF_MEMORY: "lower the batch size or sequence length, or use bfloat16",
  E_FILE_NOT_FOUND: "check the checkpoint folder and its model.safetensors(.index.json)",
  E_DEVICE: "run `roboalign doctor` to see which devices this libtorch can use",
  E_DISPOSED: "load the model again; disposed handles cannot be reused",
};

export class NativeCoreError extends Error {
  override readonly name = "NativeCoreError";
  constructor(
    /** The native operation that failed, e.g. "loadModel". */
    readonly op: string,
    readonly code: NativeErrorCode,
    message: string,
  ) {
    super(message);
  }

  /** A short fix hint for expected failures, when the message does not already carry one. */
  get hint(): string | undefined {
    return this.message.includes("Fix:") ? undefined : HINTS[this.code];
  }
}

const CODES = new Set<NativeErrorCode>([
  "E_INVALID_ARGUMENT",
  "E_FILE_NOT_FOUND",
  "E_CHECKPOINT",
  "E_SHAPE",
  "E_TOKEN_RANGE",
  "E_CONFIG",
  "E_OUT_OF_MEMORY",
  "E_DEVICE",
  "E_DISPOSED",
  "E_INTERNAL",
]);

/**
 * Converts what a native call rejected or threw into a NativeCoreError whose stack is the
 * caller's (`callSite` is created before the call, so the trace shows user code, not the addon).
 */
export function toNativeCoreError(err: unknown, op: string, callSite: Error): NativeCoreError {
  if (err instanceof NativeCoreError) return err;
  const e = err as { code?: string; op?: string; message?: string };
  const code = CODES.has(e?.code as NativeErrorCode) ? (e.code as NativeErrorCode) : "E_INTERNAL";
  const out = new NativeCoreError(e?.op ?? op, code, e?.message ?? String(err));
  out.stack = `${out.name} [${out.code}] in ${out.op}: ${out.message}\n${(callSite.stack ?? "").split("\n").slice(1).join("\n")}`;
  return out;
}

/** Argument errors found in TypeScript, in the same format as the native ones. */
export function invalidArgument(op: string, what: string, name: string, value: unknown): NativeCoreError {
  const shown = typeof value === "string" ? `"${value}"` : ArrayBuffer.isView(value) ? value.constructor.name : JSON.stringify(value);
  return new NativeCoreError(op, "E_INVALID_ARGUMENT", `Expected ${what} for ${name} but received ${shown} of type ${typeof value}`);
}
