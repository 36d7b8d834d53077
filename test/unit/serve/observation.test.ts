// LIBERO / DROID / ALOHA requests → PolicyObservation, and the errors for anything else.
import { describe, expect, it } from "vitest";
import { NdArray } from "../../../src/serve/ndarray.js";
import { ObservationError, toPolicyObservation } from "../../../src/serve/observation.js";

const hwc = (h: number, w: number, f: (y: number, x: number, c: number) => number) => {
  const v = new Uint8Array(h * w * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) v[(y * w + x) * 3 + c] = f(y, x, c);
  return NdArray.uint8(v, [h, w, 3]);
};
const pattern = (y: number, x: number, c: number) => (y * 31 + x * 7 + c * 100) % 256;
/** The same picture laid out [3, H, W]. */
const chw = (h: number, w: number, f: (y: number, x: number, c: number) => number) => {
  const v = new Uint8Array(h * w * 3);
  for (let c = 0; c < 3; c++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) v[c * h * w + y * w + x] = f(y, x, c);
  return NdArray.uint8(v, [3, h, w]);
};

describe("toPolicyObservation", () => {
  it("maps a LIBERO request: image + wrist_image HWC, float64 state, prompt", () => {
    const { layout, obs } = toPolicyObservation({
      "observation/image": hwc(4, 5, pattern),
      "observation/wrist_image": hwc(4, 5, () => 9),
      "observation/state": NdArray.float64([1, 2, 3, 4, 5, 6, 7, 8]),
      prompt: "put the bowl on the plate",
    });
    expect(layout).toBe("libero");
    expect(obs.instruction).toBe("put the bowl on the plate");
    expect(obs.images.image).toEqual({ data: hwc(4, 5, pattern).data, height: 4, width: 5 });
    expect(obs.images.wrist_image.data.every((x) => x === 9)).toBe(true);
    expect(obs.state).toEqual(Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8]));
  });

  it("transposes a LIBERO image sent CHW and scales a float image from [0, 1]", () => {
    const floatImage = NdArray.float32([0, 0.5, 1, 2, -1, 0.999], [1, 2, 3]);
    const { obs } = toPolicyObservation({
      "observation/image": chw(2, 3, pattern),
      "observation/wrist_image": floatImage,
      "observation/state": NdArray.float32([0.5]),
      prompt: "x",
    });
    expect(obs.images.image).toEqual({ data: hwc(2, 3, pattern).data, height: 2, width: 3 });
    expect(Array.from(obs.images.wrist_image.data)).toEqual([0, 127, 255, 255, 0, 254]);
    expect(obs.state).toEqual(Float64Array.from([0.5]));
  });

  it("maps a DROID request: exterior → image, joints + gripper (0-d accepted) → state, bin prompt", () => {
    const { layout, obs } = toPolicyObservation({
      "observation/exterior_image_1_left": hwc(2, 2, pattern),
      "observation/wrist_image_left": hwc(2, 2, () => 1),
      "observation/joint_position": NdArray.float64([1, 2, 3, 4, 5, 6, 7]),
      "observation/gripper_position": NdArray.float64([0.25], []),
      prompt: new Uint8Array(Buffer.from("pick up the marker")),
    });
    expect(layout).toBe("droid");
    expect(Object.keys(obs.images)).toEqual(["image", "wrist_image"]);
    expect(obs.state).toEqual(Float64Array.from([1, 2, 3, 4, 5, 6, 7, 0.25]));
    expect(obs.instruction).toBe("pick up the marker");
  });

  it("maps an ALOHA request: CHW cameras by name, the default prompt when none is sent", () => {
    const { layout, obs } = toPolicyObservation(
      { images: { cam_high: chw(3, 4, pattern), cam_left_wrist: chw(3, 4, () => 0) }, state: NdArray.float64(new Array(14).fill(1)) },
      "Transfer cube",
    );
    expect(layout).toBe("aloha");
    expect(obs.images.cam_high).toEqual({ data: hwc(3, 4, pattern).data, height: 3, width: 4 });
    expect(Object.keys(obs.images)).toEqual(["cam_high", "cam_left_wrist"]);
    expect(obs.state.length).toBe(14);
    expect(obs.instruction).toBe("Transfer cube");
  });

  const libero = () => ({
    "observation/image": hwc(2, 2, pattern),
    "observation/wrist_image": hwc(2, 2, pattern),
    "observation/state": NdArray.float64([0]),
    prompt: "p",
  });
  const bad: [string, unknown, RegExp][] = [
    ["not a map", [1, 2], /must be a msgpack map/],
    ["unknown keys", { foo: 1 }, /unknown observation layout \(keys: foo\); expected one of LIBERO/],
    ["a missing wrist image", { ...libero(), "observation/wrist_image": undefined }, /"observation\/wrist_image" is missing/],
    ["a wrong image dtype", { ...libero(), "observation/image": new NdArray("<i4", [2, 2, 3], new Uint8Array(48)) }, /must be uint8 \(\|u1\)/],
    ["a wrong image shape", { ...libero(), "observation/image": NdArray.uint8(new Uint8Array(8), [2, 4]) }, /must be an RGB image/],
    ["a 2-D state", { ...libero(), "observation/state": NdArray.float64([1, 2], [1, 2]) }, /1-D vector/],
    ["a non-string prompt", { ...libero(), prompt: 5 }, /"prompt" must be a str/],
    ["no prompt and no default", { ...libero(), prompt: undefined }, /--default-prompt/],
    ["an ALOHA request without cam_high", { images: { cam_low: chw(2, 2, pattern) }, state: NdArray.float64([0]) }, /"cam_high"/],
    ["an unknown ALOHA camera", { images: { cam_high: chw(2, 2, pattern), cam_top: chw(2, 2, pattern) }, state: NdArray.float64([0]) }, /unknown ALOHA camera "images\/cam_top"/],
  ];
  it.each(bad)("refuses %s", (_name, request, message) => {
    // An `undefined` entry stands for a key the client left out.
    const r = Array.isArray(request) ? request : Object.fromEntries(Object.entries(request as object).filter(([, v]) => v !== undefined));
    expect(() => toPolicyObservation(r as never)).toThrow(ObservationError);
    expect(() => toPolicyObservation(r as never)).toThrow(message);
  });
});
