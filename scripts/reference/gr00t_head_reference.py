#!/usr/bin/env python3
"""Spec-level PyTorch re-implementation of the GR00T N1.5 flow-matching action head
(shared/reference/action-head.md, Isaac-GR00T@4af2b62 semantics), used as the oracle of the native
port: it writes random weights for the `tiny` preset (with a backbone projection), the inputs, and
the golden outputs (predicted velocity at fixed t/noise, masked flow-matching loss, gradients of a
few parameters after one backward, Euler samples) into test/fixtures/gr00t/.

Runs on CPU in fp32 without dropout (the native parity ops run the same deterministic map).

    .venv/bin/python scripts/reference/gr00t_head_reference.py [--out test/fixtures/gr00t]
"""
from __future__ import annotations

import argparse
import json
import math
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import torch
import torch.nn.functional as F
from safetensors.torch import save_file
from torch import nn


@dataclass
class HeadConfig:
    actionDim: int = 32
    actionHorizon: int = 16
    maxStateDim: int = 64
    inputEmbeddingDim: int = 1536
    hiddenSize: int = 1024
    backboneEmbeddingDim: int = 2048
    backboneFeatureDim: int = 2048
    ditNumLayers: int = 16
    ditNumHeads: int = 32
    ditHeadDim: int = 48
    vlNumLayers: int = 4
    vlNumHeads: int = 32
    vlHeadDim: int = 64
    dropout: float = 0.2
    numTargetVisionTokens: int = 32
    maxSeqLen: int = 1024
    maxNumEmbodiments: int = 32
    noiseBetaAlpha: float = 1.5
    noiseBetaBeta: float = 1.0
    noiseS: float = 0.999
    numTimestepBuckets: int = 1000
    numInferenceTimesteps: int = 4
    useVlMask: bool = False


TINY = HeadConfig(actionDim=8, actionHorizon=4, maxStateDim=6, inputEmbeddingDim=32, hiddenSize=24,
                  backboneEmbeddingDim=40, backboneFeatureDim=40, ditNumLayers=4, ditNumHeads=2, ditHeadDim=16,
                  vlNumLayers=2, vlNumHeads=2, vlHeadDim=20, numTargetVisionTokens=3, maxSeqLen=8, maxNumEmbodiments=2)


# --- components (key names = GR00T checkpoint keys) -----------------------------------------

class CategorySpecificLinear(nn.Module):
    def __init__(self, e: int, i: int, o: int):
        super().__init__()
        self.W = nn.Parameter(0.02 * torch.randn(e, i, o))  # (E, in, out): x @ W
        self.b = nn.Parameter(torch.zeros(e, o))

    def forward(self, x, ids):
        return torch.bmm(x, self.W[ids]) + self.b[ids].unsqueeze(1)


class CategorySpecificMLP(nn.Module):
    def __init__(self, e, i, h, o):
        super().__init__()
        self.layer1 = CategorySpecificLinear(e, i, h)
        self.layer2 = CategorySpecificLinear(e, h, o)

    def forward(self, x, ids):
        return self.layer2(F.relu(self.layer1(x, ids)), ids)


def action_sinusoid(t: torch.Tensor, dim: int) -> torch.Tensor:
    """[sin, cos], divisor half (action encoder)."""
    half = dim // 2
    exponent = -torch.arange(half, dtype=torch.float) * (torch.log(torch.tensor(10000.0)) / half)
    freqs = t.float().unsqueeze(-1) * exponent.exp()
    return torch.cat([torch.sin(freqs), torch.cos(freqs)], dim=-1)


def timestep_sinusoid(t: torch.Tensor, channels: int = 256) -> torch.Tensor:
    """[cos, sin], divisor half − 1 (diffusers Timesteps(flip_sin_to_cos=True, downscale_freq_shift=1))."""
    half = channels // 2
    exponent = -math.log(10000) * torch.arange(0, half, dtype=torch.float32)
    exponent = exponent / (half - 1)
    emb = t[:, None].float() * torch.exp(exponent)[None, :]
    emb = torch.cat([torch.sin(emb), torch.cos(emb)], dim=-1)
    return torch.cat([emb[:, half:], emb[:, :half]], dim=-1)


