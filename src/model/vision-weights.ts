// The parameter names and shapes of the Qwen2.5-VL vision tower under checkpoint key names
// (ref: transformers v5.18.0 modeling_qwen2_5_vl.py, `visual.*`).
import type { VisionModelConfig } from "../native/contract.js";
import type { ParamSpec } from "./text-weights.js";

export function visionModelParams(c: VisionModelConfig): ParamSpec[] {
  const H = c.hiddenSize;
  const I = c.intermediateSize;
  const unit = H * c.spatialMergeSize * c.spatialMergeSize;
  const out: ParamSpec[] = [{ name: "visual.patch_embed.proj.weight", shape: [H, c.inChannels, c.temporalPatchSize, c.patchSize, c.patchSize] }];
  for (let i = 0; i < c.depth; i++) {
    const p = `visual.blocks.${i}`;
    out.push(
      { name: `${p}.norm1.weight`, shape: [H] },
      { name: `${p}.norm2.weight`, shape: [H] },
      { name: `${p}.attn.qkv.weight`, shape: [3 * H, H] },
      { name: `${p}.attn.qkv.bias`, shape: [3 * H] },
      { name: `${p}.attn.proj.weight`, shape: [H, H] },
      { name: `${p}.attn.proj.bias`, shape: [H] },
      { name: `${p}.mlp.gate_proj.weight`, shape: [I, H] },
      { name: `${p}.mlp.gate_proj.bias`, shape: [I] },
      { name: `${p}.mlp.up_proj.weight`, shape: [I, H] },
      { name: `${p}.mlp.up_proj.bias`, shape: [I] },
      { name: `${p}.mlp.down_proj.weight`, shape: [H, I] },
      { name: `${p}.mlp.down_proj.bias`, shape: [H] },
    );
  }
  out.push(
    { name: "visual.merger.ln_q.weight", shape: [H] },
    { name: "visual.merger.mlp.0.weight", shape: [unit, unit] },
    { name: "visual.merger.mlp.0.bias", shape: [unit] },
    { name: "visual.merger.mlp.2.weight", shape: [c.outHiddenSize, unit] },
    { name: "visual.merger.mlp.2.bias", shape: [c.outHiddenSize] },
  );
  return out;
}
