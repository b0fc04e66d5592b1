"""Synthetic speeches for benchmarks, made from the bundled seed and (when present) the dev corpus.

Each speech keeps the seed's outline (title, preamble, three parts of three points, closing) and
fills its paragraphs with sentences sampled from real texts, so the parser, the index and the
queries see realistic Chinese. The dev corpus is read from ../shared and never copied.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path

from app import parser

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "app" / "data" / "labour-day-speech.txt"
DEV = REPO.parent / "shared" / "corpus" / "dev" / "texts"
SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]")
CN = "一二三四五六七八九十"


def sentence_pool() -> list[str]:
    texts = [SEED.read_text(encoding="utf-8")]
    if DEV.is_dir():
        texts += [parser.decode(p.read_bytes()) for p in sorted(DEV.glob("*.txt"))]
    pool = []
    for t in texts:
        for s in SENTENCE.findall(parser.normalise(t)):
            s = s.strip()
            # Keep body sentences only: no outline markers that would change the structure.
            if 8 <= len(s) <= 120 and not re.match(r"^[（(]?[一二三四五六七八九十\d]+[、.．)）是要]", s):
                pool.append(s)
    return pool


def speeches(n: int, *, sentences_per_speech: int = 100, seed: int = 1) -> Iterator[str]:
    """`n` distinct speeches of about `sentences_per_speech` sentences each."""
    rng = random.Random(seed)
    pool = sentence_pool()
    per_paragraph = max(1, sentences_per_speech // 16)

    def para() -> str:
        return "".join(rng.choice(pool) for _ in range(per_paragraph))

    for i in range(n):
        lines = [f"在第{i + 1}次工作会议上的讲话", f"（{2000 + i % 26}年{1 + i % 12}月{1 + i % 28}日）"]
        lines += [para(), para(), para() + "我讲三点意见。"]
        for p in range(3):
            lines.append(f"{CN[p]}、{rng.choice(pool)[:16].rstrip('。！？，')}")
            lines.append(para())
            for k in range(3):
                marker = f"{CN[k]}是" if p < 2 else f"{CN[k]}要"
                lines.append(marker + rng.choice(pool)[:14].rstrip("。！？，") + "。" + para())
        lines.append("同志们，" + para())
        yield "\n".join(lines)
