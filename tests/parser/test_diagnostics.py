"""Problems become diagnostics with code, message, line and span; the parse still succeeds."""

from __future__ import annotations

from app.parser import parse

P1 = "这项工作关系全局，必须抓紧抓实。各地要结合实际，制定具体措施，确保取得实效。"


def doc(*lines: str) -> str:
    return "\n".join(lines)


def codes(text: str) -> list[tuple[str, int]]:
    parsed = parse(text)
    for d in parsed.diagnostics:
        assert parsed.text[d.span.start : d.span.end], d
    return [(d.code, d.line) for d in parsed.diagnostics]


def test_diagnose_numbering_gap() -> None:
    assert codes(doc("一、回顾", P1, "三、任务", P1)) == [("numbering-gap", 3)]


def test_diagnose_numbering_duplicate() -> None:
    assert codes(doc("一、回顾", P1, "二、任务", P1, "二、要求", P1)) == [("numbering-duplicate", 5)]


def test_diagnose_level_skip() -> None:
    assert codes(doc("一、回顾", P1, "1.经济", P1, "2.民生", P1)) == [("level-skip", 3)]


def test_diagnose_announced_count_mismatch() -> None:
    text = doc("同志们：", "借此机会，我讲三点意见。", "一、统一思想", P1, "二、狠抓落实", P1)
    parsed = parse(text)
    [d] = parsed.diagnostics
    assert (d.code, d.line) == ("announced-count", 2)
    assert parsed.text[d.span.start : d.span.end] == "讲三点"


def test_announced_count_that_matches_is_silent() -> None:
    assert codes(doc("同志们：", "下面，我讲两点意见。", "一、统一思想", P1, "二、狠抓落实", P1)) == []


def test_diagnose_truncated_heading() -> None:
    assert ("heading-truncated", 3) in codes(doc("一、回顾", P1, "二、加强和改进党的", P1))


def test_diagnose_unplaced_heading_line() -> None:
    assert codes(doc("一、回顾", P1, "二、任务", P1, "七、其他", P1)) == [("unplaced-line", 5)]


def test_diagnostics_serialise_with_line_and_span() -> None:
    from app.parser import to_dict

    out = to_dict(parse(doc("一、回顾", P1, "三、任务", P1)))
    assert out["diagnostics"][0]["code"] == "numbering-gap"
    assert set(out["diagnostics"][0]) == {"code", "message", "line", "span"}


def test_diagnose_announced_count_in_arabic_digits() -> None:
    text = doc("同志们：", "这里，我给大家提３点要求。", "一是要统一思想。" + P1, "二是要狠抓落实。" + P1)
    assert codes(text) == [("announced-count", 2)]
