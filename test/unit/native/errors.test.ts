// Native failures reach the caller as NativeCoreError with the caller's stack and a fix hint.
import { describe, expect, it } from "vitest";
import { checkedCore } from "../../../src/native/core.js";
import { NativeCoreError, toNativeCoreError } from "../../../src/native/errors.js";
import { createMockCore } from "../../../src/native/mock-core.js";
import { textPreset } from "../../../src/model/presets.js";

describe("NativeCoreError", () => {
  it("carries op, code and the stack of the calling code", async () => {
    const core = checkedCore(createMockCore());
    const h = await core.initModel({ config: textPreset("tiny"), device: "cpu", dtype: "float32", seed: 0 });
    const err = await core.forward(h, { inputIds: Int32Array.from([5000]), batch: 1, seqLen: 1 }, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NativeCoreError);
    const e = err as NativeCoreError;
    expect([e.op, e.code]).toEqual(["forward", "E_TOKEN_RANGE"]);
    expect(e.stack).toContain("errors.test.ts");
    expect(e.stack?.split("\n")[0]).toBe(`NativeCoreError [E_TOKEN_RANGE] in forward: ${e.message}`);
  });

  it("maps unknown codes to E_INTERNAL and offers hints for expected failures", () => {
    const unknown = toNativeCoreError({ code: "E_WHATEVER", message: "boom" }, "save", new Error());
    expect(unknown.code).toBe("E_INTERNAL");
    const oom = toNativeCoreError({ code: "E_OUT_OF_MEMORY", op: "sftStep", message: "out of device memory" }, "sftStep", new Error());
    expect(oom.hint).toMatch(/batch size/);
    const withFix = toNativeCoreError({ code: "E_DEVICE", message: "no GPU. Fix: use --device cpu" }, "loadModel", new Error());
    expect(withFix.hint).toBeUndefined();
  });

  it("rejects on the device the mock does not have, like the addon without CUDA", async () => {
    const core = checkedCore(createMockCore());
    await expect(core.initModel({ config: textPreset("tiny"), device: "cuda:0", dtype: "float32", seed: 0 })).rejects.toMatchObject({ code: "E_DEVICE" });
  });
});
