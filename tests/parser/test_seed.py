"""The seed speech parses to exactly the structure in labour-day-speech.expected.json.

The expected file lives in ../shared (the CI contract: a clone with ../shared beside it), so this
test fails, rather than skips, when it is missing: a skipped seed comparison would prove nothing.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from app.parser import parse, to_dict
from tests.parser.support import CORPUS, seed_text

EXPECTED = CORPUS / "labour-day-speech.expected.json"


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    if not EXPECTED.exists():
        pytest.fail(f"{EXPECTED} is missing: clone the repository with ../shared beside it")
    data: dict[str, Any] = json.loads(EXPECTED.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    return to_dict(parse(seed_text()))


def announced(paragraph: str) -> int | None:
    """The count a preamble announces: 我讲三点意见 -> 3."""
    match = re.search(r"([一二三四五六七八九])点", paragraph)
    return "一二三四五六七八九".index(match.group(1)) + 1 if match else None


def observed(result: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    """The parse result in the shape of the expected file, every key of it."""
    quotes = result["quotes"]
    terms = {q["text"] for q in quotes if q["kind"] == "term"}
    golden = {q["text"] for q in quotes if q["kind"] == "golden"}
    return {
        "title": result["title"],
        "preamble_paragraphs": len(result["preamble"]["paragraphs"]),
        "announced_parts": announced(result["preamble"]["paragraphs"][-1]),
        "parts": [
            {
                "marker": part["marker"],
                "heading": part["heading"],
                "intro_paragraphs": len(part["paragraphs"]),
                "points": [{"marker": c["marker"], "heading": c["heading"]} for c in part["children"]],
            }
            for part in result["sections"]
        ],
        "closing_paragraphs": len(result["closing"]["paragraphs"]),
        "citations": [{"source": q["source"], "text": q["text"]} for q in quotes if q["kind"] == "citation"],
        # The file lists samples of these two: each sample must be found.
        "quoted_terms_sample": [t for t in expected["quoted_terms_sample"] if t in terms],
        "golden_sentences_sample": [t for t in expected["golden_sentences_sample"] if t in golden],
    }


def test_parse_seed_matches_the_whole_expected_file(result: dict[str, Any], expected: dict[str, Any]) -> None:
    got = observed(result, expected)
    assert set(got) == set(expected), "the expected file has keys this test does not check"
    assert got == expected


def test_parse_seed_title_joins_two_lines(result: dict[str, Any], expected: dict[str, Any]) -> None:
    assert result["title"] == expected["title"]


def test_parse_seed_outline_matches_expected(result: dict[str, Any], expected: dict[str, Any]) -> None:
    outline = [
        {
            "marker": part["marker"],
            "heading": part["heading"],
            "intro_paragraphs": len(part["paragraphs"]),
            "points": [{"marker": c["marker"], "heading": c["heading"]} for c in part["children"]],
        }
        for part in result["sections"]
    ]
    assert outline == expected["parts"]


def test_parse_seed_preamble_and_closing(result: dict[str, Any], expected: dict[str, Any]) -> None:
    assert len(result["preamble"]["paragraphs"]) == expected["preamble_paragraphs"]
    assert result["preamble"]["paragraphs"][-1].endswith("我讲三点意见。")
    assert len(result["closing"]["paragraphs"]) == expected["closing_paragraphs"]
    assert result["closing"]["paragraphs"][0].startswith("同志们，劳动成就梦想")


def test_parse_seed_eids_kinds_and_levels(result: dict[str, Any]) -> None:
    part = result["sections"][0]
    point = part["children"][1]
    assert (part["eid"], part["kind"], part["level"], part["ordinal"]) == ("part_1", "part", 1, 1)
    assert (point["eid"], point["kind"], point["level"], point["ordinal"]) == (
        "part_1__point_2",
        "point",
        2,
        2,
    )
    assert result["preamble"]["eid"] == "preamble"
    assert result["closing"]["eid"] == "closing"


def test_parse_seed_paragraph_eids() -> None:
    parsed = parse(seed_text())
    part = parsed.sections[0]
    assert part.paragraphs[0].eid == "part_1__para_1"
    assert part.children[1].paragraphs[0].eid == "part_1__point_2__para_1"
    assert parsed.preamble is not None and parsed.preamble.paragraphs[0].eid == "preamble__para_1"
    assert parsed.closing is not None and parsed.closing.paragraphs[0].eid == "closing__para_1"


def test_parse_seed_point_body_is_rest_of_paragraph() -> None:
    point = parse(seed_text()).sections[0].children[0]
    assert point.heading is not None and point.heading.text == "一是加大宣传，让他们的美名传遍XX。"
    assert point.paragraphs[0].text.startswith("今天站上领奖台的22名劳模")


def test_parse_seed_has_no_diagnostics(result: dict[str, Any], expected: dict[str, Any]) -> None:
    assert expected["announced_parts"] == len(result["sections"])
    assert result["diagnostics"] == []


def test_parse_seed_sentences_cover_paragraphs() -> None:
    parsed = parse(seed_text())
    para = parsed.preamble.paragraphs[0] if parsed.preamble else None
    assert para is not None
    assert "".join(s.text for s in para.sentences) == para.text
    assert para.sentences[0].text.endswith("先进工作者。")
    assert para.sentences[1].text.endswith("的祝贺！")


def test_to_dict_keeps_the_parse_contract(result: dict[str, Any]) -> None:
    assert set(result) == {
        "title", "subtitle", "speaker", "date", "occasion", "preamble", "sections", "closing",
        "footnotes", "quotes", "diagnostics",
    }  # fmt: skip
    part = result["sections"][0]
    assert set(part) == {
        "eid", "kind", "level", "marker", "ordinal", "heading", "span", "heading_span", "paragraphs", "children",
    }  # fmt: skip
    assert set(result["preamble"]) == {"eid", "span", "paragraphs"}
    text = parse(seed_text()).text
    start, end = part["heading_span"]
    assert text[start:end] == "一、要尊重劳动、尊重劳模、尊重劳动者"
    assert "text" in to_dict(parse(seed_text()), include_text=True)
    json.dumps(result, ensure_ascii=False)
