# ref: openpi packages/openpi-client/src/openpi_client/{websocket_client_policy,msgpack_numpy}.py,
# examples/simple_client/main.py; reference/policy-server.md §5 and §7 (what a conformance client checks).
"""Checks a policy server against the openpi client protocol, the way the stock clients use it.

    .venv/bin/python scripts/reference/policy_client_check.py --url ws://127.0.0.1:8000 \
        --steps 5 --obs libero [--expect-horizon 10] [--expect-action-dim 7]

Needs numpy, msgpack and websockets (>= 13, for the sync client's recv timeout). Connects only to
127.0.0.1 / localhost. Prints one PASS/FAIL line per check and ends with the summary line
`policy_client_check: N passed, M failed`; exits 0 only when every check holds.
"""
import argparse
import functools
import http.client
import sys
import urllib.parse

import msgpack
import numpy as np
import websockets.exceptions
import websockets.sync.client


# --- openpi_client.msgpack_numpy, restated (the client package is not a dependency here) ---
def pack_array(obj):
    if isinstance(obj, (np.ndarray, np.generic)) and obj.dtype.kind in ("V", "O", "c"):
        raise ValueError(f"Unsupported dtype: {obj.dtype}")
    if isinstance(obj, np.ndarray):
        return {b"__ndarray__": True, b"data": obj.tobytes(), b"dtype": obj.dtype.str, b"shape": obj.shape}
    if isinstance(obj, np.generic):
        return {b"__npgeneric__": True, b"data": obj.item(), b"dtype": obj.dtype.str}
    return obj


def unpack_array(obj):
    if b"__ndarray__" in obj:
        return np.ndarray(buffer=obj[b"data"], dtype=np.dtype(obj[b"dtype"]), shape=obj[b"shape"])
    if b"__npgeneric__" in obj:
        return np.dtype(obj[b"dtype"]).type(obj[b"data"])
    return obj


packb = functools.partial(msgpack.packb, default=pack_array)
unpackb = functools.partial(msgpack.unpackb, object_hook=unpack_array)


# --- observations as the stock clients build them (simple_client's random data) ---
def observation(kind, rng, prompt=True):
    img = lambda *shape: rng.integers(0, 256, size=shape, dtype=np.uint8)  # noqa: E731
    if kind == "libero":
        obs = {"observation/image": img(224, 224, 3), "observation/wrist_image": img(224, 224, 3), "observation/state": rng.random(8)}
    elif kind == "droid":
        obs = {
            "observation/exterior_image_1_left": img(224, 224, 3),
            "observation/wrist_image_left": img(224, 224, 3),
            "observation/joint_position": rng.random(7),
            "observation/gripper_position": rng.random(1),
        }
    else:  # aloha: CHW images, no prompt (the server's default prompt applies)
        obs = {"images": {name: img(3, 224, 224) for name in ("cam_high", "cam_low", "cam_left_wrist", "cam_right_wrist")}, "state": np.ones(14)}
        prompt = False
    if prompt:
        obs["prompt"] = "do something"
    return obs


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print(f"PASS {name}")
        else:
            self.failed += 1
            print(f"FAIL {name}: {detail}")
        return ok


def connect(url):
    # As WebsocketClientPolicy: no compression, no size limit. Use as `with connect(url) as ws:`,
    # then read the metadata frame, which the server sends first.
    return websockets.sync.client.connect(url, compression=None, max_size=None, open_timeout=10)


