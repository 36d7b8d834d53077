// Tied and untied Qwen2 text checkpoints (test/fixtures/qwen2, made by
// scripts/fixtures/make_qwen2_golden.py with transformers): a right-padded batch, per-token
// log-probs, and greedy decoding alone and inside a left-padded batch of unequal prompts.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCheckpoint, type LoadedModel } from "../../src/model/checkpoint.js";
import { getNativeCore } from "../../src/native/core.js";
import { ADDON_MISSING, hasAddon, repoRoot } from "../helpers/paths.js";
import { maxAbs, readTensors, type Tensor } from "../helpers/tensors.js";

const fixtures = join(repoRoot, "test", "fixtures", "qwen2");

/** Rows of a [B, T, X] array where mask == 1, flattened. */
function realRows(data: ArrayLike<number>, mask: ArrayLike<number>, width: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i] === 1) for (let k = 0; k < width; k++) out.push(data[i * width + k]);
  return out;
}

function expectMasked(actual: ArrayLike<number>, ref: ArrayLike<number>, mask: ArrayLike<number>, width: number, what: string): void {
  const a = realRows(actual, mask, width);
  const r = realRows(ref, mask, width);
  const tol = 1e-4 * maxAbs(r);
  let worst = 0;
  a.forEach((x, i) => (worst = Math.max(worst, Math.abs(x - r[i]))));
  expect(worst, `${what}: max |diff| ${worst} > ${tol}`).toBeLessThanOrEqual(tol);
}

describe.skipIf(!hasAddon).each(["tiny_untied", "tiny_tied"])(`Qwen2 %s vs transformers${hasAddon ? "" : ` — skipped: ${ADDON_MISSING}`}`, (name) => {
  const core = hasAddon ? getNativeCore() : (undefined as never);
  let model: LoadedModel;
  let ref: Map<string, Tensor>;
  const V = 96;
  const H = 32;

  beforeAll(async () => {
    model = await loadCheckpoint(core, join(fixtures, name));
    ref = readTensors(join(fixtures, name, "cases.safetensors"));
  });
  afterAll(async () => {
    if (model) await core.dispose(model.handle);
  });

  it("matches logits, hidden states and log-probs on a right-padded batch", async () => {
    expect(model.config.text.tieWordEmbeddings).toBe(name === "tiny_tied");
    const ids = Int32Array.from(ref.get("input_ids")!.data);
    const mask = Uint8Array.from(ref.get("attention_mask")!.data);
    const batch = { inputIds: ids, attentionMask: mask, batch: 2, seqLen: 12 };
    const out = await core.forward(model.handle, batch, { hiddenLayers: [0, 1, 2] });
    expectMasked(out.logits!, ref.get("logits")!.data, mask, V, "logits");
    for (let i = 0; i < 3; i++) expectMasked(out.hiddenStates[i], ref.get(`hidden_states.${i}`)!.data, mask, H, `hidden_states.${i}`);
    const lp = await core.logprobs(model.handle, batch, {});
    const refLp = ref.get("logprobs")!.data;
    lp.logprobs.forEach((x, i) => expect(Math.abs(x - refLp[i])).toBeLessThan(1e-4));
  });

  it("decodes the reference greedy tokens, alone and in a batch of unequal prompts", async () => {
    const prompt = Array.from(ref.get("greedy_prompt_ids")!.data);
    const want = Array.from(ref.get("greedy_ids")!.data);
    const wantLp = ref.get("greedy_logprobs")!.data;
    const alone = await core.generate(model.handle, { promptIds: Int32Array.from(prompt), promptOffsets: Int32Array.from([0, prompt.length]), maxNewTokens: 8, temperature: 0, seed: 0 });
    expect(Array.from(alone.ids)).toEqual(want);
    alone.logprobs.forEach((x, i) => expect(Math.abs(x - wantLp[i])).toBeLessThan(1e-4));
    // The same prompt next to a shorter and a longer one: left padding must not change it.
    const other = [5, 17, 33];
    const longer = [...prompt, 44, 45, 46];
    const batched = await core.generate(model.handle, {
      promptIds: Int32Array.from([...other, ...prompt, ...longer]),
      promptOffsets: Int32Array.from([0, 3, 3 + prompt.length, 3 + prompt.length + longer.length]),
      maxNewTokens: 8,
      temperature: 0,
      seed: 0,
    });
    expect(Array.from(batched.ids.subarray(batched.offsets[1], batched.offsets[2]))).toEqual(want);
  });
});
