"""Atom feeds of new speeches and quotes, read by a real feed parser; the OpenSearch description."""

from __future__ import annotations

from typing import Any

import feedparser
import pytest
from fastapi.testclient import TestClient
from lxml import etree
from sqlalchemy.engine import Engine

from tests.conftest import import_text

ATOM = "{http://www.w3.org/2005/Atom}"
PROBLEM = "application/problem+json"


def parse(client: TestClient, url: str) -> Any:
    r = client.get(url)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(r.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    check_atom_rules(r.content)
    return feed


def check_atom_rules(body: bytes) -> None:
    """The RFC 4287 MUSTs a feed parser forgives: ids, titles, updated, authors, alternate links."""
    root = etree.fromstring(body)
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert len(root.findall(f"{ATOM}{name}")) == 1, name
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    feed_author = root.find(f"{ATOM}author/{ATOM}name") is not None
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        assert feed_author or entry.find(f"{ATOM}author/{ATOM}name") is not None
        has_content = entry.find(f"{ATOM}content") is not None
        assert has_content or entry.find(f"{ATOM}link[@rel='alternate']") is not None
        alternates = [
            (link.get("type"), link.get("hreflang"))
            for link in entry.findall(f"{ATOM}link[@rel='alternate']")
        ]
        assert len(alternates) == len(set(alternates)), "two alternate links with the same type"


def test_speeches_feed_lists_new_speeches_newest_first(
    portal: TestClient, engine: Engine, seed_id: int
) -> None:
    other = import_text(engine, "在全市工作会议上的讲话\n同志们：\n一、抓发展\n发展是第一要务。")
    feed = parse(portal, "/feeds/speeches.atom")
    assert feed.feed.title == "Jianghua：最新讲话"
    assert [e.link for e in feed.entries][:2] == [
        f"http://testserver/api/v1/speeches/{portal.get(f'/api/v1/speeches/{i}').json()['slug']}"
        for i in (other, seed_id)
    ]
    entry = feed.entries[1]
    assert entry.title == "在“五一”劳动节暨先进模范表彰大会上的讲话"
    assert "今天，在这个风和日丽" in entry.summary
    types = {link.type for link in entry.links}
    assert {"application/json", "text/markdown", "application/akn+xml"} <= types


def test_speeches_feed_filters_by_speaker_and_title_and_drops_withdrawn(
    portal: TestClient, engine: Engine, seed_id: int, auth: dict[str, str]
) -> None:
    other = import_text(engine, "在全市工作会议上的讲话\n同志们：\n一、抓发展\n发展是第一要务。")
    portal.patch(f"/api/v1/speeches/{other}", json={"speaker": "李四", "keywords": ["发展"]}, headers=auth)
    feed = parse(portal, "/feeds/speeches.atom?speaker=李四")
    assert [e.title for e in feed.entries] == ["在全市工作会议上的讲话"]
    assert feed.entries[0].author == "李四"
    assert {t.term for t in feed.entries[0].tags} == {"发展"}
    assert [e.title for e in parse(portal, "/feeds/speeches.atom?q=劳动节").entries] == [
        "在“五一”劳动节暨先进模范表彰大会上的讲话"
    ]
    portal.delete(f"/api/v1/speeches/{seed_id}", headers=auth)
    assert len(parse(portal, "/feeds/speeches.atom").entries) == 1


def test_quotes_feed_by_kind_and_keyword(portal: TestClient, seed_id: int) -> None:
    golden = parse(portal, "/feeds/quotes.atom?kind=golden")
    assert golden.feed.title == "Jianghua：最新金句"
    listed = portal.get("/api/v1/quotes", params={"kind": "golden", "limit": 100}).json()
    assert len(golden.entries) == listed["total"]
    assert all(t.term == "golden" for e in golden.entries for t in e.tags[:1])
    ids = [int(e.id.rsplit("/", 1)[1]) for e in golden.entries]
    assert ids == sorted(ids, reverse=True)
    entry = golden.entries[-1]
    assert entry.content[0].value == "劳动创造财富，劳动成就未来。"
    assert {link.type for link in entry.links} >= {"application/json", "text/html"}
    keyword = parse(portal, "/feeds/quotes.atom?q=劳动&kind=golden")
    assert keyword.entries and all("劳动" in e.content[0].value for e in keyword.entries)
    assert len(keyword.entries) < len(golden.entries)
    assert parse(portal, "/feeds/quotes.atom?speaker=nobody").entries == []


def test_feed_answers_304_when_nothing_changed(portal: TestClient, seed_id: int) -> None:
    first = portal.get("/feeds/quotes.atom")
    again = portal.get("/feeds/quotes.atom", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


@pytest.mark.parametrize(
    "url", ["/feeds/quotes.atom?kind=funny", "/feeds/speeches.atom?limit=0", "/feeds/quotes.atom?limit=101"]
)
def test_bad_feed_parameters_are_422(portal: TestClient, url: str) -> None:
    r = portal.get(url)
    assert (r.status_code, r.headers["content-type"]) == (422, PROBLEM)


def test_unsearchable_keywords_are_400(portal: TestClient, seed_id: int) -> None:
    r = portal.get("/feeds/quotes.atom", params={"q": "，。"})
    assert (r.status_code, r.json()["type"]) == (400, "/problems/invalid-query")


def test_empty_feed_is_still_valid(portal: TestClient) -> None:
    feed = parse(portal, "/feeds/speeches.atom")
    assert feed.entries == [] and feed.feed.updated == "1970-01-01T00:00:00Z"


def test_opensearch_description_points_at_search(portal: TestClient) -> None:
    r = portal.get("/opensearch.xml")
    assert r.headers["content-type"].startswith("application/opensearchdescription+xml")
    root = etree.fromstring(r.content)
    ns = {"os": "http://a9.com/-/spec/opensearch/1.1/"}
    assert root.tag == "{http://a9.com/-/spec/opensearch/1.1/}OpenSearchDescription"
    assert len(root.findtext("os:ShortName", namespaces=ns)) <= 16
    assert len(root.findtext("os:Description", namespaces=ns)) <= 1024
    templates = {u.get("type"): u.get("template") for u in root.iterfind("os:Url", ns)}
    assert templates["application/json"] == "http://testserver/api/v1/search?q={searchTerms}"
    assert "{searchTerms}" in templates["application/atom+xml"]
    feed = portal.get("/feeds/quotes.atom").content
    link = etree.fromstring(feed).find(f"{ATOM}link[@rel='search']")
    assert link.get("href") == "http://testserver/opensearch.xml"