def expect_error(c, url, name, frame):
    """A malformed request must get a text frame (never binary), then a close (1011 upstream)."""
    try:
        with connect(url) as ws:
            ws.recv(timeout=10)
            ws.send(frame)
            first = ws.recv(timeout=30)
            if not c.check(f"{name}: error comes as a text frame", isinstance(first, str), f"got {type(first).__name__}"):
                return
            try:
                extra = ws.recv(timeout=10)
                c.check(f"{name}: connection closed after the error", False, f"got another frame {extra!r:.80}")
            except websockets.exceptions.ConnectionClosed as e:
                code = e.rcvd.code if e.rcvd else None
                c.check(f"{name}: closed with 1011", code == 1011, f"close code {code}")
    except Exception as e:  # noqa: BLE001 - every failure is a finding
        c.check(name, False, f"{type(e).__name__}: {e}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", required=True)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--obs", choices=["libero", "droid", "aloha"], default="libero")
    ap.add_argument("--expect-horizon", type=int, help="exact chunk length, as the DROID example asserts (10, 8)")
    ap.add_argument("--expect-action-dim", type=int)
    a = ap.parse_args()
    parts = urllib.parse.urlparse(a.url)
    if parts.hostname not in ("127.0.0.1", "localhost"):
        sys.exit(f"policy_client_check connects only to 127.0.0.1 or localhost, not {parts.hostname}")
    url = a.url
    rng = np.random.default_rng(0)
    c = Checks()

    # Health check over plain HTTP on the same port.
    try:
        conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=10)
        conn.request("GET", "/healthz")
        r = conn.getresponse()
        body = r.read()
        c.check("GET /healthz answers 200 OK", r.status == 200 and body == b"OK\n", f"{r.status} {body!r}")
    except OSError as e:
        c.check("GET /healthz answers 200 OK", False, str(e))

    # Valid requests on one connection, lock-step, as the stock clients do.
    try:
        with connect(url) as ws:
            meta_frame = ws.recv(timeout=10)
            c.check("metadata is a binary frame", isinstance(meta_frame, bytes), f"got {type(meta_frame).__name__}")
            meta = unpackb(meta_frame) if isinstance(meta_frame, bytes) else None
            c.check("metadata is a map", isinstance(meta, dict), f"got {type(meta).__name__}")
            for step in range(a.steps):
                ws.send(packb(observation(a.obs, rng)))
                if step == 0:
                    # A ping while the request is in flight must be answered (the client's keepalive).
                    pong = ws.ping()
                    c.check("ping answered while a request is in flight", pong.wait(20), "no pong within 20 s")
                frame = ws.recv(timeout=60)
                if not c.check(f"step {step}: reply is a binary frame", isinstance(frame, bytes), f"{frame!r:.300}"):
                    break
                reply = unpackb(frame)
                actions = reply.get("actions")
                ok = isinstance(actions, np.ndarray) and actions.ndim == 2 and actions.dtype.kind == "f"
                if not c.check(f"step {step}: actions is a float [H, D] ndarray", ok, f"got {type(actions).__name__} {getattr(actions, 'shape', '')}"):
                    break
                if a.expect_horizon is not None:
                    c.check(f"step {step}: horizon {a.expect_horizon}", actions.shape[0] == a.expect_horizon, f"shape {actions.shape}")
                if a.expect_action_dim is not None:
                    c.check(f"step {step}: action dim {a.expect_action_dim}", actions.shape[1] == a.expect_action_dim, f"shape {actions.shape}")
                timing_ok = all(
                    isinstance(reply.get(k, {}), dict) and all(isinstance(v, (int, float)) for v in reply.get(k, {}).values())
                    for k in ("policy_timing", "server_timing")
                )
                c.check(f"step {step}: timing maps hold plain numbers", timing_ok, repr({k: reply.get(k) for k in ("policy_timing", "server_timing")}))
                if "server_timing" in reply:
                    has_prev = "prev_total_ms" in reply["server_timing"]
                    c.check(f"step {step}: prev_total_ms only after the first reply", has_prev == (step > 0), repr(reply["server_timing"]))
                # Every ndarray must be indexable up to the chunk horizon (the ALOHA chunk broker).
                for k, v in reply.items():
                    if isinstance(v, np.ndarray):
                        c.check(f"step {step}: {k} has a leading dimension", v.ndim >= 1, f"{k} is 0-d")
            try:
                stray = ws.recv(timeout=0.3)
                c.check("no unsolicited frame", False, f"got {stray!r:.80}")
            except TimeoutError:
                c.check("no unsolicited frame", True)
    except Exception as e:  # noqa: BLE001
        c.check("valid requests", False, f"{type(e).__name__}: {e}")

    # Malformed requests, each on a fresh connection.
    expect_error(c, url, "not msgpack", b"\xc1\x00\xff")
    expect_error(c, url, "msgpack that is not a map", packb([1, 2, 3]))
    obs = observation(a.obs, rng)
    del obs[next(iter(obs))]
    expect_error(c, url, "missing keys", packb(obs))
    obs = observation("libero", rng)
    obs["observation/image"] = rng.random((5, 7)).astype(np.int32)
    expect_error(c, url, "wrong image dtype and shape", packb(obs))
    expect_error(c, url, "a text frame", "not a binary frame")

    # A huge prompt may be answered or refused, but never with a hang or a binary error.
    try:
        with connect(url) as ws:
            ws.recv(timeout=10)
            obs = observation(a.obs, rng)
            obs["prompt"] = "x" * (16 * 2**20)
            ws.send(packb(obs))
            frame = ws.recv(timeout=60)
            ok = isinstance(frame, str) or isinstance(unpackb(frame).get("actions"), np.ndarray)
            c.check("16 MiB prompt: a reply or a text error", ok, f"{frame!r:.80}")
    except Exception as e:  # noqa: BLE001
        c.check("16 MiB prompt: a reply or a text error", False, f"{type(e).__name__}: {e}")

    # The server still serves after all of that.
    try:
        with connect(url) as ws:
            ws.recv(timeout=10)
            ws.send(packb(observation(a.obs, rng)))
            frame = ws.recv(timeout=60)
            c.check("valid request after the malformed ones", isinstance(frame, bytes) and "actions" in unpackb(frame), f"{frame!r:.300}")
    except Exception as e:  # noqa: BLE001
        c.check("valid request after the malformed ones", False, f"{type(e).__name__}: {e}")

    print(f"policy_client_check: {c.passed} passed, {c.failed} failed")
    sys.exit(0 if c.failed == 0 else 1)


if __name__ == "__main__":
    main()
