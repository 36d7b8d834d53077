// ref: Isaac-GR00T gr00t/model/policy.py (Gr00tPolicy.get_action: backbone features → Euler
// sampling → unnormalise) and shared/reference/action-head.md §6 (I1–I6). The VLA behind the Policy
// interface: the frozen backbone's layer-L states of (camera images, instruction), the normalised
// state, `denoisingSteps` Euler steps of the flow-matching head, then the first `executeSteps`
// actions of the chunk in the environment's units (a two-valued gripper snapped to its values).
import type { ActionHeadHandle, Device, DType, NativeCore } from "../native/contract.js";
import { resolveDtype } from "../train/sft/trainer.js";
import type { Policy, PolicyObservation } from "./policy.js";
import { FrozenBackbone } from "./backbone.js";
import { headBatch } from "./head-batch.js";
import { denormalize, type NormalizationStats } from "./normalizer.js";
import { loadHead, readVlaPolicyDir, type VlaPolicyFile } from "./policy-dir.js";

/** Longer instructions are refused: tokenizing megabytes would stall the server's event loop, and no robot instruction is that long. */
export const MAX_INSTRUCTION_CHARS = 8192;

export interface VlaPolicyOptions {
  device?: Device;
  dtype?: string;
  /** Seeds the initial noise of each chunk (the k-th query of an episode uses seed + k). */
  seed?: number;
}

export class VlaPolicy implements Policy {
  readonly actionDim: number;
  readonly horizon: number;
  private queries = 0;

  private constructor(
    private readonly core: NativeCore,
    private readonly backbone: FrozenBackbone,
    private readonly head: ActionHeadHandle,
    private readonly file: VlaPolicyFile,
    private readonly stats: NormalizationStats,
    private readonly seed: number,
  ) {
    this.actionDim = file.actionDim;
    this.horizon = file.executeSteps;
  }

  static async load(core: NativeCore, dir: string, o: VlaPolicyOptions = {}): Promise<VlaPolicy> {
    const p = readVlaPolicyDir(dir);
    const device = o.device ?? "cpu";
    const dtype: DType = resolveDtype(o.dtype ?? "auto", device);
    const backbone = await FrozenBackbone.open(core, { dir: p.backbone, layer: p.file.layer, normHidden: p.file.normHidden, device, dtype, batchSize: 1 });
    try {
      const head = await loadHead(core, p.dir, device, dtype);
      return new VlaPolicy(core, backbone, head, p.file, p.stats, o.seed ?? 0);
    } catch (e) {
      await backbone.close();
      throw e;
    }
  }

  reset(): void {
    this.queries = 0;
  }

  async infer(obs: PolicyObservation): Promise<Float64Array> {
    const f = this.file;
    if (obs.state.length !== f.stateDim) throw new Error(`the observation's state has ${obs.state.length} values but the VLA was trained on ${f.stateDim}`);
    if (obs.instruction.length > MAX_INSTRUCTION_CHARS) throw new Error(`the instruction has ${obs.instruction.length} characters; the VLA takes at most ${MAX_INSTRUCTION_CHARS}`);
    const images = Object.keys(obs.images).sort().map((k) => obs.images[k]);
    const [features] = await this.backbone.extract([{ images, instruction: obs.instruction }]);
    const batch = headBatch({ features: [features], states: obs.state, stateDim: f.stateDim }, this.backbone.dim, this.stats);
    const r = await this.core.actionHeadSample(this.head, batch, { seed: (this.seed + this.queries++) >>> 0, numSteps: f.denoisingSteps });
    const A = r.shape[2];
    const out = new Float64Array(this.horizon * f.actionDim);
    const g = this.stats.binaryGripper;
    for (let k = 0; k < this.horizon; k++) {
      const a = denormalize(r.actions.subarray(k * A, k * A + f.actionDim), this.stats.action, this.stats.mode);
      if (g) a[g.index] = a[g.index] >= (g.low + g.high) / 2 ? g.high : g.low;
      out.set(a, k * f.actionDim);
    }
    return out;
  }

  async dispose(): Promise<void> {
    await this.core.disposeActionHead(this.head);
    await this.backbone.close();
  }
}
