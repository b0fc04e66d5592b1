"""Layering rules that keep the codebase in shape, checked on the source."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app"


def imports_of(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_routes_do_not_touch_sql_directly() -> None:
    for path in (APP / "api" / "routes").glob("*.py"):
        bad = {m for m in imports_of(path) if m.split(".")[0] in {"sqlalchemy", "sqlmodel", "sqlite3"}}
        assert not bad, f"{path.name} imports {bad}: SQL belongs in app/repositories"


def test_repositories_know_nothing_of_http() -> None:
    for path in (APP / "repositories").glob("*.py"):
        bad = {
            m
            for m in imports_of(path)
            if m.split(".")[0] in {"fastapi", "starlette"} or m.startswith("app.api")
        }
        assert not bad, f"{path.name} imports {bad}"


def test_modules_stay_small() -> None:
    for path in APP.rglob("*.py"):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines <= 500, f"{path.relative_to(APP)} has {lines} lines; split it by responsibility"
