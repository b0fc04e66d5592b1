"""Corpus-wide views as portals consume them: streamed bulk exports and feeds revalidate like
everything else, and every XML document stays well-formed whatever the stored text holds."""

from __future__ import annotations

from datetime import datetime
from email.utils import parsedate_to_datetime

import pytest
from fastapi.testclient import TestClient
from lxml import etree
from sqlalchemy import text
from sqlalchemy.engine import Engine

from tests.conftest import import_text

IDENTITY = {"Accept-Encoding": "identity"}
GZIP = {"Accept-Encoding": "gzip"}


@pytest.mark.parametrize("url", ["/api/v1/quotes.csv", "/api/v1/quotes.ndjson?kind=golden"])
def test_streamed_bulk_exports_have_a_strong_etag_and_answer_304(
    portal: TestClient, engine: Engine, seed_id: int, auth: dict[str, str], url: str
) -> None:
    first = portal.get(url, headers=IDENTITY)
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert first.headers["last-modified"]
    assert "accept-encoding" in first.headers["vary"].lower()  # the gzip variant is another representation
    again = portal.get(url, headers={**IDENTITY, "If-None-Match": etag})
    assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", etag)
    # Another question, another tag.
    assert portal.get(url + ("&" if "?" in url else "?") + "max_len=10").headers["etag"] != etag
    # The gzip representation is another representation: its own tag, and its own 304.
    zipped = portal.get(url, headers=GZIP)
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.headers["etag"] == etag[:-1] + '-gz"'
    assert zipped.content == first.content  # httpx decoded it: the same bytes
    not_modified = portal.get(url, headers={**GZIP, "If-None-Match": zipped.headers["etag"]})
    assert (not_modified.status_code, not_modified.headers["etag"]) == (304, zipped.headers["etag"])
    # Any change to the corpus changes the tag.
    import_text(engine, "在全市工作会议上的讲话\n同志们：\n“中国梦”是我们的梦。")
    changed = portal.get(url, headers={**IDENTITY, "If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag


@pytest.mark.parametrize("url", ["/feeds/speeches.atom", "/feeds/quotes.atom?kind=golden"])
def test_feeds_send_last_modified_that_moves_forward_even_when_entries_go(
    portal: TestClient, engine: Engine, auth: dict[str, str], seed_id: int, url: str
) -> None:
    newer = import_text(engine, "在全市工作会议上的讲话\n同志们：\n劳动创造财富，劳动成就未来。")
    with engine.begin() as conn:  # everything so far happened long ago
        conn.execute(text("UPDATE change SET at = :t"), {"t": datetime(2024, 5, 1, 8, 0, 0)})
    first = portal.get(url)
    modified = first.headers["last-modified"]
    assert modified == "Wed, 01 May 2024 08:00:00 GMT"
    # Feed readers that keep only Last-Modified get their 304.
    assert portal.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    # Withdrawing the newest speech removes its entries: no remaining entry is newer than before,
    # yet the feed changed, so Last-Modified must move on and If-Modified-Since must not get a 304.
    assert portal.delete(f"/api/v1/speeches/{newer}", headers=auth).status_code == 204
    after = portal.get(url, headers={"If-Modified-Since": modified})
    assert after.status_code == 200
    assert parsedate_to_datetime(after.headers["last-modified"]) > parsedate_to_datetime(modified)


def test_xml_exports_stay_well_formed_whatever_the_text_holds(portal: TestClient, engine: Engine) -> None:
    # The normaliser keeps U+FFFE (a noncharacter XML cannot carry); exports must still parse.
    speech = import_text(engine, "非字符测试\n一、甲\ufffe乙。\n“劳动\uffff最光荣”。")
    for url in (f"/api/v1/speeches/{speech}/export?format=akn", "/feeds/speeches.atom", "/feeds/quotes.atom"):
        r = portal.get(url)
        assert r.status_code == 200, url
        etree.fromstring(r.content)  # well-formed, or this raises
        assert "\ufffd" in r.text, url