class ActionEncoder(nn.Module):
    def __init__(self, a, d, e):
        super().__init__()
        self.d = d
        self.W1 = CategorySpecificLinear(e, a, d)
        self.W2 = CategorySpecificLinear(e, 2 * d, d)
        self.W3 = CategorySpecificLinear(e, d, d)

    def forward(self, x, t_disc, ids):
        T = x.shape[1]
        a = self.W1(x, ids)
        tau = action_sinusoid(t_disc.unsqueeze(1).expand(-1, T), self.d).to(a.dtype)
        h = self.W2(torch.cat([a, tau], dim=-1), ids)
        return self.W3(h * torch.sigmoid(h), ids)


class Attention(nn.Module):
    def __init__(self, dim, kv_dim, heads, head_dim):
        super().__init__()
        inner = heads * head_dim
        self.heads, self.head_dim = heads, head_dim
        self.to_q = nn.Linear(dim, inner)
        self.to_k = nn.Linear(kv_dim, inner)
        self.to_v = nn.Linear(kv_dim, inner)
        self.to_out = nn.ModuleList([nn.Linear(inner, dim), nn.Dropout(0.0)])

    def forward(self, x, ctx, mask=None):
        B, N, _ = x.shape
        S = ctx.shape[1]
        q = self.to_q(x).view(B, N, self.heads, self.head_dim).transpose(1, 2)
        k = self.to_k(ctx).view(B, S, self.heads, self.head_dim).transpose(1, 2)
        v = self.to_v(ctx).view(B, S, self.heads, self.head_dim).transpose(1, 2)
        o = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, scale=self.head_dim ** -0.5)
        return self.to_out[0](o.transpose(1, 2).reshape(B, N, -1))


class GeluProj(nn.Module):
    def __init__(self, i, o):
        super().__init__()
        self.proj = nn.Linear(i, o)

    def forward(self, x):
        return F.gelu(self.proj(x), approximate="tanh")


