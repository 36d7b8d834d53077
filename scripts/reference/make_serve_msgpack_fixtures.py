# ref: openpi packages/openpi-client/src/openpi_client/msgpack_numpy.py (pack_array / Packer),
# reference/policy-server.md §2.3 and §3 (byte-level test vectors).
"""Writes test/fixtures/serve/msgpack_numpy.json: msgpack bytes as openpi's Python encoder
produces them, with a tagged JSON description of each value so the TypeScript tests can rebuild
it. Run once with the project venv (needs numpy and msgpack):

    .venv/bin/python scripts/reference/make_serve_msgpack_fixtures.py
"""
import functools
import json
import pathlib

import msgpack
import numpy as np


def pack_array(obj):
    # openpi's encoder hook, restated: bin keys, C-order bytes, NumPy dtype.str.
    if isinstance(obj, (np.ndarray, np.generic)) and obj.dtype.kind in ("V", "O", "c"):
        raise ValueError(f"Unsupported dtype: {obj.dtype}")
    if isinstance(obj, np.ndarray):
        return {b"__ndarray__": True, b"data": obj.tobytes(), b"dtype": obj.dtype.str, b"shape": obj.shape}
    if isinstance(obj, np.generic):
        return {b"__npgeneric__": True, b"data": obj.item(), b"dtype": obj.dtype.str}
    return obj


packb = functools.partial(msgpack.packb, default=pack_array)


def describe(v):
    """Tagged JSON: {"$nd": ...} ndarray, {"$np": ...} NumPy scalar, {"$bin": hex} bytes."""
    if isinstance(v, np.ndarray):
        return {"$nd": {"dtype": v.dtype.str, "shape": list(v.shape), "hex": v.tobytes().hex()}}
    if isinstance(v, np.generic) and not isinstance(v, (float, str, bytes)):
        return {"$np": {"dtype": v.dtype.str, "value": v.item()}}
    if isinstance(v, bytes):
        return {"$bin": v.hex()}
    if isinstance(v, float):
        return {"$float": float(v)}
    if isinstance(v, dict):
        return {k: describe(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [describe(x) for x in v]
    return v


rng = np.random.default_rng(0)
CASES = {
    # §3 test vectors.
    "f32_1x2": np.array([[1.0, -1.0]], dtype=np.float32),
    "u2_0d": np.array(3, dtype="<u2"),
    "npgeneric_f32": np.float32(0.5),
    "npgeneric_i64": np.int64(-2),
    "npgeneric_bool": np.bool_(True),
    "np_float64_plain": np.float64(1.5),
    # More dtypes and shapes.
    "f64_2x3": np.arange(6, dtype=np.float64).reshape(2, 3) / 4,
    "u1_image_2x2x3": rng.integers(0, 256, size=(2, 2, 3), dtype=np.uint8),
    "bool_3": np.array([True, False, True]),
    "i8_2": np.array([-(2**40), 7], dtype=np.int64),
    "i4_fortran": np.asfortranarray(np.arange(6, dtype=np.int32).reshape(2, 3)),
    "f16_2": np.array([0.5, -2.0], dtype=np.float16),
    "f32_empty_0x3": np.zeros((0, 3), dtype=np.float32),
    "unicode_U4": np.array(["ab", "wxyz"]),
    "bytes_S3": np.array([b"ab", b"xyz"]),
    "npgeneric_u8": np.uint8(200),
    "npgeneric_f16": np.float16(-0.25),
    # Frames as they appear in the protocol.
    "metadata_empty": {},
    "metadata_aloha": {"reset_pose": [0, -1.5, 1.5, 0, 0, 0]},
    "libero_request": {
        "observation/image": rng.integers(0, 256, size=(4, 4, 3), dtype=np.uint8),
        "observation/wrist_image": rng.integers(0, 256, size=(4, 4, 3), dtype=np.uint8),
        "observation/state": rng.standard_normal(8),
        "prompt": "put the red block on the left plate",
    },
    "reply": {
        "actions": np.linspace(-1, 1, 14).reshape(2, 7),
        "policy_timing": {"infer_ms": 61.25},
        "server_timing": {"infer_ms": 74.5, "prev_total_ms": 212.125},
    },
    "plain_values": {"none": None, "t": True, "f": False, "i": -33, "big": 70000, "s": "héllo", "bin": b"\x00\xff", "list": [1, 2.5, "x"]},
}

# Decode-only: the server normalises these, so re-encoding gives a different (equivalent) form.
DECODE_ONLY = {
    "f64_big_endian": np.array([1.5, -2.0], dtype=">f8"),
    "i4_big_endian": np.array([1, -2, 65536], dtype=">i4"),
}

out = {"cases": [], "decode_only": []}
for name, v in CASES.items():
    out["cases"].append({"name": name, "hex": packb(v).hex(), "value": describe(v)})
for name, v in DECODE_ONLY.items():
    # Described after normalisation to little-endian, which is what the decoder must produce.
    out["decode_only"].append({"name": name, "hex": packb(v).hex(), "value": describe(v.astype(v.dtype.newbyteorder("<")))})

dest = pathlib.Path(__file__).resolve().parents[2] / "test" / "fixtures" / "serve" / "msgpack_numpy.json"
dest.write_text(json.dumps(out, indent=1) + "\n")
print(f"wrote {dest} ({len(out['cases'])} cases, {len(out['decode_only'])} decode-only)")
