"""Pinyin keys for the small term table, so ``laomo`` or ``lmjs`` can suggest 劳模 and 劳模精神.

Pinyin is never part of the main index (too slow and too ambiguous at sentence level, see the
research note); it is computed per term, a few thousand of them.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import opencc

from app.search.tokens import HAN_CHARS

_NOT_KEY = re.compile("[^0-9a-z]+")
# A Han run (read as pinyin, phrase-aware) or a stretch of anything else (kept if [a-z0-9]).
_PART = re.compile(f"([{HAN_CHARS}]+)|([^{HAN_CHARS}]+)")


@functools.cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _ascii_key(text: str) -> str:
    return _NOT_KEY.sub("", unicodedata.normalize("NFKC", text).casefold().replace("ü", "v"))


def term_keys(term: str) -> tuple[str, str]:
    """(full pinyin, initials) of ``term``, toneless and without separators, for prefix lookup.

    劳模精神 -> ("laomojingshen", "lmjs"); 绿色 -> ("lvse", "ls") (ü is typed v); Traditional
    input gives the same keys (勞模 -> "laomo"). Heteronyms take pypinyin's phrase-aware default
    (重庆 -> chongqing, 银行 -> yinhang). Latin letters and digits stay as written, lower-cased, in
    both keys (5G网络 -> ("5gwangluo", "5gwl")); other characters are left out. Both keys contain
    only [a-z0-9].
    """
    from pypinyin import lazy_pinyin  # loads ~20 MB of dictionaries: only for callers that need it

    text = unicodedata.normalize("NFKC", term.encode("utf-8", "ignore").decode("utf-8"))
    # Phrase-level t2s here (unlike index folding): pypinyin reads Simplified phrases best, and
    # OpenCC keeps phrases such as 乾隆 whose characters would otherwise convert wrongly.
    text = str(_t2s().convert(text)).casefold()
    full: list[str] = []
    initials: list[str] = []
    for han, other in _PART.findall(text):
        if han:
            syllables = [s for s in (_ascii_key(p) for p in lazy_pinyin(han)) if s]
            full.extend(syllables)
            initials.extend(s[0] for s in syllables)
        else:
            key = _ascii_key(other)
            full.append(key)
            initials.append(key)
    return "".join(full), "".join(initials)


def normalise_prefix(prefix: str) -> str:
    """Normalise typed pinyin for a prefix lookup against ``term_keys``: "Lao Mo" -> "laomo".

    NFKC, lower case, ü -> v, and everything but [a-z0-9] removed (spaces, apostrophes as in
    xi'an, tone marks' leftovers, Han characters), so the result is safe in ``LIKE 'prefix%'``.
    An empty result means there is nothing to look up.
    """
    text = unicodedata.normalize("NFKD", prefix.encode("utf-8", "ignore").decode("utf-8").casefold())
    # Tone marks go (lǎo -> lao) but the diaeresis of ü is the letter v on a pinyin keyboard.
    text = text.replace("u\u0308", "v")
    return _ascii_key("".join(c for c in text if not unicodedata.combining(c)))
