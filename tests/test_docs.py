"""README must document every CLI command, every setting and every API route."""

from __future__ import annotations

import argparse
import re

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
