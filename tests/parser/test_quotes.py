"""Quote extraction: citations with sources, quoted terms and golden sentences.

The extractor is tested on its own: blocks are built here from a simple normalisation (strip
lines, drop blank ones, one block per line) so these tests do not depend on the outline parser.
Synthetic sentences below are written for these tests, not taken from the dev corpus.
"""

from __future__ import annotations

import itertools
import json
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.parser.nodes import Quote, Span
from app.parser.quotes import extract_quotes

SHARED_CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
SEED = SHARED_CORPUS / "labour-day-speech.txt"


def _lines_to_blocks(raw: str, eid: str = "p") -> tuple[str, list[tuple[str, Span]]]:
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    text = "\n".join(lines)
    blocks: list[tuple[str, Span]] = []
    pos = 0
    for line in lines:
        blocks.append((eid, Span(pos, pos + len(line))))
        pos += len(line) + 1
    return text, blocks


def _extract(raw: str) -> tuple[Quote, ...]:
    text, blocks = _lines_to_blocks(raw)
    return extract_quotes(text, blocks)


def _of_kind(quotes: tuple[Quote, ...], kind: str) -> list[Quote]:
    return [q for q in quotes if q.kind == kind]


def _citations(raw: str) -> list[tuple[str | None, str]]:
    return [(q.source, q.text) for q in _of_kind(_extract(raw), "citation")]


def _terms(raw: str) -> list[str]:
    return [q.text for q in _of_kind(_extract(raw), "term")]


def _golden(raw: str) -> list[str]:
    return [q.text for q in _of_kind(_extract(raw), "golden")]


# --- the seed speech -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> tuple[str, tuple[Quote, ...], dict[str, object]]:
    if not SEED.exists():
        pytest.skip("shared corpus not available")
    text, blocks = _lines_to_blocks(SEED.read_text(encoding="utf-8"))
    expected = json.loads(SEED.with_suffix(".expected.json").read_text(encoding="utf-8"))
    return text, extract_quotes(text, blocks), expected


def test_extract_seed_citations_exactly(seed: tuple[str, tuple[Quote, ...], dict[str, object]]) -> None:
    _, quotes, expected = seed
    found = [{"source": q.source, "text": q.text} for q in _of_kind(quotes, "citation")]
    assert found == expected["citations"]


def test_extract_seed_finds_every_sample_term(
    seed: tuple[str, tuple[Quote, ...], dict[str, object]],
) -> None:
    _, quotes, expected = seed
    terms = {q.text for q in _of_kind(quotes, "term")}
    sample = expected["quoted_terms_sample"]
    assert isinstance(sample, list)
    assert set(sample) <= terms


def test_extract_seed_finds_every_sample_golden_sentence(
    seed: tuple[str, tuple[Quote, ...], dict[str, object]],
) -> None:
    _, quotes, expected = seed
    golden = _of_kind(quotes, "golden")
    sample = expected["golden_sentences_sample"]
    assert isinstance(sample, list)
    assert set(sample) <= {q.text for q in golden}
    assert len(golden) <= 12  # selective: a handful for a 5,000-character speech


def test_extract_seed_spans_slice_the_text(seed: tuple[str, tuple[Quote, ...], dict[str, object]]) -> None:
    text, quotes, _ = seed
    assert all(text[q.span.start : q.span.end] == q.text for q in quotes)
    assert [q.span.start for q in quotes] == sorted(q.span.start for q in quotes)


def test_extract_seed_counts_every_term_occurrence(
    seed: tuple[str, tuple[Quote, ...], dict[str, object]],
) -> None:
    _, quotes, _ = seed
    assert [q.text for q in quotes if q.kind == "term"].count("魅力XX") == 9


