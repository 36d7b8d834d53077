// MuJoCo 3.5.1 WebAssembly loader and buffer helpers; follows shared/reference/simulation.md §2 (npm `mujoco@3.1.16`).
import loadMujocoModule, { type MainModule, type MjModel, type MjData } from "mujoco";

export type Mujoco = MainModule;
export type { MjModel, MjData };

let cached: Promise<Mujoco> | undefined;
let fileCounter = 0;

/** Load the WASM module once per process; every environment shares it (one heap, capped at 2 GB). */
export function loadMujoco(): Promise<Mujoco> {
  cached ??= loadMujocoModule().then((mj) => {
    try {
      mj.FS.mkdir("/sim");
    } catch {
      // already there: the FS lives as long as the module
    }
    return mj;
  });
  return cached;
}

/** Compile MJCF text through the in-memory FS; the temporary file is removed so the FS does not grow. */
export function compileXml(mj: Mujoco, xml: string): MjModel {
  const path = `/sim/model_${fileCounter++}.xml`;
  mj.FS.writeFile(path, xml);
  try {
    return mj.MjModel.mj_loadXML(path);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new Error(`MuJoCo could not compile the generated MJCF (${msg}); check src/sim/scene.ts for the element it names`);
  } finally {
    mj.FS.unlink(path);
  }
}

/** Current WASM heap size in bytes (it never shrinks, so a flat value across episodes means no leak). */
export function heapBytes(mj: Mujoco): number {
  const probe = new mj.DoubleBuffer(1);
  try {
    return (probe.GetView() as Float64Array).buffer.byteLength;
  } finally {
    probe.delete();
  }
}

/**
 * Output buffers that live inside WASM memory. An ordinary Float64Array passed as an output is read as a
 * heap address and silently corrupts memory (§2.3), so every output goes through one of these.
 * Views are fetched on each access because heap growth detaches old views.
 */
export class WasmBuffers {
  private readonly owned: { delete(): void }[] = [];
  constructor(private readonly mj: Mujoco) {}

  doubles(n: number): { buf: InstanceType<Mujoco["DoubleBuffer"]>; view: () => Float64Array } {
    const buf = new this.mj.DoubleBuffer(Math.max(1, n));
    this.owned.push(buf);
    return { buf, view: () => buf.GetView() as Float64Array };
  }

  ints(n: number): { buf: InstanceType<Mujoco["IntBuffer"]>; view: () => Int32Array } {
    const buf = new this.mj.IntBuffer(Math.max(1, n));
    this.owned.push(buf);
    return { buf, view: () => buf.GetView() as Int32Array };
  }

  dispose(): void {
    for (const b of this.owned.splice(0)) b.delete();
  }
}

/** MuJoCo object types used with mj_name2id (values of mjtObj). */
export const OBJ = { body: 1, joint: 3, geom: 5, site: 6, camera: 7, actuator: 19 } as const;

/** Name → id, throwing a helpful error when the scene lacks the element. */
export function idOf(mj: Mujoco, m: MjModel, type: number, name: string): number {
  const id = mj.mj_name2id(m, type as never, name);
  if (id < 0) throw new Error(`MuJoCo model has no element "${name}" of type ${type}; the scene generator must emit it`);
  return id;
}

/** Contacts as geom pairs; each contact vector read copies, so both copies are deleted (§2.4). */
export function contactPairs(d: MjData): Int32Array {
  const n = d.ncon;
  const out = new Int32Array(2 * n);
  if (n === 0) return out;
  const vec = d.contact;
  try {
    for (let i = 0; i < n; i++) {
      const c = vec.get(i)!;
      out[2 * i] = c.geom1;
      out[2 * i + 1] = c.geom2;
      c.delete();
    }
  } finally {
    vec.delete();
  }
  return out;
}
