// Frames for the report's episode media: the front (agentview) camera, rendered on its own so media
// need no per-step rendering when the policy reads no images (ray-cast renderer, simulation.md §3.4).
import { RayCamera } from "../../sim/render.js";
import { FRONT_CAMERA, type RobotEnv } from "../../sim/robot-env.js";

/** RobotEnv's front camera field of view (robot-env.ts). */
const FRONT_FOVY = 45;

export interface FrameStrip {
  width: number;
  height: number;
  /** Step index of each frame (0 = first policy step). */
  steps: number[];
  /** One HWC RGB frame per entry. */
  frames: Uint8Array[];
}

export class MediaCamera {
  private readonly cam: RayCamera;

  constructor(
    env: RobotEnv,
    readonly size: number,
    /** Capture every `every` policy steps (plus the last). */
    readonly every: number,
  ) {
    if (!(Number.isInteger(every) && every >= 1)) throw new Error(`media frame interval must be a positive integer, got ${every}`);
    this.cam = new RayCamera(env.mj, size, size, FRONT_FOVY);
  }

  capture(env: RobotEnv): Uint8Array {
    const out = new Uint8Array(3 * this.size * this.size);
    this.cam.render(env.model, env.data, FRONT_CAMERA, out);
    return out;
  }

  /** A recorder for one episode. */
  recorder(env: RobotEnv): FrameRecorder {
    return new FrameRecorder(this, env);
  }

  dispose(): void {
    this.cam.dispose();
  }
}

export class FrameRecorder {
  private readonly strip: FrameStrip;
  private last = -1;

  constructor(
    private readonly cam: MediaCamera,
    private readonly env: RobotEnv,
  ) {
    this.strip = { width: cam.size, height: cam.size, steps: [], frames: [] };
  }

  /** Called with the number of policy steps taken so far; keeps every k-th state. */
  step(t: number): void {
    if (t % this.cam.every === 0) this.take(t);
  }

  /** The final state, so the outcome is visible even between sampled frames. */
  finish(t: number): FrameStrip {
    if (this.last !== t) this.take(t);
    return this.strip;
  }

  private take(t: number): void {
    this.strip.frames.push(this.cam.capture(this.env));
    this.strip.steps.push(t);
    this.last = t;
  }
}
