"""Golden sentences (金句): short, memorable lines recognised by their form alone.

A candidate is a whole sentence of a block (it ends in 。！？, at most ``MAX_SENTENCE`` characters),
optionally led by a salutation (``同志们，``). The salutation is kept in the quote's text but
ignored when judging the form. Forms, strongest first:

- antithesis: every clause has 则 at the same place (``产业兴旺则XX兴盛，产业强劲则XX强大。``);
- parallel clauses: 2-4 clauses of (nearly) equal length sharing a lead, an ending or characters
  at the same positions (``劳动创造财富，劳动成就未来。``); two equal clauses with nothing shared
  (``荣誉属于你们，精神激励人民。``) only count when they are free of particles and sit at the start
  or end of their paragraph, where speechwriters put their slogans; twin four-character clauses
  (``大道之行，天下为公。``) count anywhere, as a classical couplet;
- paired connectives (``不是…而是…``, ``只有…才…``, ``越…越…``);
- aphorisms: one short clause of the form ``A是B的`` or ``A就是B`` (``榜样的力量是无穷的。``).

Precision matters more than recall: search users browse these lists, so ordinary sentences that
merely happen to contain a comma must not get in. Sentences opening with an enumerator
(``一是``), a connective or a time word are run-in headings or narrative, and clause pairs that
open with a policy verb (``完善…，健全…``) or close on a progress phrase (``…不断完善``) are
report work items; none of them is a slogan. Scores are in 0..1; ``MIN_SCORE`` is the cut.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

MAX_SENTENCE = 40
MIN_SCORE = 0.55

# A sentence starts at the block start or right after a sentence end (possibly closed by a quote
# mark). The lookbehinds make the scan skip the inside of long sentences cheaply, so only short
# sentences ever reach Python code.
_SHORT_SENTENCE_RE = re.compile(
    r"(?:^|(?<=[。！？!?\n])|(?<=[。！？!?][”」’』]))[ \t\u3000]*"
    rf"(?P<s>[^。！？!?\n \t\u3000][^。！？!?\n]{{2,{MAX_SENTENCE - 2}}}[。！？!?]{{1,2}})"
)
_END_PUNCT = "。！？!?"
_SALUTATION_RE = re.compile(
    r"^(?:同志们|朋友们|同学们|乡亲们|青年朋友们|各位代表|各位来宾|各位委员|女士们、先生们|女士们，先生们)[，！,!]"
)
_CLAUSE_SPLIT_RE = re.compile(r"[，；,;]")
# Numbers, brackets, quotes and colons belong to reports and citations, not to slogans.
_DISQUALIFYING_RE = re.compile(r"[0-9０-９%％：:《》“”「」‘’『』()（）\[\]【】<>/]")
# Enumerators (run-in headings), connectives, demonstratives and time words open narrative.
_NARRATIVE_OPENER_RE = re.compile(
    r"^(?:[一二三四五六七八九十]+[是要、，]|第[一二三四五六七八九十]+|首先|其次|再次|最后|其一|其二"
    r"|当前|目前|现在|今天|今年|去年|明年|近年来|同时|但是|但|而且|因此|所以|其中|比如|例如|如果|虽然|尽管"
    r"|这|這|那|此|其|它|我|你|他|她|咱|大家|会议|报告|在|通过|對|对|把|将|將|从|從)"
)
# A clause opening with a policy verb is a work item (``完善…制度，健全…体系``): reports are full of
# such evenly built pairs, and none of them is a slogan.
_POLICY_VERB_RE = re.compile(
    r"^(?:要|完善|健全|加强|加強|加快|推进|推進|推动|推動|实施|實施|建立|建设|建設|提高|发展|發展|促进|促進"
    r"|优化|坚持|堅持|深化|强化|改善|提升|保障|落实|扩大|支持|鼓励|引导|规范|培育|构建|开展|做好|抓好"
    r"|切实|积极|大力|全面|进一步|持续|继续|努力|着力|深入|统筹|严格|防治|防范|维护|巩固|保持|增加|减少"
    r"|降低|缩减|大幅|出台|制定|多渠道|不断|有效|认真|广泛|稳步|稳妥|加大|打造|营造|用)"
)
# An adverb of progress plus a verb closing a clause reports results (``…深入推进，…不断完善``).
_PROGRESS_END_RE = re.compile(
    r"(?:深入|不断|持续|加快|稳步|显著|明显|进一步|全面|有效|大幅|再获|逐步|日益|更加|继续)[\u4e00-\u9fff]{2}$"
)
# Single characters that frame a parallel pair when they recur at the same place (``时代是思想之母，
# 实践是理论之源``); other one-character coincidences (业, 化) are chance.
_FRAME_CHARS = frozenset("是则則有之于於而以为為的在与與和乃即必自其无無非莫不也都就才")
# Particles make a clause read as prose; slogans drop them.
_PARTICLE_RE = re.compile(r"[的了着吗呢吧啊]")
# Degree adverbs turn ``A是B的`` into an ordinary assessment (``任务是十分艰巨的``).
_DEGREE_RE = re.compile(r"非常|十分|很|极其|更加|比较|相当|特别")


class GoldenMatch(NamedTuple):
    start: int  # offset in the block
    end: int
    score: float
    reason: str


# Single-clause and paired-connective forms, tried in order; the first match wins.
_FORM_RULES: tuple[tuple[str, re.Pattern[str], float], ...] = (
    ("contrast 不是…而是", re.compile(r"^不是[^，；]{2,10}[，；]而是[^，；]{2,10}$"), 0.75),
    ("conditional 只有…才", re.compile(r"^只有[^，；]{2,10}[，；]才[^，；]{2,10}$"), 0.7),
    ("progression 越…越", re.compile(r"^[^，；]{0,4}越[^，；]{1,8}[，；][^，；]{0,4}越[^，；]{1,8}$"), 0.7),
    ("concession 宁可…也不", re.compile(r"^宁[可肯][^，；]{2,10}[，；]也不[^，；]{2,10}$"), 0.75),
    (
        "aphorism 是…的",
        re.compile(r"^[^，；]{2,8}?(?:都|总|才|就|永远|始终|也|终归|总是)?是[^，；是]{1,8}的$"),
        0.7,
    ),
    ("aphorism 就是", re.compile(r"^[^，；]{2,6}就是[^，；]{2,6}$"), 0.65),
)


def find_golden(block: str) -> Iterator[GoldenMatch]:
    """Yield the golden sentences of one block, with offsets relative to the block."""
    for m in _SHORT_SENTENCE_RE.finditer(block):
        start, end = m.span("s")
        sentence = m.group("s")
        body = sentence.rstrip(_END_PUNCT)
        salutation = _SALUTATION_RE.match(body)
        if salutation:
            body = body[salutation.end() :]
        judged = _judge(body)
        if judged is None:
            continue
        score, reason, needs_edge = judged
        # Golden lines open or close a paragraph far more often than they sit inside one.
        at_edge = salutation is not None or start == 0 or not block[end:].strip()
        if needs_edge and not at_edge:
            continue
        if at_edge:
            score += 0.1
        score = round(min(score, 1.0), 2)
        if score >= MIN_SCORE:
            yield GoldenMatch(start, end, score, reason)


def _judge(body: str) -> tuple[float, str, bool] | None:
    """Score a sentence body (no salutation, no final punctuation): (score, reason, needs_edge)."""
    if len(body) < 5 or _DISQUALIFYING_RE.search(body) or _NARRATIVE_OPENER_RE.match(body):
        return None
    for reason, pattern, score in _FORM_RULES:
        if pattern.match(body):
            if _DEGREE_RE.search(body):
                score -= 0.2
            return score, reason, False
    clauses = _CLAUSE_SPLIT_RE.split(body)
    return _parallel(clauses) if len(clauses) > 1 else None


def _parallel(clauses: list[str]) -> tuple[float, str, bool] | None:
    n = len(clauses)
    if n > 4:
        return None
    lengths = [len(c) for c in clauses]
    shortest, longest = min(lengths), max(lengths)
    if shortest < 4 or longest > 16 or longest - shortest > 1:
        return None
    first = clauses[0]
    if any(_POLICY_VERB_RE.match(c) for c in clauses) or any(_PROGRESS_END_RE.search(c) for c in clauses):
        return None
    prefix = _common_prefix(clauses)
    suffix = _common_prefix([c[::-1] for c in clauses])
    if prefix + suffix >= shortest:  # repeated clause (``一是一，一是一``), not parallelism
        return None
    shared = prefix + suffix + _shared_frame(clauses, prefix, shortest - suffix)
    if shared < 3 and longest > 10:
        return None
    prosy = sum(1 for c in clauses if _PARTICLE_RE.search(c))
    if shared == 0:
        if n != 2 or longest != shortest or longest > 8 or prosy:
            return None
        # Twin four-character clauses are the classical couplet (``大道之行，天下为公``); prose
        # rarely builds a whole sentence that way, so they need no position to back them.
        return (0.55, "couplet", False) if shortest == 4 else (0.5, "parallel clauses", True)
    score = (0.5 if longest == shortest else 0.4) + min(0.4, 0.12 * shared) - 0.1 * prosy
    if n >= 3:
        score += 0.05
    ze = first.find("则")
    if ze < 0:
        ze = first.find("則")
    if ze > 0 and all(len(c) > ze and c[ze] in "则則" for c in clauses):
        return score + 0.05, "antithesis 则", False
    if prefix:
        return score, "parallel clauses, shared lead", False
    if suffix:
        return score, "parallel clauses, shared ending", False
    return score, "parallel clauses", False


def _shared_frame(clauses: list[str], start: int, stop: int) -> int:
    """Characters the clauses share at the same position: runs of two or more, or frame characters."""
    first = clauses[0]
    same = [all(c[i] == first[i] for c in clauses) for i in range(start, stop)]
    shared = 0
    for i, hit in enumerate(same):
        if not hit:
            continue
        in_run = (i > 0 and same[i - 1]) or (i + 1 < len(same) and same[i + 1])
        if in_run or first[start + i] in _FRAME_CHARS:
            shared += 1
    return shared


def _common_prefix(strings: list[str]) -> int:
    low, high = min(strings), max(strings)  # the extremes bound every other string's prefix
    n = 0
    while n < len(low) and low[n] == high[n]:
        n += 1
    return n
