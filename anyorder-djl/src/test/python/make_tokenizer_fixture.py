#!/usr/bin/env python3
"""Builds the small subword fixtures of the interop tests (standard library only).

Writes, next to the Java tests' resources:
  tokenizer.json  a HuggingFace BPE tokenizer (Metaspace pre-tokenizer and decoder, an <unk> token)
                  whose merges are learned here by plain byte-pair counting on the corpus below;
  corpus.txt      a few kilobytes of sentences from a tiny grammar, the training text.

Deterministic: running it again gives the same files.
"""
import json
import os
import random
import sys
from collections import Counter

MARK = "\u2581"  # the Metaspace word-boundary character
MERGES = 40


def corpus(rng):
    subjects = ["the cat", "the dog", "a bird", "the old man", "my sister", "a small fox"]
    verbs = ["sat on", "looked at", "ran to", "slept near", "jumped over"]
    objects = ["the mat", "the log", "a tree", "the house", "the river", "a red box"]
    lines = []
    for _ in range(120):
        lines.append(f"{rng.choice(subjects)} {rng.choice(verbs)} {rng.choice(objects)}.")
    return " ".join(lines) + "\n"


def learn_merges(words, count):
    """Byte-pair merges over the words of the text, most frequent pair first (ties by the pair itself)."""
    pieces = Counter(tuple(MARK + w) for w in words)
    merges = []
    for _ in range(count):
        pairs = Counter()
        for word, n in pieces.items():
            for a, b in zip(word, word[1:]):
                pairs[(a, b)] += n
        if not pairs:
            break
        best = max(pairs.items(), key=lambda kv: (kv[1], kv[0]))[0]
        merges.append(best)
        merged = Counter()
        for word, n in pieces.items():
            out, i = [], 0
            while i < len(word):
                if i + 1 < len(word) and (word[i], word[i + 1]) == best:
                    out.append(word[i] + word[i + 1])
                    i += 2
                else:
                    out.append(word[i])
                    i += 1
            merged[tuple(out)] += n
        pieces = merged
    return merges


def tokenizer(text):
    words = text.split()
    alphabet = sorted(set(MARK + "".join(words)))
    merges = learn_merges(words, MERGES)
    vocab = {"<unk>": 0}
    for ch in alphabet:
        vocab[ch] = len(vocab)
    for a, b in merges:
        if a + b not in vocab:
            vocab[a + b] = len(vocab)
    metaspace = {"type": "Metaspace", "replacement": MARK, "prepend_scheme": "always", "split": True}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [{"id": 0, "content": "<unk>", "single_word": False, "lstrip": False, "rstrip": False,
                          "normalized": False, "special": True}],
        "normalizer": None,
        "pre_tokenizer": metaspace,
        "post_processor": None,
        "decoder": metaspace,
        "model": {"type": "BPE", "dropout": None, "unk_token": "<unk>", "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                  "vocab": vocab, "merges": [f"{a} {b}" for a, b in merges]},
    }


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(__file__), "..", "resources", "interop")
    os.makedirs(out, exist_ok=True)
    text = corpus(random.Random(7))
    with open(os.path.join(out, "corpus.txt"), "w", encoding="utf-8") as f:
        f.write(text)
    with open(os.path.join(out, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer(text), f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
