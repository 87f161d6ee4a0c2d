#!/usr/bin/env python3
"""Builds the PyTorch reference fixtures of AnyOrder's σ-GPT import tests.

A σ-GPT (Pannatier, Courdier, Fleuret, 2024) in the layout of the published nanoGPT-based text code:
tensor names transformer.wte / transformer.wpe (block_size rows of n_embd/2) / transformer.h.N.{ln_1,
attn.c_attn, attn.c_proj, ln_2, mlp.c_fc, mlp.c_proj} / transformer.ln_f / lm_head (tied to wte); Linear
weights stored (out, in); LayerNorm eps 1e-5 with an optional bias; exact (erf) GELU; attention scaled by
1/sqrt(head_dim) with a causal mask. The forward pass below is written from that description: step t reads
token x[σ(t)] with the embedding wte[x[σ(t)]] + concat(wpe[σ(t)], wpe[σ(t+1)]) and its output predicts
x[σ(t+1)].

For each variant it writes NAME.safetensors (random weights; the safetensors format is written by hand, so
only torch and numpy are needed), NAME.config.json (the code's model_args, optionally itos) and
NAME.expected.json (token sequences, orders and the logits of every step). Run with Debian's python3-torch:

    /usr/bin/python3 anyorder-djl/src/test/python/make_sigma_gpt_fixture.py anyorder-djl/src/test/resources/interop
"""
import json
import math
import os
import sys

import torch
import torch.nn.functional as F

from safetensors_file import write_safetensors


def random_weights(args, generator, scale=0.3):
    """A state dict in the published layout, with weights large enough to give far-from-uniform outputs."""
    d, v, bs, bias = args["n_embd"], args["vocab_size"], args["block_size"], args["bias"]

    def normal(*shape, std=scale):
        return torch.randn(*shape, generator=generator) * std

    sd = {"transformer.wte.weight": normal(v, d), "transformer.wpe.weight": normal(bs, d // 2)}

    def layer_norm(name):
        sd[name + ".weight"] = 1 + normal(d, std=0.1)
        if bias:
            sd[name + ".bias"] = normal(d, std=0.1)

    def linear(name, out_features, in_features):
        sd[name + ".weight"] = normal(out_features, in_features)
        if bias:
            sd[name + ".bias"] = normal(out_features, std=0.1)

    for i in range(args["n_layer"]):
        p = f"transformer.h.{i}."
        layer_norm(p + "ln_1")
        linear(p + "attn.c_attn", 3 * d, d)
        linear(p + "attn.c_proj", d, d)
        layer_norm(p + "ln_2")
        linear(p + "mlp.c_fc", 4 * d, d)
        linear(p + "mlp.c_proj", d, 4 * d)
    layer_norm("transformer.ln_f")
    sd["lm_head.weight"] = sd["transformer.wte.weight"]
    return sd


def forward(sd, args, tokens, order):
    """Logits of every step: row t predicts tokens[order[t+1]] from tokens[order[0..t]]."""
    d, h = args["n_embd"], args["n_head"]
    hd = d // h
    order = torch.tensor(order)
    idx = torch.tensor(tokens)[order[:-1]]
    here, nxt = order[:-1], order[1:]
    wpe = sd["transformer.wpe.weight"]
    x = sd["transformer.wte.weight"][idx] + torch.cat([wpe[here], wpe[nxt]], dim=-1)
    t = x.shape[0]
    mask = torch.ones(t, t).tril().bool()

    def ln(name, y):
        return F.layer_norm(y, (d,), sd[name + ".weight"], sd.get(name + ".bias"), 1e-5)

    def lin(name, y):
        return F.linear(y, sd[name + ".weight"], sd.get(name + ".bias"))

    for i in range(args["n_layer"]):
        p = f"transformer.h.{i}."
        q, k, v = lin(p + "attn.c_attn", ln(p + "ln_1", x)).split(d, dim=-1)
        q, k, v = (m.view(t, h, hd).transpose(0, 1) for m in (q, k, v))
        att = (q @ k.transpose(-2, -1)) / math.sqrt(hd)
        att = att.masked_fill(~mask, float("-inf")).softmax(-1)
        y = (att @ v).transpose(0, 1).reshape(t, d)
        x = x + lin(p + "attn.c_proj", y)
        m = F.gelu(lin(p + "mlp.c_fc", ln(p + "ln_2", x)))  # exact erf GELU, as nn.GELU()
        x = x + lin(p + "mlp.c_proj", m)
    x = ln("transformer.ln_f", x)
    return x @ sd["lm_head.weight"].T


def cases(args, generator):
    """Two sequences: a full block in a random order and a shorter one in another order."""
    out = []
    for length in (args["block_size"], args["block_size"] - 3):
        tokens = torch.randint(args["vocab_size"], (length,), generator=generator).tolist()
        order = torch.randperm(length, generator=generator).tolist()
        out.append((tokens, order))
    out.append((list(range(min(args["vocab_size"], 5))), list(range(min(args["vocab_size"], 5)))))  # left to right
    return out


def variant(out_dir, name, args, seed, *, itos=None, nested=False, keep_head=True, mask_buffers=False,
            store_dtype=torch.float32):
    generator = torch.Generator().manual_seed(seed)
    sd = random_weights(args, generator)
    # The model runs on the weights as stored: round them to the stored dtype first.
    sd = {k: t.to(store_dtype).to(torch.float32) for k, t in sd.items()}
    stored = {k: t.to(store_dtype) for k, t in sd.items() if keep_head or k != "lm_head.weight"}
    if mask_buffers:  # nanoGPT without flash attention persists its causal mask as attn.bias
        for i in range(args["n_layer"]):
            bs = args["block_size"]
            stored[f"transformer.h.{i}.attn.bias"] = torch.ones(bs, bs).tril().view(1, 1, bs, bs).to(store_dtype)
    write_safetensors(os.path.join(out_dir, name + ".safetensors"), stored)
    config = {"model_args": dict(args)} if nested else dict(args)
    if itos is not None:
        config["itos"] = itos
    with open(os.path.join(out_dir, name + ".config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=1)
        f.write("\n")
    expected = []
    with torch.no_grad():
        for tokens, order in cases(args, generator):
            logits = forward(sd, args, tokens, order)
            expected.append({"tokens": tokens, "order": order, "logits": [[float(v) for v in row] for row in logits]})
    with open(os.path.join(out_dir, name + ".expected.json"), "w", encoding="utf-8") as f:
        json.dump({"torch": torch.__version__, "cases": expected}, f)
        f.write("\n")


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "resources", "interop")
    os.makedirs(out_dir, exist_ok=True)
    torch.set_num_threads(1)
    base = {"n_layer": 2, "n_head": 2, "n_embd": 16, "block_size": 8, "bias": False, "vocab_size": 10, "dropout": 0.0}
    variant(out_dir, "sigma-gpt-nobias", base, 1, itos=list(" abcdefghi"), mask_buffers=True)
    variant(out_dir, "sigma-gpt-bias", dict(base, bias=True), 2, nested=True, keep_head=False)
    variant(out_dir, "sigma-gpt-bf16", base, 3, store_dtype=torch.bfloat16)


if __name__ == "__main__":
    main()
