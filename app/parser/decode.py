"""Bytes -> str for speech files in any of the encodings they are found in. Never raises."""

from __future__ import annotations

import codecs
import re

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Frequent characters of official prose, Simplified and Traditional. Text decoded with the
# right codec is dense in them; the wrong East Asian codec yields rare characters instead.
_COMMON = frozenset(
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后"
    "作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因"
    "只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应"
    "战向头文体政美相见被利什二等产或新己制身果加西月话合回特代内信表化老给世位次度门任常先海通教儿原"
    "东声提立及比员解水名真论处走义各入几口认条平系气题活更别打女变四神总何电数安少报才结反受目太量再"
    "感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光"
    "放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院"
    "让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远"
    "叫台单影具罗字爱击流备兵连调深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断"
    "精满支视消越器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医"
    "們這個來為國說時會對後發經過還進現實動當開學問關樣體點長麼與話從應無種見頭間義區幾產員機線條將總"
    "報設內處裡權強統變質東兩門業軍聲書車結參灣臺萬華觀師論歷環際數經濟黨務農護識邊陸龍團醫協務歲聯"
    "们这个来为国说时会对后发经过还进现实动当开学问关样体点长么与话从应无种见头间义区几产员机线条将总"
)
_COMMON_RE = re.compile("[" + "".join(sorted(_COMMON)) + "]")
_HAN_RE = re.compile("[\u4e00-\u9fff]")
# Replacement characters, private-use code points and C0 controls mark a wrong guess.
_BAD_RE = re.compile("[\ufffd\ue000-\uf8ff\x00-\x08]")
_CANDIDATES = ("gb18030", "big5hkscs", "cp950", "utf-16")


def decode(data: bytes, encoding: str | None = None) -> str:
    """Decode ``data``: forced ``encoding`` if given and known, else BOM, UTF-8, then the best
    of GB18030 and Big5 by share of common Han characters. Undecodable bytes become U+FFFD."""
    if encoding:
        try:
            return data.decode(encoding, errors="replace")
        except LookupError:
            pass  # an unknown codec name: fall back to detection rather than fail
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best, best_score = None, float("-inf")
    sample = data[:65536]
    for codec in _CANDIDATES:
        if codec == "utf-16" and len(sample) % 2:
            continue
        decoded = sample.decode(codec, errors="replace")
        score = _score(decoded)
        if score > best_score:
            best, best_score = codec, score
    if best is None or best_score <= 0:
        return data.decode("utf-8", errors="replace")
    return data.decode(best, errors="replace")


def _score(text: str) -> float:
    if not text:
        return 0.0
    common = len(_COMMON_RE.findall(text))
    han = len(_HAN_RE.findall(text))
    bad = len(_BAD_RE.findall(text))
    return (common * 3 + han * 0.1 - bad * 5) / len(text)
