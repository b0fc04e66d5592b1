"""Layering rules that keep the codebase in shape, checked on the source."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
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


def test_importing_the_parser_loads_no_framework_and_no_other_app_package() -> None:
    # The source check (tests/parser/test_parser_architecture.py) cannot see imports made
    # indirectly, e.g. by a standard-library module the parser imports; this checks what loads.
    probe = (
        "import sys, json; before = set(sys.modules); import app.parser; "
        "print(json.dumps(sorted(set(sys.modules) - before)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=APP.parent
    )
    loaded = json.loads(out.stdout)
    assert "app.parser" in loaded
    forbidden = {"fastapi", "starlette", "sqlalchemy", "sqlmodel", "pydantic", "pydantic_settings", "alembic"}
    bad = [m for m in loaded if m.split(".")[0] in forbidden]
    assert not bad, f"importing app.parser loads {bad}"
    others = [m for m in loaded if m.startswith("app.") and not m.startswith("app.parser")]
    assert not others, f"importing app.parser loads {others}"


def test_schema_is_made_only_by_migrations() -> None:
    # create_all would build tables Alembic does not know about; only tests may use it.
    offenders = [
        str(path.relative_to(APP.parent))
        for folder in ("app", "migrations", "scripts")
        for path in (APP.parent / folder).rglob("*.py")
        if "create_all(" in path.read_text(encoding="utf-8")
    ]
    assert not offenders, f"create_all outside tests: {offenders}"
