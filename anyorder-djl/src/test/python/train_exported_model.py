#!/usr/bin/env python3
"""Trains an `anyorder export` directory for a few steps with PyTorch and writes it back for `anyorder import sigma-gpt`.

This is the route for training at scale (for example with DistributedDataParallel on many GPUs): export an AnyOrder
model in the layout of the published sigma-GPT code, train it with PyTorch, import the result. The test of that round
trip (TorchTrainingRoundTripTest) runs this script; it is our own code, written from the layout the exporter documents
(SigmaGptExporter), and uses only torch (Debian's python3-torch) and the standard library.

Model: GPT-2 pre-LayerNorm blocks (optional biases), exact GELU, causal attention scaled by 1/sqrt(head_dim), a final
LayerNorm and a head tied to the token embedding. Step t reads token x[s(t)] with wte[x[s(t)]] + concat(wpe[s(t)],
wpe[s(t+1)]) and predicts x[s(t+1)]. A model exported with a start slot begins every order with the start token at
the "none" position, so its first step predicts x[s(0)].

    /usr/bin/python3 train_exported_model.py EXPORTED_DIR OUT_DIR [--data TEXT] [--steps N] [--batch B] [--seed S]

Batches are windows of --data (UTF-8 text, or .gz; a character model's config lists its characters as itos), or
random tokens without it (what the test uses).

OUT_DIR receives model.safetensors (F32, trained), config.json (and tokenizer.json) copied from the export, and
expected.json: token sequences, orders and the logits of every step under the trained weights, for the test to
compare with AnyOrder's logits after import.
"""
import argparse
import gzip
import json
import math
import os
import shutil

import torch
import torch.nn.functional as F

from safetensors_file import read_f32_safetensors, write_safetensors


def forward(p, args, idx, here, nxt):
    """Logits (B, T, vocab) of a batch of shuffled sequences: idx tokens read at positions here, predicting nxt."""
    d, h = args["n_embd"], args["n_head"]
    hd = d // h
    wpe = p["transformer.wpe.weight"]
    x = p["transformer.wte.weight"][idx] + torch.cat([wpe[here], wpe[nxt]], dim=-1)
    b, t, _ = x.shape
    causal = torch.ones(t, t, dtype=torch.bool).tril()

    def ln(name, y):
        return F.layer_norm(y, (d,), p[name + ".weight"], p.get(name + ".bias"), 1e-5)

    def lin(name, y):
        return F.linear(y, p[name + ".weight"], p.get(name + ".bias"))

    for i in range(args["n_layer"]):
        pre = f"transformer.h.{i}."
        q, k, v = lin(pre + "attn.c_attn", ln(pre + "ln_1", x)).split(d, dim=-1)
        q, k, v = (m.view(b, t, h, hd).transpose(1, 2) for m in (q, k, v))
        att = (q @ k.transpose(-2, -1)) / math.sqrt(hd)
        att = att.masked_fill(~causal, float("-inf")).softmax(-1)
        y = (att @ v).transpose(1, 2).reshape(b, t, d)
        x = x + lin(pre + "attn.c_proj", y)
        x = x + lin(pre + "mlp.c_proj", F.gelu(lin(pre + "mlp.c_fc", ln(pre + "ln_2", x))))  # exact (erf) GELU
    x = ln("transformer.ln_f", x)
    return x @ p["transformer.wte.weight"].T


def layout(config, tokens, order):
    """Inputs, read positions, next positions and targets of one sequence in one order (start slot first if any)."""
    if config.get("start_slot"):
        idx = [config["start_token"]] + [tokens[s] for s in order[:-1]]
        here = [config["none_position"]] + list(order[:-1])
        return idx, here, list(order), [tokens[s] for s in order]
    return [tokens[s] for s in order[:-1]], list(order[:-1]), list(order[1:]), [tokens[s] for s in order[1:]]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("exported")
    ap.add_argument("out")
    ap.add_argument("--data", help="UTF-8 text to cut training windows from (default: random tokens)")
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--lr", type=float, default=1e-2)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    torch.set_num_threads(1)
    generator = torch.Generator().manual_seed(a.seed)

    with open(os.path.join(a.exported, "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    args = config["model_args"]
    stored = read_f32_safetensors(os.path.join(a.exported, "model.safetensors"))
    # The head is tied to the token embedding: train one tensor, write it under both names as state_dict() lists them.
    params = {k: t.requires_grad_(True) for k, t in stored.items() if k != "lm_head.weight"}
    start = config.get("start_slot", False)
    length = args["block_size"] - (1 if start else 0)  # the "none" position is not a sequence position
    vocab = args["vocab_size"] - (1 if start else 0)    # nor is the start token a token of the data

    decay = [t for k, t in params.items() if t.dim() == 2]
    no_decay = [t for k, t in params.items() if t.dim() != 2]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                                  lr=a.lr, betas=(0.9, 0.95))
    corpus = None
    if a.data:
        if "itos" not in config:
            raise SystemExit("--data needs a character model (config.json with itos)")
        opener = gzip.open if a.data.endswith(".gz") else open
        with opener(a.data, "rt", encoding="utf-8") as f:
            text = f.read()
        stoi = {c: i for i, c in enumerate(config["itos"])}
        corpus = torch.tensor([stoi[c] for c in text if c in stoi])

    def sequence():
        if corpus is None:
            return torch.randint(vocab, (length,), generator=generator).tolist()
        at = int(torch.randint(len(corpus) - length, (1,), generator=generator))
        return corpus[at:at + length].tolist()

    for step in range(a.steps):
        batch = [layout(config, sequence(), torch.randperm(length, generator=generator).tolist()) for _ in range(a.batch)]
        idx, here, nxt, targets = (torch.tensor([s[i] for s in batch]) for i in range(4))
        logits = forward(params, args, idx, here, nxt)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(list(params.values()), 1.0)
        optimizer.step()
        print(json.dumps({"step": step + 1, "loss": float(loss)}))

    os.makedirs(a.out, exist_ok=True)
    trained = {k: t.detach().float() for k, t in params.items()}
    trained["lm_head.weight"] = trained["transformer.wte.weight"]
    write_safetensors(os.path.join(a.out, "model.safetensors"), trained)
    shutil.copy(os.path.join(a.exported, "config.json"), os.path.join(a.out, "config.json"))
    if os.path.exists(os.path.join(a.exported, "tokenizer.json")):
        shutil.copy(os.path.join(a.exported, "tokenizer.json"), os.path.join(a.out, "tokenizer.json"))
    cases = []
    with torch.no_grad():
        for _ in range(3):
            tokens = torch.randint(vocab, (length,), generator=generator).tolist()
            order = torch.randperm(length, generator=generator).tolist()
            idx, here, nxt, _ = layout(config, tokens, order)
            logits = forward(trained, args, torch.tensor([idx]), torch.tensor([here]), torch.tensor([nxt]))[0]
            cases.append({"tokens": tokens, "order": order, "logits": [[float(v) for v in row] for row in logits]})
    with open(os.path.join(a.out, "expected.json"), "w", encoding="utf-8") as f:
        json.dump({"torch": torch.__version__, "cases": cases}, f)


if __name__ == "__main__":
    main()
