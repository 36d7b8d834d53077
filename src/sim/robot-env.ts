// RobotEnv: Panda-like arm, DLS-IK delta end-effector control at 20 Hz, ray-cast cameras; follows shared/reference/simulation.md §3.2–§3.4.
import { axisAngleToMat, matMul, matToQuat, rotError, solveSmall, yawQuat } from "./math.js";
import { compileXml, contactPairs, idOf, loadMujoco, type MjData, type MjModel, type Mujoco, OBJ, WasmBuffers } from "./mujoco.js";
import { type CameraPose, RayCamera } from "./render.js";
import { HOME_Q, type ObjectSpec, placeObjects, type Region, sceneXml } from "./scene.js";

/** What the environment needs from a task: the objects and where to put them. */
export interface EnvTask {
  objects: readonly ObjectSpec[];
  regions?: Record<string, Region>;
  /** Initial positions of articulations by joint name (a drawer that starts open); others start at 0. */
  joints?: Record<string, number>;
}

export interface RobotEnvOptions {
  /** Camera side in pixels (8..256); default 128. */
  imageSize?: number;
  /** Render cameras at all (off for fast data-free rollouts). Default true. */
  render?: boolean;
  /** 'current' applies deltas to the measured pose (LIBERO OSC); 'target' accumulates (CALVIN). */
  deltaMode?: "current" | "target";
}

export interface Observation {
  frontRgb: Uint8Array;
  wristRgb: Uint8Array;
  width: number;
  height: number;
  eePos: Float64Array;
  /** (w, x, y, z) */
  eeQuat: Float64Array;
  /** Finger opening, 0 (closed) .. 0.08 m (open). */
  gripper: number;
  joints: Float64Array;
}

export const CONTROL_HZ = 20;
export const SUBSTEPS = 25; // 25 × 2 ms = 50 ms per policy step
export const POS_SCALE = 0.05; // metres per unit action (LIBERO OSC default)
export const ROT_SCALE = 0.5; // radians per unit action
const ARM = 7;
const DAMPING = 0.05;
const NULL_GAIN = 0.05;
/** The fixed front (agentview) camera; exported so evaluation media can render the same view. */
export const FRONT_CAMERA: CameraPose = { pos: [0.78, 0, 0.62], forward: [-0.78 - 0.05, 0, -0.62], up: [0, 0, 1] };
/** Vertical fields of view of the front and wrist cameras, in degrees. */
export const FRONT_FOVY_DEG = 45;
export const WRIST_FOVY_DEG = 75;

export class RobotEnv {
  private m: MjModel | undefined;
  private d: MjData | undefined;
  private xml = "";
  private bufs: WasmBuffers;
  private jacp;
  private jacr;
  private front: RayCamera;
  private wrist: RayCamera;
  private frontImg: Uint8Array;
  private wristImg: Uint8Array;
  private eeSite = -1;
  private wristSite = -1;
  private bodyIds = new Map<string, number>();
  private targetPos = [0, 0, 0];
  private targetRot = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  private gripperClosed = false;
  readonly size: number;
  readonly renderImages: boolean;
  readonly deltaMode: "current" | "target";
  task: EnvTask | undefined;
  stepCount = 0;
  disposed = false;

  private constructor(
    readonly mj: Mujoco,
    opts: RobotEnvOptions,
  ) {
    this.size = opts.imageSize ?? 128;
    if (!(this.size >= 8 && this.size <= 256)) throw new Error(`imageSize ${this.size} is out of range; use 8..256`);
    this.renderImages = opts.render ?? true;
    this.deltaMode = opts.deltaMode ?? "current";
    this.bufs = new WasmBuffers(mj);
    this.jacp = this.bufs.doubles(0);
    this.jacr = this.bufs.doubles(0);
    this.front = new RayCamera(mj, this.size, this.size, FRONT_FOVY_DEG);
    this.wrist = new RayCamera(mj, this.size, this.size, WRIST_FOVY_DEG);
    this.frontImg = new Uint8Array(3 * this.size * this.size);
    this.wristImg = new Uint8Array(3 * this.size * this.size);
  }

