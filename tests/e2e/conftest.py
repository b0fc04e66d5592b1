"""Browser tests of the reader: Debian's chromium driven by Playwright, against a real server.

They skip (with the reason) when chromium or Playwright is missing; `scripts/test` installs
both. Screenshots and the axe-core reports are written to artifacts/e2e/.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from app.core.db import make_engine, writer
from app.services.ingest import ingest_text
from tests.conftest import REPO, SEED
from tests.databases import drop_database, new_database
from tests.server import running_server

CHROMIUM = os.environ.get("JIANGHUA_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = REPO / "artifacts" / "e2e"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"

# A second speech with metadata, so the list's filters have something to tell apart.
OTHER_TEXT = """在全市科技创新大会上的致辞
同志们：
今天，我们召开全市科技创新大会，表彰一批科技创新的劳模和先进集体。
一、坚持创新驱动
创新是引领发展的第一动力。要大力弘扬劳模精神和科学家精神，加快建设“科技强市”。
二、坚持人才引领
人才是第一资源。要让各类人才的创造活力竞相迸发。
同志们，让我们携手奋进，共创美好未来。
"""
OTHER_METADATA: dict[str, Any] = {"speaker": "李明", "genre": "致辞", "delivered_on": date(2024, 9, 1)}
# A third with no title, no speaker and no date at all, as many real texts arrive.
UNTITLED_TEXT = """同志们：
现在，我就做好今年的防汛抗旱工作讲两点意见。
一、提高思想认识
防汛抗旱关系人民群众生命财产安全。我们要牢固树立“人民至上”的理念。
二、压实工作责任
各级各部门要守土有责、守土尽责。
"""
# scripts/test sets this when it has made sure chromium is there: then a missing browser or
# Playwright is a failure, not a skip, so the browser tests cannot silently stop running.
REQUIRED = os.environ.get("JIANGHUA_E2E_REQUIRED") == "1"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: browser tests (chromium + Playwright), skipped without them")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        reason = f"chromium is not installed ({CHROMIUM}); scripts/test installs it"
        if REQUIRED:
            pytest.fail(reason)
        pytest.skip(reason)
    if REQUIRED:
        import playwright.sync_api as sync_api
    else:
        sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    for old in [*ARTIFACTS.glob("*.png"), *ARTIFACTS.glob("axe-*.json")]:
        old.unlink()  # this run's artifacts only
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def reader(migrated_template: str) -> Iterator[dict[str, Any]]:
    """A server over a database holding the seed speech and one more; its URL and the ids."""
    url = new_database("e2e", template=migrated_template)
    engine = make_engine(url)
    ids = {}
    with Session(writer(engine)) as session:
        ids["seed"] = ingest_text(session=session, raw_text=SEED.read_text(encoding="utf-8")).speech.id
    with Session(writer(engine)) as session:
        ids["other"] = ingest_text(session=session, raw_text=OTHER_TEXT, metadata=OTHER_METADATA).speech.id
    with Session(writer(engine)) as session:
        ids["untitled"] = ingest_text(session=session, raw_text=UNTITLED_TEXT).speech.id
    engine.dispose()
    try:
        with running_server(url) as base:
            yield {"base": base, **ids}
    finally:
        drop_database(url)


@pytest.fixture(scope="module")
def empty_reader(migrated_template: str) -> Iterator[str]:
    """A server over a migrated database that holds no speech yet; its URL."""
    url = new_database("e2e-empty", template=migrated_template)
    try:
        with running_server(url) as base:
            yield base
    finally:
        drop_database(url)


@pytest.fixture
def browser_errors() -> list[str]:
    """Script and console errors of the test's page; a test expecting some (a 404) clears them."""
    return []


@pytest.fixture
def page(browser: Any, reader: dict[str, Any], browser_errors: list[str]) -> Iterator[Any]:
    """A fresh desktop-sized page; the test fails on any script error or console error."""
    context = browser.new_context(
        base_url=reader["base"],
        viewport={"width": 1280, "height": 900},
        locale="zh-CN",
        bypass_csp=True,  # lets the test inject axe-core into pages that allow only their own scripts
    )
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=reader["base"])
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("pageerror", lambda error: browser_errors.append(f"page error: {error}"))
    page.on(
        "console",
        lambda message: (
            browser_errors.append(f"console: {message.text}") if message.type == "error" else None
        ),
    )
    yield page
    context.close()
    assert not browser_errors, browser_errors


def screenshot(page: Any, name: str, *, full_page: bool = False) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def axe_check(page: Any, name: str) -> dict[str, Any]:
    """Run axe-core on the page as it is now; write the report; fail on serious or critical issues."""
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return {url: r.url, violations: r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary}))}))};
        }"""
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"axe-{name}.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, json.dumps(serious, ensure_ascii=False, indent=2)
    return result
