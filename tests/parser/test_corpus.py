"""The dev corpus scored by the shared scorer (in-process), plus invariants on every real text."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from app.parser import decode, parse, to_dict
from tests.parser.support import DEV_GOLD, DEV_TEXTS, SCORER, assert_invariants, needs_shared

pytestmark = needs_shared


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_outline", SCORER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _texts() -> list[Path]:
    return sorted(DEV_TEXTS.glob("*.txt")) if DEV_TEXTS.is_dir() else []


def test_dev_corpus_scores_above_threshold() -> None:
    scorer = _scorer()
    exact = titles = 0
    points = [0, 0, 0]
    golds = sorted(DEV_GOLD.glob("*.json"))
    assert golds
    misses = []
    for gold_file in golds:
        gold: dict[str, Any] = json.loads(gold_file.read_text(encoding="utf-8"))
        text = decode((DEV_TEXTS / f"{gold_file.stem}.txt").read_bytes())
        result = json.loads(json.dumps(to_dict(parse(text)), ensure_ascii=False))
        score = scorer.score_one(gold, result)
        exact += score["exact"]
        titles += score["title_ok"]
        points = [a + b for a, b in zip(points, score["points"], strict=True)]
        if not score["exact"]:
            misses.append(gold_file.stem)
    rate = exact / len(golds)
    point_f1 = scorer.f1(*points)
    assert rate >= 0.90, f"exact {rate:.2f}; misses {misses}"
    assert point_f1 >= 0.95, f"point F1 {point_f1:.3f}"


def test_seed_is_exact() -> None:
    scorer = _scorer()
    gold = json.loads((DEV_GOLD / "000.json").read_text(encoding="utf-8"))
    result = to_dict(parse(decode((DEV_TEXTS / "000.txt").read_bytes())))
    assert scorer.score_one(gold, result)["exact"]


@pytest.mark.parametrize("path", _texts(), ids=lambda p: p.stem)
def test_dev_text_parses_losslessly(path: Path) -> None:
    text = decode(path.read_bytes())
    parsed = parse(text)
    assert_invariants(parsed)
    assert parse(parsed.text) == parsed
