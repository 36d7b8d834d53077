#!/usr/bin/env python3
"""Load a checkpoint directory with Hugging Face transformers and dump no-cache forward logits as JSON.

Used by tests to check that a checkpoint written by the project loads cleanly in transformers
(written against transformers 5.18.0 / torch 2.13.0+cpu; also works with transformers 4.x).

  hf_forward.py --model DIR --input-ids 1,2,3[;4,5,6] --out FILE.json

Loads with AutoModelForCausalLM.from_pretrained(DIR, fp32, eager attention, output_loading_info=True),
falling back to Qwen2_5_VLForConditionalGeneration when config.json's model_type is qwen2_5_vl.
Each ';'-separated id list is run on its own (batch 1, no padding, use_cache=False).
Output: {"logits": [[[...V floats] x T] x N], "vocab_size": V, "missing": [], "unexpected": [],
         "mismatched": [], "model_class": "...", "input_ids": [[...]]}
Exit codes: 0 ok, 2 bad arguments/config, 3 missing/unexpected/mismatched weights, 1 other failure.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def die(msg: str, code: int) -> "NoReturn":  # type: ignore[name-defined]  # noqa: F821
    print(f"hf_forward: {msg}", file=sys.stderr)
    sys.exit(code)


def parse_ids(spec: str) -> list[list[int]]:
    seqs = []
    for part in spec.split(";"):
        part = part.strip()
        if not part:
            continue
        try:
            seqs.append([int(x) for x in part.split(",") if x.strip() != ""])
        except ValueError:
            die(f"--input-ids: not a comma-separated integer list: {part!r}", 2)
        if not seqs[-1]:
            die("--input-ids: empty sequence", 2)
    if not seqs:
        die("--input-ids: no sequences given", 2)
    return seqs


def load_model(model_dir: Path):
    import torch
    import transformers
    from transformers import AutoModelForCausalLM

    transformers.utils.logging.disable_progress_bar()

    cfg_path = model_dir / "config.json"
    if not cfg_path.is_file():
        die(f"{cfg_path} not found", 2)
    try:
        model_type = json.loads(cfg_path.read_text()).get("model_type")
    except json.JSONDecodeError as e:
        die(f"{cfg_path}: invalid JSON: {e}", 2)

    major = int(transformers.__version__.split(".")[0])
    kwargs = {
        ("dtype" if major >= 5 else "torch_dtype"): torch.float32,
        "attn_implementation": "eager",
        "output_loading_info": True,
        # Load shape-mismatched tensors as fresh inits instead of raising, so they show up in
        # loading_info["mismatched_keys"] and are reported (exit 3) like missing/unexpected keys.
        "ignore_mismatched_sizes": True,
    }
    if model_type == "qwen2_5_vl":
        from transformers import Qwen2_5_VLForConditionalGeneration

        return Qwen2_5_VLForConditionalGeneration.from_pretrained(str(model_dir), **kwargs)
    try:
        return AutoModelForCausalLM.from_pretrained(str(model_dir), **kwargs)
    except ValueError as e:
        if "Unrecognized configuration class" in str(e) and model_type and "vl" in model_type:
            from transformers import Qwen2_5_VLForConditionalGeneration

            return Qwen2_5_VLForConditionalGeneration.from_pretrained(str(model_dir), **kwargs)
        raise


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="checkpoint directory (config.json + *.safetensors)")
    ap.add_argument("--input-ids", required=True, help="e.g. 1,2,3 or 1,2,3;4,5,6 (each list run separately)")
    ap.add_argument("--out", required=True, help="output JSON file")
    args = ap.parse_args()

    model_dir = Path(args.model)
    if not model_dir.is_dir():
        die(f"--model {model_dir} is not a directory", 2)
    seqs = parse_ids(args.input_ids)

    import torch

    torch.set_grad_enabled(False)
    model, info = load_model(model_dir)
    missing = sorted(info.get("missing_keys") or [])
    unexpected = sorted(info.get("unexpected_keys") or [])
    mismatched = sorted(
        f"{m[0]} (checkpoint {list(m[1])} vs model {list(m[2])})" if isinstance(m, (tuple, list)) and len(m) == 3 else str(m)
        for m in (info.get("mismatched_keys") or [])
    )
    if missing or unexpected or mismatched:
        lines = [f"checkpoint {model_dir} does not match {type(model).__name__}:"]
        if missing:
            lines.append(f"  missing keys ({len(missing)}): " + ", ".join(missing))
        if unexpected:
            lines.append(f"  unexpected keys ({len(unexpected)}): " + ", ".join(unexpected))
        if mismatched:
            lines.append(f"  mismatched shapes ({len(mismatched)}): " + ", ".join(mismatched))
        die("\n".join(lines), 3)

    model.eval()
    cfg = model.config
    vocab = getattr(cfg, "vocab_size", None) or cfg.get_text_config().vocab_size
    out_logits = []
    for ids in seqs:
        bad = [i for i in ids if i < 0 or i >= vocab]
        if bad:
            die(f"token ids out of range [0, {vocab}): {bad}", 2)
        t = torch.tensor([ids], dtype=torch.long)
        out = model(input_ids=t, attention_mask=torch.ones_like(t), use_cache=False)
        logits = out.logits[0].float()
        if logits.shape != (len(ids), vocab):
            die(f"unexpected logits shape {tuple(logits.shape)}", 1)
        if not torch.isfinite(logits).all():
            die("non-finite logits", 1)
        out_logits.append(logits.tolist())

    result = {
        "logits": out_logits,
        "vocab_size": int(vocab),
        "missing": missing,
        "unexpected": unexpected,
        "mismatched": mismatched,
        "model_class": type(model).__name__,
        "input_ids": seqs,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except SystemExit:
        raise
    except Exception as e:  # noqa: BLE001
        traceback.print_exc(file=sys.stderr)
        die(f"failed: {type(e).__name__}: {e}", 1)
