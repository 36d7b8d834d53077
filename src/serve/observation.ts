// ref: openpi src/openpi/policies/{libero,droid,aloha}_policy.py (input keys and image parsing);
// reference/policy-server.md §2.4 and §4 (the stock clients' key sets).
import type { RgbImage } from "../vision/image-processor.js";
import type { PolicyObservation } from "../vla/policy.js";
import type { WireValue } from "./msgpack-numpy.js";
import { NdArray, NpGeneric } from "./ndarray.js";

/** Which stock client a request came from, told by its keys. */
export type ObservationLayout = "libero" | "droid" | "aloha";

export class ObservationError extends Error {
  override name = "ObservationError";
}

const EXPECTED_LAYOUTS =
  "LIBERO {observation/image, observation/wrist_image, observation/state, prompt}, " +
  "DROID {observation/exterior_image_1_left, observation/wrist_image_left, observation/joint_position, observation/gripper_position, prompt}, " +
  "ALOHA {images: {cam_high, [cam_low, cam_left_wrist, cam_right_wrist]}, state, [prompt]}";

const ALOHA_CAMERAS = ["cam_high", "cam_low", "cam_left_wrist", "cam_right_wrist"];

/**
 * Maps one decoded request to the policy's observation. Image names follow the embedded world
 * (`image` = front/exterior, `wrist_image`) for LIBERO and DROID; ALOHA cameras keep their names.
 * Images are passed at the size the client sent: sizing is the policy's image processor's job.
 */
export function toPolicyObservation(request: WireValue, defaultPrompt?: string): { layout: ObservationLayout; obs: PolicyObservation } {
  if (!isMap(request)) throw new ObservationError(`a request must be a msgpack map of observations, got ${describe(request)}; expected one of ${EXPECTED_LAYOUTS}`);
  // Layout, images and state are checked before the prompt, so a wrong request is named as such.
  const instruction = () => promptOf(request, defaultPrompt);
  if ("observation/image" in request || "observation/state" in request) {
    return {
      layout: "libero",
      obs: {
        images: {
          image: imageOf(request, "observation/image"),
          wrist_image: imageOf(request, "observation/wrist_image"),
        },
        state: vectorOf(request, "observation/state"),
        instruction: instruction(),
      },
    };
  }
  if ("observation/exterior_image_1_left" in request || "observation/joint_position" in request) {
    const joints = vectorOf(request, "observation/joint_position");
    const gripper = vectorOf(request, "observation/gripper_position");
    const state = new Float64Array(joints.length + gripper.length);
    state.set(joints);
    state.set(gripper, joints.length);
    return {
      layout: "droid",
      obs: {
        images: {
          image: imageOf(request, "observation/exterior_image_1_left"),
          wrist_image: imageOf(request, "observation/wrist_image_left"),
        },
        state,
        instruction: instruction(),
      },
    };
  }
  if ("images" in request && "state" in request) {
    const cams = request.images;
    if (!isMap(cams)) throw new ObservationError(`"images" must be a map of camera name → image, got ${describe(cams)}`);
    if (!("cam_high" in cams)) throw new ObservationError(`"images" lacks the required camera "cam_high" (sent: ${Object.keys(cams).join(", ") || "none"})`);
    const images: Record<string, RgbImage> = {};
    for (const name of Object.keys(cams)) {
      if (!ALOHA_CAMERAS.includes(name)) throw new ObservationError(`unknown ALOHA camera "images/${name}"; expected ${ALOHA_CAMERAS.join(", ")}`);
      images[name] = imageOf(cams, name, `images/${name}`);
    }
    return { layout: "aloha", obs: { images, state: vectorOf(request, "state"), instruction: instruction() } };
  }
  throw new ObservationError(`unknown observation layout (keys: ${Object.keys(request).join(", ") || "none"}); expected one of ${EXPECTED_LAYOUTS}`);
}

type WireMap = { [key: string]: WireValue };

function isMap(v: WireValue | undefined): v is WireMap {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof NdArray) && !(v instanceof NpGeneric);
}

function describe(v: WireValue | undefined): string {
  if (v === undefined) return "nothing";
  if (v === null) return "nil";
  if (v instanceof NdArray) return `an ndarray ${v.dtype} [${v.shape.join(", ")}]`;
  if (v instanceof Uint8Array) return `bin of ${v.byteLength} bytes`;
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? "a map" : `a ${typeof v}`;
}

function promptOf(request: WireMap, defaultPrompt: string | undefined): string {
  const p = request.prompt;
  if (typeof p === "string") return p;
  // The DROID input transform also takes the prompt as UTF-8 bytes.
  if (p instanceof Uint8Array) return Buffer.from(p).toString("utf8");
  if (p === undefined || p === null) {
    if (defaultPrompt !== undefined) return defaultPrompt;
    throw new ObservationError(`the request has no "prompt" and the server has no default; send "prompt" or start the server with --default-prompt`);
  }
  throw new ObservationError(`"prompt" must be a str, got ${describe(p)}`);
}

function vectorOf(m: WireMap, key: string): Float64Array {
  const v = m[key];
  if (!(v instanceof NdArray)) throw new ObservationError(`"${key}" is missing or not an ndarray (got ${describe(v)}); send a float64 vector`);
  // DROID's gripper position may be 0-d; everything else is 1-D.
  if (v.shape.length > 1) throw new ObservationError(`"${key}" must be a 1-D vector, got shape [${v.shape.join(", ")}]`);
  if (!["b", "i", "u", "f"].includes(v.info.kind)) throw new ObservationError(`"${key}" must be numeric, got dtype ${v.dtype}`);
  return v.toFloat64();
}

/**
 * HWC uint8 image from an ndarray. Upstream's leniency: float images are taken as [0, 1] and
 * scaled by 255 (clamped here rather than wrapped); a first dimension of 3 means CHW (ALOHA sends
 * CHW; LIBERO and DROID transpose it when they see it).
 */
function imageOf(m: WireMap, key: string, label = key): RgbImage {
  const v = m[key];
  if (!(v instanceof NdArray)) throw new ObservationError(`"${label}" is missing or not an ndarray (got ${describe(v)}); send a uint8 [H, W, 3] image`);
  if (v.shape.length !== 3 || (v.shape[0] !== 3 && v.shape[2] !== 3)) {
    throw new ObservationError(`"${label}" must be an RGB image [H, W, 3] (or [3, H, W]), got shape [${v.shape.join(", ")}]`);
  }
  let pixels: Uint8Array;
  if (v.dtype === "|u1") pixels = v.data;
  else if (v.info.kind === "f") pixels = Uint8Array.from(v.toFloat64(), (x) => Math.min(255, Math.max(0, Math.trunc(255 * x))));
  else throw new ObservationError(`"${label}" must be uint8 (|u1) or a float image in [0, 1], got dtype ${v.dtype}`);
  const chw = v.shape[0] === 3;
  const [height, width] = chw ? [v.shape[1], v.shape[2]] : [v.shape[0], v.shape[1]];
  if (height === 0 || width === 0) throw new ObservationError(`"${label}" is empty (shape [${v.shape.join(", ")}])`);
  if (!chw) return { data: pixels, height, width };
  const plane = height * width;
  const data = new Uint8Array(plane * 3);
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < plane; i++) data[i * 3 + c] = pixels[c * plane + i];
  }
  return { data, height, width };
}
