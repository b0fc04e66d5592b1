"""A quote card embedded in another site, end to end: a portal page on its own origin (a second
HTTP server) puts GET /embed/quotes/{id} in an iframe; headless chromium shows it, with the card's
real Content-Security-Policy (no bypass_csp here), and axe-core checks the card's own document.

The card allows no script at all (default-src 'none'), so axe-core cannot be added to it as a
<script> element; it is evaluated in the frame through the DevTools protocol instead (Playwright's
frame.evaluate), which the page's CSP does not govern. Screenshots: embed-card-in-iframe*.png,
axe reports: axe-embed*.json, in artifacts/e2e/.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest

from tests.e2e.conftest import ARTIFACTS, AXE, screenshot
from tests.server import running_server

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = sync_api.expect

pytestmark = pytest.mark.e2e

PORTAL = """<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8" /><title>某市人民政府门户网站</title><link rel="icon" href="data:," /></head>
<body>
<main>
<h1>每日金句</h1>
<iframe title="引文卡片" src="{src}" width="600" height="260" style="border:0"></iframe>
</main>
</body>
</html>
"""
AXE_RUN = """async () => {
    const r = await axe.run(document, {resultTypes: ['violations']});
    return {url: r.url, violations: r.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary}))}))};
}"""


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """Another origin: a static file server on its own loopback port; its base URL and folder."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", tmp_path
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def golden(db_url: str, seed_id: int) -> Iterator[dict[str, Any]]:
    """The API over the seed speech; its base URL and the first golden quote (as the API lists it)."""
    with running_server(db_url) as base:
        answer = httpx.get(f"{base}/api/v1/quotes", params={"kind": "golden", "limit": 1}, timeout=10)
        answer.raise_for_status()
        yield {"base": base, "speech": seed_id, **answer.json()["data"][0]}


@pytest.fixture
def portal_page(browser: Any) -> Iterator[tuple[Any, list[str]]]:
    """A page with the cards' CSP enforced, and every console error or script error it logs."""
    context = browser.new_context(viewport={"width": 800, "height": 480}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
    yield page, errors
    context.close()


def open_portal(page: Any, portal: tuple[str, Path], name: str, src: str) -> Any:
    """Write the portal page framing `src`, open it (load waits for the iframe); the iframe element."""
    base, folder = portal
    (folder / name).write_text(PORTAL.format(src=src), encoding="utf-8")
    page.goto(f"{base}/{name}", wait_until="load")
    return page.locator('iframe[title="引文卡片"]')


def axe_in_frame(frame: Any, name: str) -> dict[str, Any]:
    """axe-core over the frame's document (evaluated over CDP: the card's CSP allows no script)."""
    frame.evaluate(AXE.read_text(encoding="utf-8"))
    result: dict[str, Any] = frame.evaluate(AXE_RUN)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"axe-{name}.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    # A card is small enough to be held to every rule, best practices (landmarks, a heading) included.
    assert not result["violations"], json.dumps(result["violations"], ensure_ascii=False, indent=2)
    return result


def test_card_in_a_portal_iframe(
    portal_page: tuple[Any, list[str]], portal: tuple[str, Path], golden: dict[str, Any]
) -> None:
    page, errors = portal_page
    api, quote = golden["base"], golden
    assert api != portal[0]  # two origins: two ports on 127.0.0.1

    iframe = open_portal(page, portal, "portal.html", f"{api}/embed/quotes/{quote['id']}")
    card = page.frame_locator('iframe[title="引文卡片"]')
    expect(card.locator("blockquote p")).to_have_text(quote["text"])
    expect(card.get_by_text(quote["text"], exact=True)).to_be_visible()
    expect(card.get_by_role("figure", name="金句")).to_be_visible()
    expect(card.get_by_role("heading", level=1, name="金句")).to_be_attached()  # visually hidden
    link = card.get_by_role("link", name=re.compile("在新窗口打开"))
    expect(link).to_have_attribute("href", f"{api}/speeches/{quote['speech']}#{quote['eid']}")
    expect(link).to_have_attribute("target", "_blank")
    frame = iframe.element_handle().content_frame()
    assert frame.url == f"{api}/embed/quotes/{quote['id']}"
    assert frame.evaluate("document.documentElement.lang") == "zh-CN"
    # Its style came in under the CSP's hash: the accent bar is drawn (4px, #c8102e).
    bar = frame.evaluate("getComputedStyle(document.querySelector('.jh-card')).borderLeft")
    assert bar == "4px solid rgb(200, 16, 46)", bar
    screenshot(page, "embed-card-in-iframe")
    assert not errors, errors  # no CSP report (a blocked style, frame or script) nor any other error

    # The card allows no script: a <script> element added to it is refused by its CSP.
    with pytest.raises(sync_api.Error, match="Content Security Policy"):
        frame.add_script_tag(content="window.__injected = true")
    assert frame.evaluate("window.__injected === undefined")
    assert len(errors) == 1 and "Content Security Policy" in errors[0], errors
    errors.clear()
    axe_in_frame(frame, "embed")

    # The dark theme, in the same portal.
    iframe = open_portal(page, portal, "portal-dark.html", f"{api}/embed/quotes/{quote['id']}?theme=dark")
    card = page.frame_locator('iframe[title="引文卡片"]')
    expect(card.get_by_text(quote["text"], exact=True)).to_be_visible()
    frame = iframe.element_handle().content_frame()
    background = frame.evaluate("getComputedStyle(document.querySelector('.jh-card')).backgroundColor")
    assert background == "rgb(13, 17, 23)", background  # #0d1117
    screenshot(page, "embed-card-in-iframe-dark")
    assert not errors, errors
    axe_in_frame(frame, "embed-dark")


def test_card_refused_to_a_portal_not_in_frame_ancestors(
    portal_page: tuple[Any, list[str]], portal: tuple[str, Path], golden: dict[str, Any], db_url: str
) -> None:
    page, errors = portal_page
    allowed_only = {"JIANGHUA_EMBED_FRAME_ANCESTORS": '["http://127.0.0.1:1"]'}
    with running_server(db_url, **allowed_only) as api:
        src = f"{api}/embed/quotes/{golden['id']}"
        served = httpx.get(src, timeout=10)
        assert served.status_code == 200
        assert "frame-ancestors http://127.0.0.1:1" in served.headers["content-security-policy"]
        assert golden["text"] in served.text  # served, so what the portal misses chromium refused

        iframe = open_portal(page, portal, "portal-refused.html", src)
        expect(iframe).to_be_attached()
        frame = iframe.element_handle().content_frame()
        text = frame.evaluate("document.documentElement ? document.documentElement.textContent : ''")
        assert golden["text"] not in text
        assert not frame.url.startswith(api), frame.url  # chromium's error page, not the card
        expect(page.frame_locator('iframe[title="引文卡片"]').locator("figure.jh-card")).to_have_count(0)
        assert any('"frame-ancestors http://127.0.0.1:1"' in e for e in errors), errors  # refused by CSP
        screenshot(page, "embed-card-refused")
