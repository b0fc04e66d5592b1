"""Quotes in a speech: citations with their source, quoted terms and golden sentences (金句).

Extraction runs block by block (one paragraph or heading at a time), so every quote lies inside
one block and carries that block's section eid. Spans point into the normalised text and slice
it to exactly the quote's text; for quoted material the span excludes the quote marks.

- ``citation``: a quoted passage whose introduction names a known source and a verb of saying
  (``《宪法》中明确：“…”``, ``习近平总书记指出：“…”``, ``正如…所说，“…”``). Passages that follow a
  citation directly (``“…”“…”``, ``“…”，“…”``) share its source. A known source, a verb and a colon
  with no quote mark cite the rest of the sentence (``党章明确：…。``).
- ``term``: any other short quoted coinage or slogan (``“中国梦”``), one per occurrence.
- ``golden``: see :mod:`app.parser.quotes_golden`.

Both “…” and 「…」 (Traditional Chinese texts) count as quote marks. Sources are recognised only
from a closed list (titles in 《》, party documents, named leaders, sayings): an open-ended "any
noun before 说" rule mistakes reported speech (``很多企业都反映说``) for citations.

The function is total: spans outside the text are clamped, unbalanced marks are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from app.parser.nodes import Quote, Span
from app.parser.quotes_golden import find_golden

MAX_TERM = 12
MAX_UNQUOTED = 300
_INTRO_WINDOW = 100
_TAIL_WINDOW = 12

# A quote cannot span a line and cannot contain an opening mark of its own kind, so an unbalanced
# “ is skipped and the scan costs O(n) even on text full of stray marks.
_QUOTE_RE = re.compile(r"“([^“”\n]+)”|「([^「」\n]+)」")

_LEADERS = (
    "习近平|毛泽东|邓小平|江泽民|胡锦涛|周恩来|刘少奇|朱德|陈云|孙中山|孫中山|马克思|馬克思|恩格斯|列宁|列寧"
    "|斯大林|鲁迅|魯迅|孔子|孟子|老子|庄子|莊子|荀子|墨子|韩非子|韓非子"
)
_HONORIFICS = "总书记|總書記|主席|总理|總理|委员长|委員長|同志|先生|总统|總統"
# Ordered: a title in 《》 first, so ``《宪法》`` yields 宪法 through the ``title`` group.
_SOURCES: tuple[tuple[str, str], ...] = (
    ("title", r"《(?P<title>[^《》\n]{1,40})》"),
    # Not after 以: ``以习近平同志为核心的党中央`` names the 党中央 as the speaker.
    ("leader", rf"(?<!以)(?:{_LEADERS})(?:{_HONORIFICS})?"),
    ("office", r"总书记|總書記|毛主席|周总理|周總理|党中央|中共中央|国务院"),
    # An unlisted name is accepted only with an honorific and right after punctuation, where a
    # subject starts; otherwise ``以习近平同志为核心`` style phrases would leak in.
    ("named", r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff]{2,3}(?:同志|总书记|總書記|主席|总统|總統)"),
    (
        "document",
        r"党章|黨章|宪法|憲法|党的章程|中国共产党章程|(?:党的)?[一二三四五六七八九十]{1,3}大报告",
    ),
    ("saying", r"古人|前人|先贤|古语|俗话|老话|俗语|谚语|古训"),
)
_SOURCE = "(?P<src>" + "|".join(pattern for _, pattern in _SOURCES) + ")"
# Between source and verb: an adverbial such as ``在…讲话中``, ``中``, ``曾经多次``; it may hold a
# quoted speech title but no clause break.
_MID = r"(?:[^，。；！？：:“”「」\n]|“[^“”\n]{0,40}”|「[^「」\n]{0,40}」){0,40}?"
_VERBS = (
    "明确指出|深刻指出|明确提出|郑重提出|指出|强调|強調|提出|要求|说过|说道|说得好|所说|曾说|说|說"
    "|讲过|讲|講|明确|明確|规定|規定|写道|寫道|指示|教导我们|教导|告诫我们|告诫|有云|云|曰"
)
_VERB = f"(?:{_VERBS})"
# Anchored at the end of a window that stops right before a quote mark (or after a colon).
_INTRO_RE = re.compile(_SOURCE + _MID + _VERB + r"[了过道]?(?P<sep>[：:，,]?)[ \u3000]*$")
_AS_SAID_RE = re.compile(
    r"正如(?P<src>[^，。；！？：:“”「」\n]{1,30}?)(?:所说|所言|所讲|所指出|所强调|说过|指出|强调|讲过|说|讲)"
    r"的?(?P<loose>那样|一样)?(?P<sep>[：:，,]?)[ \u3000]*$"
)
# Cheap test on the few characters before a quote mark: most quotes (terms) have no verb of
# saying there, and then the costly source search is skipped.
_INTRO_TAIL_RE = re.compile(rf"(?:{_VERBS}|所言)(?:的?(?:那样|一样))?[了过道]?[：:，,]?[ \u3000]*$")
_SOURCE_AT_START_RE = re.compile(_SOURCE)
_SOURCE_TRIM_RE = re.compile(r"(?:在|曾经|曾|也|早就|多次).*$|[中里上]$")
# A colon after a verb of saying with no quote mark after it: candidate unquoted citation.
_COLON_RE = re.compile(_VERB + r"[了过道]?[：:](?![ \u3000]*[“「])")
_AS_SAID_UNQUOTED_RE = re.compile(
    r"正如[^，。；！？：:“”「」\n]{1,30}?(?:所说|所言|所讲|所指出|所强调|说过|指出|强调|讲过|说|讲)[：:，,](?![“「])"
)
# The cited rest of a sentence; bounded so a text without sentence ends cannot make the scan
# quadratic (one long run per colon).
_SENTENCE_REST_RE = re.compile(rf"[ \u3000]*([^。！？!?\n]{{1,{MAX_UNQUOTED}}})(?=[。！？!?\n]|\Z)")
# With no colon, a quote is the object of the verb only if nothing follows it in the clause;
# ``提出“三步走”战略`` names a term, ``提出“……”。`` cites.
_OBJECT_END = frozenset("。！？!?，,；;、”」“「\n")
_CHAIN_GAPS = frozenset({"", "，", ",", "、", "；"})
_SENTENCE_PUNCT_RE = re.compile(r"[。！？!?；;：:]")
_WORDLIKE_RE = re.compile(r"[\w\u4e00-\u9fff]")


def extract_quotes(text: str, blocks: Sequence[tuple[str, Span]]) -> tuple[Quote, ...]:
    """All citations, quoted terms and golden sentences of ``text``, in document order."""
    quotes: list[Quote] = []
    size = len(text)
    for eid, span in blocks:
        start = min(max(span.start, 0), size)
        end = min(max(span.end, start), size)
        if end > start:
            quotes.extend(_block_quotes(text[start:end], start, eid))
    quotes.sort(key=lambda q: (q.span.start, q.span.end))
    return tuple(quotes)


def _block_quotes(block: str, offset: int, eid: str) -> Iterator[Quote]:
    previous_end = -1
    previous_source: str | None = None
    for m in _QUOTE_RE.finditer(block):
        group = 1 if m.group(1) is not None else 2
        content = m.group(group)
        q_start, q_end = m.span(group)
        source: str | None
        if previous_source is not None and block[previous_end : m.start()] in _CHAIN_GAPS:
            source = previous_source
        else:
            source = _introduced_by(block, m.start(), m.end())
        span = Span(offset + q_start, offset + q_end)
        if source is not None:
            yield Quote("citation", content, source, eid, span)
        elif _is_term(content):
            yield Quote("term", content, None, eid, span)
        previous_end, previous_source = m.end(), source
    yield from _unquoted_citations(block, offset, eid)
    for g in find_golden(block):
        text = block[g.start : g.end]
        yield Quote("golden", text, None, eid, Span(offset + g.start, offset + g.end), g.score, g.reason)


def _introduced_by(block: str, open_at: int, close_at: int) -> str | None:
    """The source named right before the quote opening at ``open_at``, if it is a citation."""
    if _INTRO_TAIL_RE.search(block, max(0, open_at - _TAIL_WINDOW), open_at) is None:
        return None
    lo = max(0, open_at - _INTRO_WINDOW)
    m = _INTRO_RE.search(block, lo, open_at)
    if m is not None:
        source = m.group("title") or m.group("src")
    else:
        m = _AS_SAID_RE.search(block, lo, open_at)
        if m is None:
            return None
        source = _clean_source(m.group("src"))
    if not m.group("sep") and close_at < len(block) and block[close_at] not in _OBJECT_END:
        return None
    return source


def _unquoted_citations(block: str, offset: int, eid: str) -> Iterator[Quote]:
    seen: set[int] = set()  # ``正如X指出：`` matches both introductions
    for pattern, introduced in ((_COLON_RE, _INTRO_RE), (_AS_SAID_UNQUOTED_RE, _AS_SAID_RE)):
        for colon in pattern.finditer(block):
            intro = introduced.search(block, max(0, colon.end() - _INTRO_WINDOW), colon.end())
            if intro is None or (introduced is _AS_SAID_RE and intro.group("loose")):
                continue
            rest = _SENTENCE_REST_RE.match(block, colon.end())
            if rest is None:
                continue
            cited = rest.group(1).rstrip(" \u3000")
            start = rest.start(1)
            if len(cited) < 4 or start in seen:
                continue
            seen.add(start)
            if introduced is _INTRO_RE:
                source = intro.group("title") or intro.group("src")
            else:
                source = _clean_source(intro.group("src"))
            yield Quote("citation", cited, source, eid, Span(offset + start, offset + start + len(cited)))


def _clean_source(raw: str) -> str:
    """Short source name from a free ``正如…所说`` subject: ``《宪法》`` -> 宪法, drops ``在…时``."""
    m = _SOURCE_AT_START_RE.match(raw)
    if m is not None:
        return m.group("title") or m.group("src")
    trimmed = _SOURCE_TRIM_RE.sub("", raw)
    return trimmed if len(trimmed) >= 2 else raw


def _is_term(content: str) -> bool:
    return (
        len(content) <= MAX_TERM
        and content.count("，") + content.count(",") <= 1
        and _SENTENCE_PUNCT_RE.search(content) is None
        and _WORDLIKE_RE.search(content) is not None
    )
