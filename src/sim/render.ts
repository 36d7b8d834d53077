// Ray-cast pinhole camera (one mj_multiRay per image, Lambert shading); follows shared/reference/simulation.md §3.4.
import { type MjData, type MjModel, type Mujoco, WasmBuffers } from "./mujoco.js";

export interface CameraPose {
  pos: readonly number[];
  /** Unit viewing direction. */
  forward: readonly number[];
  /** Approximate up vector (re-orthogonalised). */
  up: readonly number[];
}

const LIGHT = normalize([0.35, 0.25, 1]);
const AMBIENT = 0.35;

function normalize(v: number[]): number[] {
  const n = Math.hypot(v[0], v[1], v[2]) || 1;
  return [v[0] / n, v[1] / n, v[2] / n];
}
function cross(a: readonly number[], b: readonly number[]): number[] {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

/** A camera of fixed resolution; its WASM buffers are allocated once and reused for every frame. */
export class RayCamera {
  private readonly bufs: WasmBuffers;
  private readonly vec;
  private readonly gid;
  private readonly dist;
  private readonly nrm;
  private readonly local: Float64Array; // per-pixel (x, y) image-plane offsets at unit focal length
  readonly n: number;

  constructor(
    private readonly mj: Mujoco,
    readonly width: number,
    readonly height: number,
    fovyDeg: number,
  ) {
    if (!(width >= 8 && width <= 512 && height >= 8 && height <= 512)) {
      throw new Error(`camera size ${width}x${height} is out of range; use 8..512 pixels per side`);
    }
    this.n = width * height;
    this.bufs = new WasmBuffers(mj);
    this.vec = this.bufs.doubles(3 * this.n);
    this.gid = this.bufs.ints(this.n);
    this.dist = this.bufs.doubles(this.n);
    this.nrm = this.bufs.doubles(3 * this.n);
    const t = Math.tan((fovyDeg * Math.PI) / 360);
    this.local = new Float64Array(2 * this.n);
    for (let i = 0; i < height; i++) {
      for (let j = 0; j < width; j++) {
        const k = 2 * (i * width + j);
        this.local[k] = ((2 * (j + 0.5)) / width - 1) * t * (width / height);
        this.local[k + 1] = (1 - (2 * (i + 0.5)) / height) * t;
      }
    }
  }

  /** Render RGB (row-major, top row first) into `out` (length 3·w·h). */
  render(m: MjModel, d: MjData, pose: CameraPose, out: Uint8Array): void {
    const fwd = normalize([...pose.forward]);
    const right = normalize(cross(fwd, pose.up));
    const up = cross(right, fwd);
    const vec = this.vec.view();
    for (let p = 0; p < this.n; p++) {
      const x = this.local[2 * p];
      const y = this.local[2 * p + 1];
      const dx = fwd[0] + x * right[0] + y * up[0];
      const dy = fwd[1] + x * right[1] + y * up[1];
      const dz = fwd[2] + x * right[2] + y * up[2];
      const inv = 1 / Math.hypot(dx, dy, dz);
      vec[3 * p] = dx * inv;
      vec[3 * p + 1] = dy * inv;
      vec[3 * p + 2] = dz * inv;
    }
    this.mj.mj_multiRay(m, d, [pose.pos[0], pose.pos[1], pose.pos[2]], vec as never, null as never, 1, -1, this.gid.buf, this.dist.buf, this.nrm.buf, this.n, 10);
    // Views are re-read after the call: nothing here grows memory, but the rule is cheap to keep (§2.4).
    const gid = this.gid.view();
    const nrm = this.nrm.view();
    const dirs = this.vec.view();
    const rgba = m.geom_rgba as Float32Array;
    for (let p = 0; p < this.n; p++) {
      const g = gid[p];
      let r: number, gg: number, b: number;
      if (g < 0) {
        // background: a vertical gradient so the sky is not a flat constant
        const s = 0.5 + 0.5 * dirs[3 * p + 2];
        r = 0.55 + 0.25 * s;
        gg = 0.6 + 0.25 * s;
        b = 0.7 + 0.25 * s;
      } else {
        let nx = nrm[3 * p];
        let ny = nrm[3 * p + 1];
        let nz = nrm[3 * p + 2];
        if (nx * dirs[3 * p] + ny * dirs[3 * p + 1] + nz * dirs[3 * p + 2] > 0) {
          nx = -nx;
          ny = -ny;
          nz = -nz;
        }
        const lam = AMBIENT + (1 - AMBIENT) * Math.max(0, nx * LIGHT[0] + ny * LIGHT[1] + nz * LIGHT[2]);
        r = rgba[4 * g] * lam;
        gg = rgba[4 * g + 1] * lam;
        b = rgba[4 * g + 2] * lam;
      }
      out[3 * p] = Math.min(255, r * 255) | 0;
      out[3 * p + 1] = Math.min(255, gg * 255) | 0;
      out[3 * p + 2] = Math.min(255, b * 255) | 0;
    }
  }

  dispose(): void {
    this.bufs.dispose();
  }
}