class FeedForward(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.net = nn.ModuleList([GeluProj(dim, 4 * dim), nn.Dropout(0.0), nn.Linear(4 * dim, dim), nn.Dropout(0.0)])

    def forward(self, x):
        return self.net[2](self.net[0](x))


class AdaLayerNorm(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.linear = nn.Linear(dim, 2 * dim)
        self.norm = nn.LayerNorm(dim, 1e-5, elementwise_affine=False)

    def forward(self, x, temb):
        scale, shift = self.linear(F.silu(temb)).chunk(2, dim=1)  # scale first
        return self.norm(x) * (1 + scale[:, None]) + shift[:, None]


class Block(nn.Module):
    def __init__(self, dim, heads, head_dim, kv_dim, ada):
        super().__init__()
        self.ada = ada
        self.norm1 = AdaLayerNorm(dim) if ada else nn.LayerNorm(dim, eps=1e-5)
        self.attn1 = Attention(dim, kv_dim, heads, head_dim)
        self.norm3 = nn.LayerNorm(dim, 1e-5, elementwise_affine=not ada)
        self.ff = FeedForward(dim)

    def forward(self, x, ctx=None, mask=None, temb=None):
        h = self.norm1(x, temb) if self.ada else self.norm1(x)
        x = self.attn1(h, h if ctx is None else ctx, mask) + x
        return self.ff(self.norm3(x)) + x


class TimestepEmbedding(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.linear_1 = nn.Linear(256, dim)
        self.linear_2 = nn.Linear(dim, dim)

    def forward(self, x):
        return self.linear_2(F.silu(self.linear_1(x)))


class TimestepEncoder(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.timestep_embedder = TimestepEmbedding(dim)

    def forward(self, t):
        return self.timestep_embedder(timestep_sinusoid(t))


class DiT(nn.Module):
    def __init__(self, c: HeadConfig):
        super().__init__()
        D = c.inputEmbeddingDim
        self.timestep_encoder = TimestepEncoder(D)
        self.transformer_blocks = nn.ModuleList(
            [Block(D, c.ditNumHeads, c.ditHeadDim, c.backboneEmbeddingDim if i % 2 == 0 else D, True) for i in range(c.ditNumLayers)])
        self.norm_out = nn.LayerNorm(D, elementwise_affine=False, eps=1e-6)
        self.proj_out_1 = nn.Linear(D, 2 * D)
        self.proj_out_2 = nn.Linear(D, c.hiddenSize)

    def forward(self, x, ctx, t_disc, mask=None):
        temb = self.timestep_encoder(t_disc)
        for i, blk in enumerate(self.transformer_blocks):
            x = blk(x, ctx, mask, temb) if i % 2 == 0 else blk(x, None, None, temb)
        shift, scale = self.proj_out_1(F.silu(temb)).chunk(2, dim=1)  # shift first here
        return self.proj_out_2(self.norm_out(x) * (1 + scale[:, None]) + shift[:, None])


class SelfAttentionTransformer(nn.Module):
    def __init__(self, c: HeadConfig):
        super().__init__()
        W = c.backboneEmbeddingDim
        self.transformer_blocks = nn.ModuleList([Block(W, c.vlNumHeads, c.vlHeadDim, W, False) for _ in range(c.vlNumLayers)])

    def forward(self, x, mask=None):
        for blk in self.transformer_blocks:
            x = blk(x, None, mask)
        return x


class ActionHead(nn.Module):
    def __init__(self, c: HeadConfig):
        super().__init__()
        E, D, H = c.maxNumEmbodiments, c.inputEmbeddingDim, c.hiddenSize
        self.c = c
        self.model = DiT(c)
        self.state_encoder = CategorySpecificMLP(E, c.maxStateDim, H, D)
        self.action_encoder = ActionEncoder(c.actionDim, D, E)
        self.action_decoder = CategorySpecificMLP(E, H, H, c.actionDim)
        self.future_tokens = nn.Embedding(c.numTargetVisionTokens, D)
        self.vlln = nn.LayerNorm(c.backboneEmbeddingDim)
        self.vl_self_attention = SelfAttentionTransformer(c)
        self.position_embedding = nn.Embedding(c.maxSeqLen, D)
        nn.init.normal_(self.future_tokens.weight, std=0.02)
        nn.init.normal_(self.position_embedding.weight, std=0.02)

    def velocity(self, ctx, state_feat, x_t, t_disc, ids, mask):
        B, T = x_t.shape[:2]
        a = self.action_encoder(x_t, t_disc, ids) + self.position_embedding.weight[:T].unsqueeze(0)
        seq = torch.cat([state_feat, self.future_tokens.weight.unsqueeze(0).expand(B, -1, -1), a], dim=1)
        pred = self.action_decoder(self.model(seq, ctx, t_disc, mask), ids)
        return pred[:, -T:]


class Backbone(nn.Module):
    def __init__(self, i, o):
        super().__init__()
        self.eagle_linear = nn.Linear(i, o)


class Expert(nn.Module):
    def __init__(self, c: HeadConfig):
        super().__init__()
        self.c = c
        if c.backboneFeatureDim != c.backboneEmbeddingDim:
            self.backbone = Backbone(c.backboneFeatureDim, c.backboneEmbeddingDim)
        self.action_head = ActionHead(c)

    def context(self, feats, mask):
        x = self.backbone.eagle_linear(feats) if hasattr(self, "backbone") else feats
        return self.action_head.vl_self_attention(self.action_head.vlln(x), mask)

    def loss(self, b, t, noise, use_mask):
        mask = b["key_mask"] if use_mask else None
        h = self.action_head
        ctx = self.context(b["features"], mask)
        sf = h.state_encoder(b["state"], b["ids"])
        tt = t[:, None, None]
        x_t = (1 - tt) * noise + tt * b["actions"]
        target = b["actions"] - noise
        t_disc = (tt[:, 0, 0] * self.c.numTimestepBuckets).long()
        pred = h.velocity(ctx, sf, x_t, t_disc, b["ids"], mask)
        loss = (F.mse_loss(pred, target, reduction="none") * b["action_mask"]).sum() / b["action_mask"].sum()
        return loss, pred

    @torch.no_grad()
    def sample(self, b, x, steps, use_mask):
        mask = b["key_mask"] if use_mask else None
        h = self.action_head
        ctx = self.context(b["features"], mask)
        sf = h.state_encoder(b["state"], b["ids"])
        for k in range(steps):
            t_disc = torch.full((x.shape[0],), int(k / float(steps) * self.c.numTimestepBuckets), dtype=torch.long)
            x = x + (1.0 / steps) * h.velocity(ctx, sf, x, t_disc, b["ids"], mask)
        return x


# --- fixture ---------------------------------------------------------------------------------

GRAD_NAMES = [
    "backbone.eagle_linear.weight",
    "action_head.vlln.weight",
    "action_head.vl_self_attention.transformer_blocks.0.attn1.to_q.weight",
    "action_head.vl_self_attention.transformer_blocks.1.norm3.bias",
    "action_head.model.timestep_encoder.timestep_embedder.linear_1.weight",
    "action_head.model.transformer_blocks.0.attn1.to_k.weight",
    "action_head.model.transformer_blocks.1.norm1.linear.weight",
    "action_head.model.transformer_blocks.3.ff.net.0.proj.weight",
    "action_head.model.proj_out_1.weight",
    "action_head.state_encoder.layer1.W",
    "action_head.action_encoder.W2.W",
    "action_head.action_decoder.layer2.b",
    "action_head.future_tokens.weight",
    "action_head.position_embedding.weight",
]


def count_params(c: HeadConfig) -> dict:
    with torch.device("meta"):
        e = Expert(c)
    n = lambda m: sum(p.numel() for p in m.parameters())
    return {"dit": n(e.action_head.model), "vl_self_attention": n(e.action_head.vl_self_attention), "total": n(e)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[2] / "test" / "fixtures" / "gr00t"))
    out = Path(ap.parse_args().out)
    out.mkdir(parents=True, exist_ok=True)

    # The reference sizes reproduce the parameter counts printed by real N1.5 runs.
    n15 = count_params(HeadConfig())
    assert n15 == {"dit": 550386688, "vl_self_attention": 201433088, "total": 1068806144}, n15

    torch.manual_seed(20250708)
    c = replace(TINY, backboneFeatureDim=56)  # exercises the backbone projection
    net = Expert(c).eval()
    with torch.no_grad():  # move every parameter off its init pattern (LN affine, zero biases) so all paths count
        for name, p in net.named_parameters():
            p.add_(0.05 * torch.randn_like(p))
    weights = {k: v.detach().contiguous() for k, v in net.state_dict().items()}
    save_file(weights, str(out / "weights.safetensors"), metadata={"format": "pt"})

    B, L, T, A, S = 3, 5, c.actionHorizon, c.actionDim, c.maxStateDim
    state_in, action_in = 5, 7  # narrower than the padded widths: the head pads with zeros
    feats = torch.randn(B, L, c.backboneFeatureDim)
    vl_mask = torch.ones(B, L, dtype=torch.uint8)
    vl_mask[1, :2] = 0  # left padding
    vl_mask[2, :1] = 0
    state = torch.randn(B, state_in)
    actions = torch.rand(B, T, action_in) * 2 - 1
    action_mask_in = torch.ones(B, T, action_in, dtype=torch.uint8)
    action_mask_in[2, -1] = 0
    ids = torch.tensor([0, 1, 1], dtype=torch.int32)
    t = torch.tensor([0.1234, 0.5, 0.9991], dtype=torch.float32)
    noise = torch.randn(B, T, A)
    x0 = torch.randn(B, T, A)

    b = {
        "features": feats,
        "key_mask": vl_mask.bool()[:, None, None, :],
        "state": F.pad(state, (0, S - state_in)).unsqueeze(1),
        "actions": F.pad(actions, (0, A - action_in)),
        "action_mask": F.pad(action_mask_in.float(), (0, A - action_in)),
        "ids": ids.long(),
    }
    cases = {
        "features": feats, "attention_mask": vl_mask.int(), "state": state, "actions": actions,
        "action_mask": action_mask_in.int(), "embodiment_id": ids, "t": t, "noise": noise, "x0": x0,
    }
    for masked in (False, True):
        sfx = "_masked" if masked else ""
        net.zero_grad(set_to_none=True)
        loss, pred = net.loss(b, t, noise, masked)
        loss.backward()
        params = dict(net.named_parameters())
        cases[f"velocity{sfx}"] = pred.detach()
        cases[f"loss{sfx}"] = loss.detach().reshape(1).double()
        for name in GRAD_NAMES:
            cases[f"grad{sfx}.{name}"] = params[name].grad.detach().clone()
        for steps in (4, 8):
            cases[f"sample{sfx}_{steps}"] = net.sample(b, x0, steps, masked)
    save_file({k: v.contiguous() for k, v in cases.items()}, str(out / "cases.safetensors"))
    (out / "config.json").write_text(json.dumps(asdict(c), indent=2) + "\n")
    summary = {"grad_names": GRAD_NAMES, "batch": B, "vl_len": L, "n15_param_counts": n15,
               "torch": torch.__version__, "loss": cases["loss"].item(), "loss_masked": cases["loss_masked"].item()}
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