  static async create(opts: RobotEnvOptions = {}): Promise<RobotEnv> {
    return new RobotEnv(await loadMujoco(), opts);
  }

  get model(): MjModel {
    if (!this.m) throw new Error("RobotEnv has no scene yet; call reset(seed, task) first");
    return this.m;
  }
  get data(): MjData {
    if (!this.d) throw new Error("RobotEnv has no scene yet; call reset(seed, task) first");
    return this.d;
  }

  /** Compile the scene only when the object set changes; otherwise reuse MjModel/MjData (§2.4). */
  private ensureScene(task: EnvTask): void {
    const xml = sceneXml(task.objects);
    if (xml === this.xml && this.m) return;
    this.freeModel();
    this.m = compileXml(this.mj, xml);
    this.d = new this.mj.MjData(this.m);
    this.xml = xml;
    this.bufs.dispose();
    this.jacp = this.bufs.doubles(3 * this.m.nv);
    this.jacr = this.bufs.doubles(3 * this.m.nv);
    this.eeSite = idOf(this.mj, this.m, OBJ.site, "ee");
    this.wristSite = idOf(this.mj, this.m, OBJ.site, "wrist_cam");
    this.bodyIds.clear();
  }

  /** Reset to the seeded layout of `task`; the arm starts at home with the gripper open, objects settled. */
  reset(seed: number, task: EnvTask): Observation {
    this.checkAlive();
    this.ensureScene(task);
    this.task = task;
    const m = this.model, d = this.data, mj = this.mj;
    mj.mj_resetData(m, d);
    const places = placeObjects(task.objects, seed, task.regions);
    const qpos = d.qpos as Float64Array;
    for (let i = 0; i < ARM; i++) qpos[i] = HOME_Q[i];
    qpos[7] = qpos[8] = 0.04;
    task.objects.forEach((o, i) => {
      const adr = m.jnt_qposadr[idOf(mj, m, OBJ.joint, `${o.name}_free`)];
      const q = yawQuat(places[i].yaw);
      qpos.set([places[i].x, places[i].y, 0.0005, ...q], adr);
    });
    for (const [name, value] of Object.entries(task.joints ?? {})) qpos[m.jnt_qposadr[idOf(mj, m, OBJ.joint, name)]] = value;
    const ctrl = d.ctrl as Float64Array;
    for (let i = 0; i < ARM; i++) ctrl[i] = HOME_Q[i];
    ctrl[7] = ctrl[8] = 0.04;
    mj.mj_forward(m, d);
    this.gripperClosed = false;
    this.captureTarget();
    // Let objects settle onto the table before the policy sees them.
    for (let i = 0; i < 100; i++) mj.mj_step(m, d);
    this.captureTarget();
    this.stepCount = 0;
    return this.observe();
  }

  private captureTarget(): void {
    const d = this.data;
    const s = this.eeSite;
    this.targetPos = Array.from((d.site_xpos as Float64Array).subarray(3 * s, 3 * s + 3));
    this.targetRot = Array.from((d.site_xmat as Float64Array).subarray(9 * s, 9 * s + 9));
  }

