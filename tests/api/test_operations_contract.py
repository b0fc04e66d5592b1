"""What operators and client generators rely on: a complete OpenAPI document with its auth
scheme, no shared caching of admin answers, readiness, and the body cap over real HTTP."""

from __future__ import annotations

import json
import re
import socket
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine

from app.core.config import Settings
from app.core.db import make_engine
from app.main import create_app
from tests.api.test_write_contract import problem
from tests.conftest import REPO, make_key, wire
from tests.server import running_server

# --- OpenAPI and operations --------------------------------------------------------------------


def test_openapi_defines_every_schema_it_references_and_declares_bearer_keys(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    refs = set(re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(spec)))
    assert refs <= set(spec["components"]["schemas"]), refs - set(spec["components"]["schemas"])
    assert spec["components"]["securitySchemes"]["ApiKey"] == {
        "type": "http",
        "scheme": "bearer",
        "description": spec["components"]["securitySchemes"]["ApiKey"]["description"],
    }
    secured = {
        (method, path)
        for path, ops in spec["paths"].items()
        for method, op in ops.items()
        if op.get("security") == [{"ApiKey": []}]
    }
    assert secured == {
        ("post", "/api/v1/speeches"),
        ("patch", "/api/v1/speeches/{speech}"),
        ("put", "/api/v1/speeches/{speech}/text"),
        ("delete", "/api/v1/speeches/{speech}"),
        ("get", "/api/v1/keys"),
    }
    body = spec["paths"]["/api/v1/speeches/{speech}"]["patch"]["requestBody"]["content"]
    assert body["application/merge-patch+json"]["schema"] == {"$ref": "#/components/schemas/SpeechMetadata"}


def test_the_key_list_is_never_stored_by_a_shared_cache(client: TestClient, engine: Engine) -> None:
    admin = make_key(engine, "admin")
    r = client.get("/api/v1/keys", headers={"Authorization": f"Bearer {admin}"})
    assert r.status_code == 200
    assert r.headers["cache-control"] == "no-store"


def test_readyz_is_503_when_the_database_cannot_be_reached(tmp_path: Any) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}")  # a folder: SQLite cannot open it as a database
    app = wire(create_app(Settings(access_log=False)), engine)
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/readyz")
    body = problem(r, 503, "not-ready")
    assert "unreachable" in body["detail"]


def _chunked_post(base: str, path: str, headers: dict[str, str], total: int) -> tuple[int, bytes]:
    """POST `total` bytes with Transfer-Encoding: chunked and no Content-Length; (status, body)."""
    where = urlsplit(base)
    with socket.create_connection((where.hostname, where.port), timeout=30) as s:
        head = f"POST {path} HTTP/1.1\r\nHost: {where.netloc}\r\nTransfer-Encoding: chunked\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "Connection: close\r\n\r\n"
        s.sendall(head.encode())
        chunk = ("劳动创造财富。" * 3000).encode()
        sent = 0
        try:
            while sent < total:
                s.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                sent += len(chunk)
            s.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server answered and closed while the body was still coming: what we test
        answer = b""
        while data := s.recv(65536):
            answer += data
    head_bytes, _, body = answer.partition(b"\r\n\r\n")
    return int(head_bytes.split()[1]), body


@pytest.mark.slow
def test_413_over_real_http_for_a_chunked_body_without_content_length(db_url: str, engine: Engine) -> None:
    key = make_key(engine)
    with running_server(db_url, JIANGHUA_MAX_BODY_BYTES="100000") as base:
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "text/plain"}
        for path in ("/api/v1/speeches", "/api/v1/parse"):
            status, body = _chunked_post(base, path, headers, total=20_000_000)
            assert status == 413, body[:300]
            assert json.loads(body)["type"] == "/problems/payload-too-large"
        status, body = _chunked_post(base, "/api/v1/parse", headers, total=60_000)  # under the cap
        assert status == 200, body[:300]
    with engine.connect() as conn:  # nothing over the cap was stored
        assert conn.execute(text("SELECT count(*) FROM speech")).scalar_one() == 0


def test_readme_gives_every_setting_with_its_actual_default() -> None:
    """tests/test_docs.py checks that README names every setting; this checks the defaults it gives."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    wrong = {}
    for name, field in Settings.model_fields.items():
        variable = f"JIANGHUA_{name.upper()}"
        row = re.search(rf"^\| `{variable}` \| ([^|]*) \|", readme, re.M)
        assert row is not None, f"README has no table row for {variable}"
        documented = row.group(1).strip()
        default = field.get_default(call_default_factory=True)
        if default is None:
            ok = documented.startswith("(") and documented.endswith(")")  # (none), (unset), …
        else:
            shown = json.dumps(default) if isinstance(default, bool | list) else str(default)
            ok = documented == f"`{shown}`"
        if not ok:
            wrong[variable] = (documented, default)
    assert not wrong, wrong
