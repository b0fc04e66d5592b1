"""app.parser is pure: standard library and its own modules only (checked on the source)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PARSER = Path(__file__).resolve().parents[2] / "app" / "parser"
FORBIDDEN = {
    "fastapi",
    "starlette",
    "sqlalchemy",
    "sqlmodel",
    "pydantic",
    "pydantic_settings",
    "alembic",
    "orjson",
}


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                found.add("app.parser")  # relative imports stay inside the package
            elif node.module:
                found.add(node.module)
    return found


def test_parser_imports_only_stdlib_and_itself() -> None:
    files = sorted(PARSER.glob("*.py"))
    assert files
    for path in files:
        for module in _imports(path):
            top = module.split(".")[0]
            assert top not in FORBIDDEN, f"{path.name} imports {module}"
            if top == "app":
                assert module == "app.parser" or module.startswith("app.parser."), (
                    f"{path.name} imports {module}"
                )
            else:
                assert top in sys.stdlib_module_names or top == "__future__", f"{path.name} imports {module}"