# --- citations -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(
            "我们在《条例》中明确：“干部要清正廉洁”“办事要公开透明”，并长期坚持。",
            [("条例", "干部要清正廉洁"), ("条例", "办事要公开透明")],
            id="title-two-consecutive-quotes",
        ),
        pytest.param(
            "党章明确：共产党员必须全心全意为人民服务。这是根本要求。",
            [("党章", "共产党员必须全心全意为人民服务")],
            id="document-colon-unquoted",
        ),
        pytest.param(
            "习近平总书记指出：“幸福都是奋斗出来的。”",
            [("习近平总书记", "幸福都是奋斗出来的。")],
            id="leader-colon-quote",
        ),
        pytest.param(
            "习近平总书记在考察时强调：发展是第一要务，人才是第一资源。",
            [("习近平总书记", "发展是第一要务，人才是第一资源")],
            id="leader-adverbial-unquoted",
        ),
        pytest.param(
            "正如古人所说，“一分耕耘，一分收获”。",
            [("古人", "一分耕耘，一分收获")],
            id="as-said",
        ),
        pytest.param(
            "正如一位老党员所说，“群众的事再小也是大事”。",
            [("一位老党员", "群众的事再小也是大事")],
            id="as-said-free-source",
        ),
        pytest.param(
            "正如鲁迅先生所说，“世上本没有路”。",
            [("鲁迅先生", "世上本没有路")],
            id="as-said-named",
        ),
        pytest.param(
            "毛主席教导我们：“艰苦奋斗”，“勤俭建国”。",
            [("毛主席", "艰苦奋斗"), ("毛主席", "勤俭建国")],
            id="chain-after-comma",
        ),
        pytest.param(
            "《决定》要求，“各地要把责任抓在手上”。",
            [("决定", "各地要把责任抓在手上")],
            id="title-comma",
        ),
        pytest.param(
            "以习近平同志为核心的党中央指出：“发展是第一要务”。",
            [("党中央", "发展是第一要务")],
            id="party-centre-not-leader",
        ),
        pytest.param(
            "俗话说得好，“众人拾柴火焰高”。",
            [("俗话", "众人拾柴火焰高")],
            id="saying",
        ),
        pytest.param(
            "《綱要》規定：「各級政府要保障基本民生」。",
            [("綱要", "各級政府要保障基本民生")],
            id="traditional-corner-quotes",
        ),
    ],
)
def test_extract_citation_with_source(raw: str, expected: list[tuple[str, str]]) -> None:
    assert _citations(raw) == expected


def test_extract_citation_span_excludes_quote_marks() -> None:
    raw = "党章规定：“党员必须履行义务”。"
    (quote,) = _extract(raw)
    assert quote.kind == "citation"
    assert raw[quote.span.start - 1] == "“"
    assert raw[quote.span.end] == "”"


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("有人说：“这件事情根本做不成，我们还是放弃吧。”", id="unknown-speaker"),
        pytest.param("很多企业都反映说压力很大。", id="reported-speech"),
        pytest.param("总体要求：坚持稳中求进，推动高质量发展。", id="colon-without-source"),
        pytest.param("正如大家所说的那样，我们要继续努力。", id="loose-as-said"),
        pytest.param("习近平总书记指出，要坚持以人民为中心。", id="paraphrase-after-comma"),
    ],
)
def test_extract_no_citation_without_a_known_source(raw: str) -> None:
    assert _citations(raw) == []


def test_extract_quoted_object_before_noun_is_a_term_not_a_citation() -> None:
    raw = "《决定》提出“三步走”战略。"
    assert _citations(raw) == []
    assert _terms(raw) == ["三步走"]


# --- terms -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("全市上下共筑“幸福梦”，唱响“实干曲”。", ["幸福梦", "实干曲"], id="two-terms"),
        pytest.param("建设“美丽XX”，打造“美丽XX”。", ["美丽XX", "美丽XX"], id="every-occurrence"),
        pytest.param("弘扬“铁人精神”“工匠精神”。", ["铁人精神", "工匠精神"], id="adjacent"),
        pytest.param("落实“马上办抓落实”要求。", ["马上办抓落实"], id="slogan"),
        pytest.param("始终牢记“我是谁、为了谁”。", ["我是谁、为了谁"], id="with-enumeration-comma"),
        pytest.param("推动「城鄉共好」計畫。", ["城鄉共好"], id="corner-quotes"),
    ],
)
def test_extract_terms(raw: str, expected: list[str]) -> None:
    assert _terms(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("他在会上讲了“我们要把每一项工作都做实做细做出成效来”。", id="long-quote"),
        pytest.param("标语写着“安全第一。”", id="sentence-punctuation"),
        pytest.param("这里的“”是空的。", id="empty"),
        pytest.param("这个“中国梦没有结尾", id="unbalanced-open"),
        pytest.param("这个中国梦”没有开头", id="unbalanced-close"),
        pytest.param("两边“ 、 ”都是符号。", id="punctuation-only"),
    ],
)
def test_extract_no_term(raw: str) -> None:
    assert _terms(raw) == []