  /** One 20 Hz policy step. action = [dx, dy, dz, droll, dpitch, dyaw, gripper] in [-1, 1]. */
  step(action: Float64Array | readonly number[]): void {
    this.checkAlive();
    if (action.length !== 7) throw new Error(`action must have 7 entries (xyz, rpy, gripper), got ${action.length}`);
    const m = this.model, d = this.data, mj = this.mj;
    const a = Array.from(action, (v) => (Number.isFinite(v) ? Math.max(-1, Math.min(1, v)) : 0));
    const s = this.eeSite;
    const pos = (d.site_xpos as Float64Array).subarray(3 * s, 3 * s + 3);
    const rot = (d.site_xmat as Float64Array).subarray(9 * s, 9 * s + 9);
    const base = this.deltaMode === "current" ? { p: Array.from(pos), r: Array.from(rot) } : { p: this.targetPos, r: this.targetRot };
    const tp = [0, 1, 2].map((k) => base.p[k] + POS_SCALE * a[k]);
    const tr = matMul(axisAngleToMat([ROT_SCALE * a[3], ROT_SCALE * a[4], ROT_SCALE * a[5]]), base.r);
    if (this.deltaMode === "target") {
      // anti-windup: the commanded pose may lead the measured one by at most 8 cm (§3.3)
      for (let k = 0; k < 3; k++) tp[k] = Math.max(pos[k] - 0.08, Math.min(pos[k] + 0.08, tp[k]));
    }
    this.targetPos = tp;
    this.targetRot = tr;
    this.gripperClosed = a[6] > 0;
    const ctrl = d.ctrl as Float64Array;
    ctrl[7] = ctrl[8] = this.gripperClosed ? 0 : 0.04;
    for (let k = 0; k < SUBSTEPS; k++) {
      this.ikToCtrl();
      mj.mj_step(m, d);
    }
    this.stepCount++;
  }

