#!/usr/bin/env python3
"""PyTorch eager reference for `anyorder bench train --compare-torch`.

Trains the same sigma-GPT as AnyOrder (GPT-2 pre-LayerNorm blocks without biases, tied head, a start slot,
and the double position encoding tok(x[s(t-1)]) + concat(pos(s(t-1)), pos(s(t)))) with the same step:
random orders drawn per sequence, mean cross-entropy, global-norm gradient clipping and AdamW that decays
matrices and embeddings only. It prints one JSON object with the measured throughput.

Written for this project; uses only torch (Debian's python3-torch) and the standard library.
"""
import argparse
import gzip
import json
import math
import os
import sys
import time

if __name__ == "__main__":
    # BLAS and OpenMP read their thread counts when torch loads, so set them from --threads first.
    _threads = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--threads=")), None)
    if _threads is None and "--threads" in sys.argv:
        _threads = sys.argv[sys.argv.index("--threads") + 1]
    for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[_name] = _threads or "1"

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402


class Block(torch.nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.ln_1 = torch.nn.LayerNorm(dim, elementwise_affine=True)
        self.ln_1.bias = None
        self.c_attn = torch.nn.Linear(dim, 3 * dim, bias=False)
        self.c_proj = torch.nn.Linear(dim, dim, bias=False)
        self.ln_2 = torch.nn.LayerNorm(dim, elementwise_affine=True)
        self.ln_2.bias = None
        self.c_fc = torch.nn.Linear(dim, 4 * dim, bias=False)
        self.mlp_proj = torch.nn.Linear(4 * dim, dim, bias=False)

    def forward(self, x, mask):
        b, t, d = x.shape
        h = self.heads
        q, k, v = self.c_attn(F.layer_norm(x, (d,), self.ln_1.weight)).split(d, dim=2)
        q = q.view(b, t, h, d // h).transpose(1, 2)
        k = k.view(b, t, h, d // h).transpose(1, 2)
        v = v.view(b, t, h, d // h).transpose(1, 2)
        if hasattr(F, "scaled_dot_product_attention"):
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(d // h))
            att = att.masked_fill(mask, float("-inf")).softmax(dim=-1)
            y = att @ v
        x = x + self.c_proj(y.transpose(1, 2).reshape(b, t, d))
        m = self.mlp_proj(F.gelu(self.c_fc(F.layer_norm(x, (d,), self.ln_2.weight))))
        return x + m


class SigmaGpt(torch.nn.Module):
    def __init__(self, vocab, length, layers, heads, dim):
        super().__init__()
        self.vocab = vocab
        self.wte = torch.nn.Embedding(vocab + 1, dim)  # last row: the start token
        self.wpe = torch.nn.Embedding(length + 1, dim // 2)  # last row: the position "none"
        self.blocks = torch.nn.ModuleList([Block(dim, heads) for _ in range(layers)])
        self.ln_f = torch.nn.LayerNorm(dim)
        self.ln_f.bias = None
        for name, p in self.named_parameters():
            if p.dim() == 2:
                std = 0.02 / math.sqrt(2 * layers) if name.endswith(("c_proj.weight", "mlp_proj.weight")) else 0.02
                torch.nn.init.normal_(p, 0.0, std)

    def forward(self, tokens, src, dst, targets, mask):
        d = self.wte.weight.shape[1]
        x = self.wte(tokens) + torch.cat((self.wpe(src), self.wpe(dst)), dim=2)
        for block in self.blocks:
            x = block(x, mask)
        x = F.layer_norm(x, (d,), self.ln_f.weight)
        logits = x @ self.wte.weight[: self.vocab].t()
        return F.cross_entropy(logits.reshape(-1, self.vocab), targets.reshape(-1))


def batches(data, vocab, length, batch, generator):
    start_token = vocab
    none_position = length
    while True:
        offsets = torch.randint(0, len(data) - length, (batch,), generator=generator)
        seqs = torch.stack([data[o : o + length] for o in offsets.tolist()])
        orders = torch.stack([torch.randperm(length, generator=generator) for _ in range(batch)])
        shuffled = torch.gather(seqs, 1, orders)
        tokens = torch.cat((torch.full((batch, 1), start_token), shuffled[:, :-1]), dim=1)
        src = torch.cat((torch.full((batch, 1), none_position), orders[:, :-1]), dim=1)
        yield tokens, src, orders, shuffled


def blas():
    """The BLAS libraries this process loaded (Debian's torch uses whichever libblas.so.3 is selected)."""
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "blas" in line.lower() or "mkl" in line.lower()}
    except OSError:
        return "unknown"
    return ", ".join(sorted(os.path.realpath(p) for p in paths if p.startswith("/"))) or "none"


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", required=True)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--dim", type=int, default=128)
    ap.add_argument("--block", type=int, default=64)
    ap.add_argument("--batch", type=int, default=12)
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--seed", type=int, default=5)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    opener = gzip.open if args.data.endswith(".gz") else open
    with opener(args.data, "rt", encoding="utf-8") as f:
        text = f.read()
    chars = sorted(set(text))
    index = {c: i for i, c in enumerate(chars)}
    data = torch.tensor([index[c] for c in text], dtype=torch.long)
    vocab = len(chars)

    model = SigmaGpt(vocab, args.block, args.layers, args.heads, args.dim)
    decay = [p for p in model.parameters() if p.dim() >= 2]
    other = [p for p in model.parameters() if p.dim() < 2]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": other, "weight_decay": 0.0}],
                                  lr=args.lr, betas=(0.9, 0.95))
    mask = torch.triu(torch.ones(args.block, args.block, dtype=torch.bool), diagonal=1)
    generator = torch.Generator().manual_seed(args.seed)
    stream = batches(data, vocab, args.block, args.batch, generator)

    def step():
        tokens, src, dst, targets = next(stream)
        loss = model(tokens, src, dst, targets, mask)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        return loss.item()

    for _ in range(args.warmup):
        step()
    losses = []
    started = time.perf_counter()
    for _ in range(args.steps):
        losses.append(step())
    seconds = time.perf_counter() - started
    tokens = args.steps * args.batch * args.block
    print(json.dumps({
        "torch": torch.__version__, "threads": args.threads, "steps": args.steps, "seconds": seconds,
        "msPerStep": 1000 * seconds / args.steps, "tokensPerSecond": tokens / seconds,
        "parameters": sum(p.numel() for p in model.parameters()), "lastLoss": losses[-1],
        "sdpa": hasattr(F, "scaled_dot_product_attention"), "blas": blas(),
    }))


if __name__ == "__main__":
    main()
