"""decode(): every encoding speeches are found in, detected without being told; never raises."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.parser import decode

SIMPLIFIED = (
    "同志们：\n今天，我们隆重集会，共同庆祝劳动者自己的节日，表彰全市各条战线涌现出的劳动模范和先进工作者。\n"
    "一、要尊重劳动、尊重劳模、尊重劳动者\n中华人民共和国是劳动者当家作主的国度，我们要继续学习和弘扬劳模精神。\n"
)
TRADITIONAL = (
    "各位友邦的元首與貴賓，大家好：\n今天是中華民國的元旦，我要向全體國人同胞表達誠摯的感謝。\n"
    "第一、經濟結構的轉型\n我們要打造一個更好的國家，讓臺灣的經濟結構轉型，這是新政府必須承擔的使命。\n"
)


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        (SIMPLIFIED, "utf-8"),
        (SIMPLIFIED, "utf-8-sig"),
        (SIMPLIFIED, "utf-16"),
        (SIMPLIFIED, "utf-16-be"),
        (SIMPLIFIED, "gb18030"),
        (SIMPLIFIED, "gbk"),
        (TRADITIONAL, "big5"),
        (TRADITIONAL, "cp950"),
        (TRADITIONAL, "utf-16"),
        (TRADITIONAL, "utf-8-sig"),
    ],
)
def test_decode_detects_encoding(text: str, codec: str) -> None:
    data = text.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    assert decode(data) == text


def test_decode_forced_encoding_wins() -> None:
    data = SIMPLIFIED.encode("gb18030")
    assert decode(data, encoding="gb18030") == SIMPLIFIED
    assert decode(data, encoding="latin-1") == data.decode("latin-1")


def test_decode_unknown_encoding_name_falls_back_to_detection() -> None:
    assert decode(SIMPLIFIED.encode("utf-8"), encoding="no-such-codec") == SIMPLIFIED


def test_decode_empty() -> None:
    assert decode(b"") == ""


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_decode_never_raises(data: bytes) -> None:
    assert isinstance(decode(data), str)
