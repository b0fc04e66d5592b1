"""Quote cards for iframes on other sites, and oEmbed: markup, accessibility, escaping, CSP, themes."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from typing import Any

import html5lib
import pytest
from fastapi.testclient import TestClient
from lxml import etree
from sqlalchemy import text
from sqlalchemy.engine import Engine

from app.services.embeds import PALETTES
from tests.conftest import wire
from tests.integration.conftest import portal_app

PROBLEM = "application/problem+json"
XHTML = {"h": "http://www.w3.org/1999/xhtml"}
EVIL = "</script><script>alert(\"x\")</script> <img src=x onerror=alert(1)> & “引号” '单'"


def section_link(client: TestClient, speech_id: int, eid: str) -> str:
    """The reader page of the section when the app serves reader pages, else the API section."""
    if any(getattr(r, "path", None) == "/speeches/{speech}" for r in client.app.routes):  # type: ignore[attr-defined]
        return f"http://testserver/speeches/{speech_id}#{eid}"
    slug = client.get(f"/api/v1/speeches/{speech_id}").json()["slug"]
    return f"http://testserver/api/v1/speeches/{slug}/sections/{eid}"


def card(client: TestClient, url: str) -> tuple[Any, etree._Element]:
    r = client.get(url)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    html5lib.HTMLParser(strict=True).parse(r.text)  # no HTML5 parse error at all
    root = etree.fromstring(r.text.encode().replace(b"<!DOCTYPE html>", b""))  # well-formed as XML too
    return r, root


def test_card_shows_quote_speaker_occasion_date_and_link(
    portal: TestClient, seed_id: int, auth: dict[str, str]
) -> None:
    portal.patch(
        f"/api/v1/speeches/{seed_id}", json={"speaker": "张三", "delivered_on": "2024-05-01"}, headers=auth
    )
    _r, root = card(portal, "/embed/quotes/1")
    assert root.get("lang") == "zh-CN"
    assert root.findtext("head/title") == "“劳动创造财富，劳动成就未来。”——张三"
    figure = root.find("body/main/figure")
    # One main landmark and one heading (visually hidden) that names the card, for screen readers.
    assert root.find("body/main/h1").text == "金句"
    assert figure.get("aria-labelledby") == root.find("body/main/h1").get("id")
    assert "".join(figure.find("blockquote/p").itertext()) == "劳动创造财富，劳动成就未来。"
    caption = "".join(figure.find("figcaption").itertext())
    assert "张三" in caption and "“五一”劳动节暨先进模范表彰大会" in caption and "2024年05月01日" in caption
    assert figure.find("figcaption/time").get("datetime") == "2024-05-01"
    link = figure.find("figcaption/a")
    assert link.get("href") == section_link(portal, seed_id, "preamble")
    assert link.get("target") == "_blank" and "noopener" in link.get("rel")
    assert "在新窗口打开" in "".join(link.itertext())  # the new window is announced
    assert figure.find("blockquote").get("cite") == link.get("href")


def test_card_is_script_free_with_json_ld(portal: TestClient, seed_id: int) -> None:
    _r, root = card(portal, "/embed/quotes/5")
    scripts = root.findall(".//script")
    assert [s.get("type") for s in scripts] == ["application/ld+json"]
    data = json.loads(scripts[0].text)
    assert data["@type"] == "Quotation" and data["text"].startswith("劳动是一切有劳动能力的公民")
    assert data["citation"] == {"@type": "CreativeWork", "name": "宪法"}
    assert data["isPartOf"]["@type"] == "CreativeWork"
    assert not root.xpath(".//@*[starts-with(name(), 'on')]")
    assert not root.findall(".//img") and not root.findall(".//iframe")


def test_card_headers_allow_framing_only_by_the_configured_sites(engine: Engine, seed_id: int) -> None:
    app = portal_app(
        embed_frame_ancestors=["https://www.example.gov.cn", "https://*.portal.cn", "bad; script-src *"]
    )
    with TestClient(wire(app, engine)) as client:
        r = client.get("/embed/quotes/1")
    policy = dict(part.strip().split(" ", 1) for part in r.headers["content-security-policy"].split(";"))
    assert policy["frame-ancestors"] == "https://www.example.gov.cn https://*.portal.cn"
    assert policy["default-src"] == "'none'" and policy["base-uri"] == "'none'"
    assert "script-src" not in policy  # nothing may run; the invalid source was dropped
    css = re.search(r"<style>(.*?)</style>", r.text, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    assert policy["style-src"] == f"'sha256-{digest}'"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "x-frame-options" not in r.headers


def test_default_policy_lets_any_site_frame_the_card(portal: TestClient, seed_id: int) -> None:
    r = portal.get("/embed/quotes/1")
    assert r.headers["content-security-policy"].endswith("frame-ancestors *")


def test_card_links_to_the_reader_page_or_a_configured_portal_page(engine: Engine, seed_id: int) -> None:
    app = portal_app()
    if not any(getattr(r, "path", None) == "/speeches/{speech}" for r in app.routes):
        app.add_api_route("/speeches/{speech}", lambda speech: None, include_in_schema=False)
    with TestClient(wire(app, engine)) as client:
        link = card(client, "/embed/quotes/5")[1].find("body/main/figure/figcaption/a").get("href")
    assert link == f"http://testserver/speeches/{seed_id}#part_1"
    template = "https://www.example.gov.cn/jh/{slug}.html?q={quote_id}#{eid}"
    with TestClient(wire(portal_app(embed_link_template=template), engine)) as client:
        slug = client.get(f"/api/v1/speeches/{seed_id}").json()["slug"]
        link = card(client, "/embed/quotes/5")[1].find("body/main/figure/figcaption/a").get("href")
    assert link == f"https://www.example.gov.cn/jh/{slug}.html?q=5#part_1"


def test_self_only_policy_also_sends_x_frame_options(engine: Engine, seed_id: int) -> None:
    with TestClient(wire(portal_app(embed_frame_ancestors=["'self'"]), engine)) as client:
        r = client.get("/embed/quotes/1")
    assert r.headers["x-frame-options"] == "SAMEORIGIN"


def test_stored_text_is_escaped_everywhere(portal: TestClient, engine: Engine, seed_id: int) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE quote SET text = :t WHERE id = 1"), {"t": EVIL})
        conn.execute(
            text("UPDATE speech SET speaker = :t, title = :t WHERE id = :id"), {"t": EVIL, "id": seed_id}
        )
    r, root = card(portal, "/embed/quotes/1")
    assert "".join(root.find("body/main/figure/blockquote/p").itertext()) == EVIL
    assert len(root.findall(".//script")) == 1 and not root.findall(".//img")
    data = json.loads(root.find(".//script").text)
    assert data["text"] == EVIL and data["spokenByCharacter"]["name"] == " ".join(EVIL.split())
    assert "</script><script>" not in r.text.split("<body>")[0].split('type="application/ld+json">')[1]
    oembed = portal.get("/oembed", params={"url": "http://testserver/embed/quotes/1"}).json()
    iframe = etree.fromstring(oembed["html"].encode())  # one element: the text stayed inside title=""
    assert iframe.tag == "iframe" and len(iframe) == 0 and iframe.get("title") == oembed["title"]
    assert oembed["title"].startswith("“</script><script>")


@pytest.mark.parametrize(
    "query",
    [
        "accent=red",
        "accent=%23c8102e;x:y",
        "theme=neon",
        "radius=99",
        "size=xl",
        "font=comic",
        "border=maybe",
    ],
)
def test_invalid_theme_parameters_are_422(portal: TestClient, seed_id: int, query: str) -> None:
    r = portal.get(f"/embed/quotes/1?{query}")
    assert (r.status_code, r.headers["content-type"]) == (422, PROBLEM)


def test_theme_parameters_change_the_style(portal: TestClient, seed_id: int) -> None:
    _r, root = card(
        portal, "/embed/quotes/1?theme=dark&accent=%23004488&font=sans&size=l&border=false&radius=0"
    )
    css = root.findtext("head/style")
    assert "--jh-bg:#0d1117" in css and "--jh-accent:#004488" in css and "--jh-radius:0px" in css
    assert "sans-serif" in css and "1.375rem" in css
    canonical = root.find("head/link[@rel='canonical']").get("href")
    assert (
        canonical
        == "http://testserver/embed/quotes/1?theme=dark&accent=004488&font=sans&size=l&border=false&radius=0"
    )
    auto = portal.get("/embed/quotes/1?theme=auto").text
    assert "prefers-color-scheme: dark" in auto


def contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("palette", list(PALETTES))
def test_palettes_meet_wcag_aa_contrast(palette: str) -> None:
    background, foreground, secondary = PALETTES[palette]
    assert contrast(foreground, background) >= 7
    assert contrast(secondary, background) >= 4.5


def test_random_card_picks_a_quote_of_the_kind(portal: TestClient, seed_id: int) -> None:
    r, root = card(portal, "/embed/quotes/random?kind=golden&seed=2024-05-01")
    assert "jh-golden" in root.find("body/main/figure").get("class")
    again = portal.get("/embed/quotes/random?kind=golden&seed=2024-05-01")
    assert again.text == r.text
    assert portal.get("/embed/quotes/random?kind=golden").headers["cache-control"] == "no-store"


def test_missing_and_withdrawn_quotes_are_404(portal: TestClient, seed_id: int, auth: dict[str, str]) -> None:
    assert portal.get("/embed/quotes/99999").status_code == 404
    portal.delete(f"/api/v1/speeches/{seed_id}", headers=auth)
    r = portal.get("/embed/quotes/1")
    assert (r.status_code, r.headers["content-type"]) == (404, PROBLEM)
    assert portal.get("/embed/quotes/random").status_code == 404


def test_oembed_answers_rich_iframe_json_and_xml(portal: TestClient, seed_id: int) -> None:
    url = "http://testserver/embed/quotes/1?theme=dark"
    data = portal.get("/oembed", params={"url": url, "maxwidth": 400}).json()
    assert (data["version"], data["type"], data["provider_name"]) == ("1.0", "rich", "Jianghua")
    assert data["width"] == 400 and data["height"] > 0
    iframe = etree.fromstring(data["html"].encode())
    assert iframe.get("src") == "http://testserver/embed/quotes/1?theme=dark"
    assert iframe.get("title") and iframe.get("sandbox") == "allow-popups allow-popups-to-escape-sandbox"
    xml = portal.get("/oembed", params={"url": url, "format": "xml", "maxwidth": 400})
    root = etree.fromstring(xml.content)
    assert root.tag == "oembed" and root.findtext("type") == "rich" and root.findtext("html") == data["html"]
    api_url = portal.get("/oembed", params={"url": "http://testserver/api/v1/quotes/1"}).json()
    assert etree.fromstring(api_url["html"].encode()).get("src") == "http://testserver/embed/quotes/1"
    rnd = portal.get("/oembed", params={"url": "http://testserver/embed/quotes/random?kind=golden"}).json()
    assert (
        etree.fromstring(rnd["html"].encode()).get("src")
        == "http://testserver/embed/quotes/random?kind=golden"
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/embed/quotes/1",
        "http://testserver/api/v1/speeches/1",
        "http://testserver/embed/quotes/abc",
        "http://testserver.evil/embed/quotes/1",
        "javascript:alert(1)",
    ],
)
def test_oembed_refuses_urls_that_are_not_our_cards(portal: TestClient, seed_id: int, url: str) -> None:
    r = portal.get("/oembed", params={"url": url})
    assert (r.status_code, r.headers["content-type"]) == (404, PROBLEM)


def test_card_advertises_its_oembed(portal: TestClient, seed_id: int) -> None:
    _, root = card(portal, "/embed/quotes/1")
    href = root.find("head/link[@type='application/json+oembed']").get("href")
    r = portal.get(href.removeprefix("http://testserver"))
    assert r.status_code == 200 and r.json()["type"] == "rich"


@pytest.mark.parametrize(
    "url", ["http://testserver/embed/quotes/1?accent=red", "http://testserver/embed/quotes/random?kind=funny"]
)
def test_oembed_refuses_card_urls_with_invalid_parameters(portal: TestClient, seed_id: int, url: str) -> None:
    r = portal.get("/oembed", params={"url": url})
    assert (r.status_code, r.json()["type"]) == (400, "/problems/bad-request")
