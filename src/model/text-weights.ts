// The parameter names and shapes of a Qwen2 text model under checkpoint key names
// (ref: transformers v5.18.0 modeling_qwen2.py). Used by the mock core and by checkpoint checks.
import type { TextModelConfig } from "../native/contract.js";

export interface ParamSpec {
  name: string;
  shape: number[];
}

export function textModelParams(c: TextModelConfig): ParamSpec[] {
  const H = c.hiddenSize;
  const q = c.numAttentionHeads * c.headDim;
  const kv = c.numKeyValueHeads * c.headDim;
  const out: ParamSpec[] = [{ name: "model.embed_tokens.weight", shape: [c.vocabSize, H] }];
  for (let i = 0; i < c.numHiddenLayers; i++) {
    const p = `model.layers.${i}`;
    out.push(
      { name: `${p}.self_attn.q_proj.weight`, shape: [q, H] },
      { name: `${p}.self_attn.q_proj.bias`, shape: [q] },
      { name: `${p}.self_attn.k_proj.weight`, shape: [kv, H] },
      { name: `${p}.self_attn.k_proj.bias`, shape: [kv] },
      { name: `${p}.self_attn.v_proj.weight`, shape: [kv, H] },
      { name: `${p}.self_attn.v_proj.bias`, shape: [kv] },
      { name: `${p}.self_attn.o_proj.weight`, shape: [H, q] },
      { name: `${p}.mlp.gate_proj.weight`, shape: [c.intermediateSize, H] },
      { name: `${p}.mlp.up_proj.weight`, shape: [c.intermediateSize, H] },
      { name: `${p}.mlp.down_proj.weight`, shape: [H, c.intermediateSize] },
      { name: `${p}.input_layernorm.weight`, shape: [H] },
      { name: `${p}.post_attention_layernorm.weight`, shape: [H] },
    );
  }
  out.push({ name: "model.norm.weight", shape: [H] });
  if (!c.tieWordEmbeddings) out.push({ name: "lm_head.weight", shape: [c.vocabSize, H] });
  return out;
}

/** transformers >= 4.52 in-memory names → hub names (model.language_model.* → model.*). */
export function canonicalKey(name: string): string {
  if (name.startsWith("model.language_model.")) return `model.${name.slice("model.language_model.".length)}`;
  if (name.startsWith("model.visual.")) return `visual.${name.slice("model.visual.".length)}`;
  return name;
}