  /** Damped-least-squares IK: dq = Jᵀ(JJᵀ + λ²I)⁻¹ e plus a null-space pull to home; servo targets q + dq. */
  private ikToCtrl(): void {
    const m = this.model, d = this.data, mj = this.mj;
    const nv = m.nv;
    mj.mj_jacSite(m, d, this.jacp.buf, this.jacr.buf, this.eeSite);
    const jp = this.jacp.view(), jr = this.jacr.view();
    const J = new Float64Array(6 * ARM);
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < ARM; c++) {
        J[r * ARM + c] = jp[r * nv + c];
        J[(r + 3) * ARM + c] = jr[r * nv + c];
      }
    }
    const s = this.eeSite;
    const pos = (d.site_xpos as Float64Array).subarray(3 * s, 3 * s + 3);
    const rot = (d.site_xmat as Float64Array).subarray(9 * s, 9 * s + 9);
    const er = rotError(this.targetRot, rot);
    const e = [this.targetPos[0] - pos[0], this.targetPos[1] - pos[1], this.targetPos[2] - pos[2], er[0], er[1], er[2]];
    const A = new Float64Array(36);
    for (let i = 0; i < 6; i++) {
      for (let j = 0; j < 6; j++) {
        let acc = 0;
        for (let c = 0; c < ARM; c++) acc += J[i * ARM + c] * J[j * ARM + c];
        A[i * 6 + j] = acc + (i === j ? DAMPING * DAMPING : 0);
      }
    }
    const qpos = d.qpos as Float64Array;
    // null-space term: v = k(q_home - q); dq_null = v - J⁺ J v
    const v = new Float64Array(ARM);
    for (let c = 0; c < ARM; c++) v[c] = NULL_GAIN * (HOME_Q[c] - qpos[c]);
    const rhs = new Float64Array(6);
    for (let i = 0; i < 6; i++) {
      let jv = 0;
      for (let c = 0; c < ARM; c++) jv += J[i * ARM + c] * v[c];
      rhs[i] = e[i] - jv;
    }
    const y = solveSmall(A, rhs, 6);
    const ctrl = d.ctrl as Float64Array;
    const range = m.jnt_range as Float64Array;
    for (let c = 0; c < ARM; c++) {
      let dq = v[c];
      for (let i = 0; i < 6; i++) dq += J[i * ARM + c] * y[i];
      dq = Math.max(-0.2, Math.min(0.2, dq));
      ctrl[c] = Math.max(range[2 * c], Math.min(range[2 * c + 1], qpos[c] + dq));
    }
  }

  /** Images and proprioception. Image buffers are copied so callers may keep them. */
  observe(): Observation {
    this.checkAlive();
    const m = this.model, d = this.data;
    const s = this.eeSite;
    const rot = Array.from((d.site_xmat as Float64Array).subarray(9 * s, 9 * s + 9));
    if (this.renderImages) {
      this.front.render(m, d, FRONT_CAMERA, this.frontImg);
      this.wrist.render(m, d, this.wristPose(), this.wristImg);
    }
    const qpos = d.qpos as Float64Array;
    return {
      frontRgb: this.frontImg.slice(),
      wristRgb: this.wristImg.slice(),
      width: this.size,
      height: this.size,
      eePos: Float64Array.from((d.site_xpos as Float64Array).subarray(3 * s, 3 * s + 3)),
      eeQuat: Float64Array.from(matToQuat(rot)),
      gripper: qpos[7] + qpos[8],
      joints: Float64Array.from(qpos.subarray(0, ARM)),
    };
  }

  /** Eye-in-hand camera: looks along the hand's z (down the fingers), tilted toward them. */
  /** Eye-in-hand camera pose at the current step (the wrist camera renders from it). */
  wristPose(): CameraPose {
    const d = this.data;
    const w = this.wristSite;
    const p = (d.site_xpos as Float64Array).subarray(3 * w, 3 * w + 3);
    const r = (d.site_xmat as Float64Array).subarray(9 * w, 9 * w + 9);
    const x = [r[0], r[3], r[6]], z = [r[2], r[5], r[8]];
    return { pos: Array.from(p), forward: [z[0] - 0.35 * x[0], z[1] - 0.35 * x[1], z[2] - 0.35 * x[2]], up: [-x[0], -x[1], -x[2]] };
  }

  /** Commanded gripper state from the last action. */
  get gripperCommandClosed(): boolean {
    return this.gripperClosed;
  }

  bodyId(name: string): number {
    let id = this.bodyIds.get(name);
    if (id === undefined) {
      id = idOf(this.mj, this.model, OBJ.body, name);
      this.bodyIds.set(name, id);
    }
    return id;
  }

  /** Position of a one-dof joint (a drawer's slide, in metres pulled out). */
  jointPos(name: string): number {
    return (this.data.qpos as Float64Array)[this.model.jnt_qposadr[idOf(this.mj, this.model, OBJ.joint, name)]];
  }

  /** World position of a body's origin (object bases sit on their bottom face). */
  bodyPos(name: string): number[] {
    const b = this.bodyId(name);
    return Array.from((this.data.xpos as Float64Array).subarray(3 * b, 3 * b + 3));
  }

  bodyMat(name: string): number[] {
    const b = this.bodyId(name);
    return Array.from((this.data.xmat as Float64Array).subarray(9 * b, 9 * b + 9));
  }

  eePos(): number[] {
    const s = this.eeSite;
    return Array.from((this.data.site_xpos as Float64Array).subarray(3 * s, 3 * s + 3));
  }

  eeMat(): number[] {
    const s = this.eeSite;
    return Array.from((this.data.site_xmat as Float64Array).subarray(9 * s, 9 * s + 9));
  }

  /** Body-id pairs currently in contact (each unordered pair once per contact). */
  contactBodies(): Int32Array {
    const pairs = contactPairs(this.data);
    const gb = this.model.geom_bodyid as Int32Array;
    for (let i = 0; i < pairs.length; i++) pairs[i] = gb[pairs[i]];
    return pairs;
  }

  /** Full physics state (qpos, qvel) for recording. */
  state(): Float64Array {
    const d = this.data;
    const q = d.qpos as Float64Array, v = d.qvel as Float64Array;
    const out = new Float64Array(q.length + v.length);
    out.set(q);
    out.set(v, q.length);
    return out;
  }

  private checkAlive(): void {
    if (this.disposed) throw new Error("RobotEnv was disposed; create a new one with RobotEnv.create()");
  }

  private freeModel(): void {
    this.d?.delete();
    this.m?.delete();
    this.d = undefined;
    this.m = undefined;
    this.xml = "";
  }

  /** Free every WASM object this environment owns. */
  dispose(): void {
    if (this.disposed) return;
    this.freeModel();
    this.bufs.dispose();
    this.front.dispose();
    this.wrist.dispose();
    this.disposed = true;
  }
}