def test_extract_unbalanced_quote_keeps_the_later_pair() -> None:
    assert _terms("前面有个“孤立的引号，后面是“共同富裕”。") == ["共同富裕"]


# --- golden sentences ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "golden", "reason"),
    [
        pytest.param(
            "奋斗创造幸福，奋斗成就梦想。我们要继续努力工作。",
            "奋斗创造幸福，奋斗成就梦想。",
            "parallel clauses, shared lead",
            id="shared-lead",
        ),
        pytest.param(
            "我们取得了一些成绩。机遇属于奋斗者，未来属于实干家。",
            "机遇属于奋斗者，未来属于实干家。",
            "parallel clauses",
            id="shared-frame",
        ),
        pytest.param(
            "一是抓好生产。农业兴则乡村兴，农业强则乡村强。其他工作同步推进。",
            "农业兴则乡村兴，农业强则乡村强。",
            "antithesis 则",
            id="antithesis",
        ),
        pytest.param(
            "大家辛苦了。实干的价值是永恒的。新的一年还要加油。",
            "实干的价值是永恒的。",
            "aphorism 是…的",
            id="aphorism",
        ),
        pytest.param(
            "同志们，汗水浇灌收获，实干成就未来。最后祝大家节日快乐！",
            "同志们，汗水浇灌收获，实干成就未来。",
            "parallel clauses",
            id="after-salutation",
        ),
        pytest.param(
            "我们常说一句话。只有勤学苦练，才能练就本领。",
            "只有勤学苦练，才能练就本领。",
            "conditional 只有…才",
            id="conditional",
        ),
        pytest.param(
            "这是我们的经验。团结就是力量。",
            "团结就是力量。",
            "aphorism 就是",
            id="just-is",
        ),
        pytest.param("青山不老，绿水长流。", "青山不老，绿水长流。", "couplet", id="couplet"),
    ],
)
def test_extract_golden_sentence(raw: str, golden: str, reason: str) -> None:
    found = [q for q in _extract(raw) if q.kind == "golden"]
    assert [q.text for q in found] == [golden]
    assert found[0].reason == reason
    assert found[0].score is not None
    assert 0.5 <= found[0].score <= 1.0


def test_extract_golden_ranks_antithesis_above_plain_parallel() -> None:
    quotes = _extract("农业兴则乡村兴，农业强则乡村强。\n机遇属于奋斗者，未来属于实干家。")
    scores = {q.text: q.score or 0.0 for q in quotes if q.kind == "golden"}
    assert scores["农业兴则乡村兴，农业强则乡村强。"] > scores["机遇属于奋斗者，未来属于实干家。"]


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("一是一，二是二。", id="enumerator-echo"),
        pytest.param(
            "今年以来，全市上下认真贯彻落实各项决策部署，经济运行总体平稳，民生保障持续改善。",
            id="ordinary-long-sentence",
        ),
        pytest.param("完善社会保障制度，健全医疗服务体系。", id="policy-pair"),
        pytest.param("生产秩序稳步恢复，市场活力不断增强。", id="progress-report"),
        pytest.param("今天，我们在这里隆重集会。", id="narrative-opener"),
        pytest.param("我们开了会，研究了工作。", id="uneven-prose"),
        pytest.param("这项任务是艰巨的。", id="demonstrative-assessment"),
        pytest.param("我们要紧紧围绕中心，全力服务大局，全面推动工作落实，确保取得实效。", id="too-long"),
        pytest.param("增长目标5%，赤字率3%。", id="numbers"),
        pytest.param("一、劳动创造财富，劳动成就未来", id="heading-without-full-stop"),
        pytest.param(
            "会上传达了精神。领导听取汇报，群众反映问题。最后作了总结。", id="mid-paragraph-form-only"
        ),
    ],
)
def test_extract_no_golden(raw: str) -> None:
    assert _golden(raw) == []


# --- blocks, eids, order, totality -----------------------------------------------------------


def test_extract_quotes_carry_block_eid_and_document_order() -> None:
    text = "弘扬“工匠精神”。\n劳动创造财富，劳动成就未来。\n党章明确：党员必须服务人民群众。"
    blocks = [
        ("preamble", Span(0, 9)),
        ("part_1", Span(10, 24)),
        ("part_1__point_1", Span(25, len(text))),
    ]
    quotes = extract_quotes(text, blocks)
    assert [(q.kind, q.eid) for q in quotes] == [
        ("term", "preamble"),
        ("golden", "part_1"),
        ("citation", "part_1__point_1"),
    ]


