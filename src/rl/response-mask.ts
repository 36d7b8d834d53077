// ref: EasyR1 b44b311 verl/utils/torch_functional.py get_response_mask (reference/grpo.md formula (2), Q5)
//
// The mask covers every token up to AND including the first EOS: the EOS is trained on, carries
// the reward and counts in token means (Q5). A response without EOS within max_response_length
// (truncated) is all ones; there is no truncation masking and no overlong penalty.

import { RlInputError, checkLength, checkShape } from "./errors.js";

export interface ResponseMask {
  /** [batch*seqLen] 1 up to and including the first EOS, 0 after. */
  mask: Uint8Array;
  /** Valid tokens per response (Σ_t m), i.e. the index of the first EOS + 1, or seqLen when truncated. */
  lengths: Int32Array;
  /** 1 where the response has no EOS (cut at max_response_length). */
  truncated: Uint8Array;
}

function eosSet(eos: number | ArrayLike<number>): Set<number> {
  const list = typeof eos === "number" ? [eos] : Array.from(eos);
  if (list.length === 0) throw new RlInputError("no EOS id given; pass generation_config.eos_token_id (a number or a list)");
  for (const id of list) if (!Number.isInteger(id)) throw new RlInputError(`EOS id ${id} is not an integer`);
  return new Set(list);
}

/** Response mask of right-padded response ids [batch*seqLen]; `eos` may be one id or a list (any of them ends a response). */
export function responseMask(responses: ArrayLike<number>, batch: number, seqLen: number, eos: number | ArrayLike<number>): ResponseMask {
  checkShape(batch, seqLen);
  checkLength("responses", responses, batch * seqLen, `batch ${batch} × seqLen ${seqLen}`);
  const stop = eosSet(eos);
  const mask = new Uint8Array(batch * seqLen);
  const lengths = new Int32Array(batch);
  const truncated = new Uint8Array(batch);
  for (let i = 0; i < batch; i++) {
    const row = i * seqLen;
    let len = seqLen;
    for (let t = 0; t < seqLen; t++) {
      if (stop.has(responses[row + t])) {
        len = t + 1;
        break;
      }
    }
    mask.fill(1, row, row + len);
    lengths[i] = len;
    truncated[i] = len === seqLen && !stop.has(responses[row + seqLen - 1]) ? 1 : 0;
  }
  return { mask, lengths, truncated };
}

/** Σ_t m per row of a [batch*seqLen] mask. */
export function maskLengths(mask: ArrayLike<number>, batch: number, seqLen: number): Float64Array {
  checkShape(batch, seqLen);
  checkLength("mask", mask, batch * seqLen, `batch ${batch} × seqLen ${seqLen}`);
  const out = new Float64Array(batch);
  for (let i = 0; i < batch; i++) {
    let s = 0;
    for (let t = 0; t < seqLen; t++) s += mask[i * seqLen + t];
    out[i] = s;
  }
  return out;
}
