"""README must document every CLI command, every setting and every API route."""

from __future__ import annotations

import argparse
import re
import shlex
import struct

from fastapi.testclient import TestClient

from app.cli import build_parser
from app.core.config import Settings
from app.main import create_app
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def commands(parser: argparse.ArgumentParser, prefix: str = "") -> list[str]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append(f"{prefix}{name}")
                found += commands(sub, f"{prefix}{name} ")
    return found


def test_every_cli_command_is_in_the_readme() -> None:
    missing = [
        c for c in commands(build_parser()) if f"app {c}" not in README and f"jianghua {c}" not in README
    ]
    assert not missing, f"README lacks: {missing}"


def test_every_setting_is_in_the_readme() -> None:
    missing = [
        f"JIANGHUA_{name.upper()}"
        for name in Settings.model_fields
        if f"JIANGHUA_{name.upper()}" not in README
    ]
    assert not missing, f"README's configuration table lacks: {missing}"


def test_every_route_is_in_the_readme() -> None:
    documented = README.replace("%E5", "")
    missing = []
    for route in create_app().routes:
        path = getattr(route, "path", "")
        if path in ("/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc") or path.startswith(
            "/problems"
        ):
            continue
        # /api/v1/speeches/{speech}/sections/{eid} is documented by an example such as …/speeches/1/sections/part_2.
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/ ?'\"]+", re.escape(path)) + r"(?![\w/])"
        if not re.search(pattern, documented):
            missing.append(path)
    assert not missing, f"README lacks examples of: {missing}"


def read_api_examples() -> list[list[str]]:
    """The curl commands of README's read API (from "## The API" up to the writing section)."""
    section = README[README.index("## The API") : README.index("### Writing")]
    return [shlex.split(line, comments=True) for line in section.splitlines() if line.startswith("curl ")]


def test_readme_read_api_examples_answer_on_the_seed(client: TestClient, seed_id: int) -> None:
    examples = read_api_examples()
    assert len(examples) >= 15
    assert seed_id == 1  # the examples name speech 1, as on a fresh `scripts/serve`
    for words in examples:
        url = next(w for w in words if w.startswith("http://127.0.0.1:8000/"))
        path = url.removeprefix("http://127.0.0.1:8000")
        params = [
            w.split("=", 1)
            for w, flag in zip(words[1:], words[:-1], strict=True)
            if flag == "--data-urlencode"
        ]
        r = client.get(path, params=[(k, v) for k, v in params] or None)
        assert r.status_code == 200, (words, r.status_code, r.text[:300])
        assert r.headers["content-type"].startswith("application/json"), words
    r = client.get("/api/v1/speeches/999")  # README's error example, word for word
    assert r.status_code == 404
    assert r.json() == {
        "type": "/problems/not-found",
        "title": "Not found",
        "status": 404,
        "detail": "No speech '999'.",
        "instance": "/api/v1/speeches/999",
    }


def test_readme_shows_and_explains_the_reader() -> None:
    assert "![" in README and "(docs/reader.png)" in README
    png = (REPO / "docs" / "reader.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert width >= 1000 and height >= 600, (width, height)  # a desktop-sized screenshot
    reader = README[README.index("## The reader") :]
    for place in ("http://127.0.0.1:8000/", "/search?q=", "/speeches/1#part_2__point_3", "laomo"):
        assert place in reader, place