def test_extract_nothing_outside_blocks() -> None:
    text = "弘扬“工匠精神”。\n弘扬“劳模精神”。"
    assert [q.text for q in extract_quotes(text, [("b", Span(10, len(text)))])] == ["劳模精神"]


@pytest.mark.parametrize(
    "blocks",
    [
        [("x", Span(-5, 3))],
        [("x", Span(5, 500))],
        [("x", Span(9, 2))],
        [("x", Span(1000, 2000))],
        [],
    ],
)
def test_extract_clamps_odd_block_spans(blocks: list[tuple[str, Span]]) -> None:
    text = "弘扬“工匠精神”。"
    for q in extract_quotes(text, blocks):
        assert text[q.span.start : q.span.end] == q.text


def test_extract_empty_text() -> None:
    assert extract_quotes("", [("p", Span(0, 0))]) == ()


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(("“《党章明确：" * 20_000) + "劳动创造财富，劳动成就未来。", id="unbalanced-marks"),
        pytest.param(("党章" + "在" * 35 + "指出：") * 10_000, id="colons-without-sentence-end"),
        pytest.param(("正如" + "大" * 29 + "所说，") * 10_000, id="as-said-without-sentence-end"),
        pytest.param(("习近平总书记在" + "中" * 30 + "“文”") * 10_000, id="long-introductions"),
        pytest.param("《" * 200_000, id="open-titles"),
    ],
)
def test_extract_pathological_line_stays_fast(text: str) -> None:
    started = time.perf_counter()
    for q in extract_quotes(text, [("p", Span(0, len(text)))]):
        assert text[q.span.start : q.span.end] == q.text
    assert time.perf_counter() - started < 2.0


_TOKENS = [
    "“", "”", "「", "」", "《", "》", "。", "，", "：", "！", "？", "；", "、", "\n", " ", "\u3000",
    "习近平总书记", "毛主席", "同志们，", "正如", "所说", "指出", "强调", "明确", "党章", "宪法", "古人",
    "劳动", "创造", "财富", "则", "是", "的", "就是", "只有", "才", "一是", "中国梦", "XX", "5%",
    "以", "同志", "党中央", "劳动创造财富，劳动成就未来。",
]  # fmt: skip


@st.composite
def _text_and_blocks(draw: st.DrawFn) -> tuple[str, list[tuple[str, Span]]]:
    parts = draw(st.lists(st.one_of(st.sampled_from(_TOKENS), st.text(max_size=6)), max_size=80))
    text = "".join(parts)
    cuts = sorted(draw(st.sets(st.integers(0, len(text)), max_size=8)) | {0, len(text)})
    blocks = [(f"b{i}", Span(a, b)) for i, (a, b) in enumerate(itertools.pairwise(cuts)) if b > a]
    keep = draw(st.lists(st.booleans(), min_size=len(blocks), max_size=len(blocks)))
    return text, [block for block, kept in zip(blocks, keep, strict=True) if kept]


@settings(max_examples=300, deadline=None)
@given(_text_and_blocks())
def test_extract_any_text_spans_slice_text_inside_one_block(
    case: tuple[str, list[tuple[str, Span]]],
) -> None:
    text, blocks = case
    quotes = extract_quotes(text, blocks)
    by_eid = dict(blocks)
    for q in quotes:
        assert text[q.span.start : q.span.end] == q.text
        block = by_eid[q.eid]
        assert block.start <= q.span.start <= q.span.end <= block.end
        assert q.kind in ("citation", "term", "golden")
        assert (q.source is not None) == (q.kind == "citation")
        assert (q.score is not None) == (q.kind == "golden")
    assert [q.span.start for q in quotes] == sorted(q.span.start for q in quotes)


@settings(max_examples=100, deadline=None)
@given(st.text(), st.lists(st.tuples(st.integers(-10, 300), st.integers(-10, 300)), max_size=5))
def test_extract_never_raises_on_arbitrary_blocks(text: str, raw_spans: list[tuple[int, int]]) -> None:
    quotes = extract_quotes(text, [("b", Span(a, b)) for a, b in raw_spans])
    assert all(text[q.span.start : q.span.end] == q.text for q in quotes)
