"""The signature that ends a letter or an official document: a date line, with the signer's name
(王某 / 市长 王某) or the issuing organisation (某某市人民政府) on the lines above it. It is trailing
matter (footnotes), and lends the speaker and date to metadata the front matter left empty; an
issuing organisation signs like a byline but is no speaker."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from app.parser.chrome import closed_byline, is_byline
from app.parser.dates import is_date_line, iso_date
from app.parser.lines import Line
from app.parser.nodes import Metadata
from app.parser.outline import SIGNOFF

# The issuer that signs an official document (某某市人民政府 / 中共某某市委办公室 / 某某省教育厅 /
# 国务院): an organisation's name, which signs like a byline but is no speaker.
_ISSUER = re.compile(
    r"^[\u4e00-\u9fff（）()·]{1,28}(?:人民政府|政府|委员会|委員會|办公厅|辦公廳|办公室|辦公室|党委|黨委|党组|黨組"
    r"|中央|国务院|國務院|[部局厅廳委署院会會处處所社])$"
)
_ISSUERS_MAX = 40


def is_issuer(text: str) -> bool:
    """The name of an issuing organisation, or several separated by spaces (中共中央 国务院)."""
    return len(text) <= _ISSUERS_MAX and all(_ISSUER.match(x) for x in text.split())


_SIGNERS = 2  # signature lines above the date: a name, or one or two issuers


def signature_start(lines: Sequence[Line], body_start: int, end: int) -> int:
    """Index of the signature that ends ``lines[:end]``, or end: a date line, with the signer's
    name (王某 / 市长 王某) or the issuing organisation (某某市人民政府) on the lines above it.
    The body keeps at least one line."""
    if end - 1 <= body_start or not is_date_line(lines[end - 1].text):
        return end
    i = end - 1
    while i - 1 > body_start and end - i <= _SIGNERS and _signer(lines[i - 1].text):
        i -= 1
    return i


def _signer(text: str) -> bool:
    """A signer's line; never a sign-off without its mark (谢谢大家) that a byline's shape fits."""
    return is_issuer(text) or (is_byline(text) and not SIGNOFF.search(text))


def signed(meta: Metadata, signature: Sequence[str]) -> Metadata:
    """The metadata with the speaker and date of a letter's or a document's signature (王某 /
    2020年5月1日) where the front matter gives none; an issuing organisation is no speaker."""
    if not signature:
        return meta
    date = meta.date or iso_date(signature[-1])
    person = next((t for t in signature[:-1] if is_byline(t) and not is_issuer(t)), None)
    speaker = meta.speaker or (closed_byline(person) if person else None)
    return replace(meta, speaker=speaker, date=date)
