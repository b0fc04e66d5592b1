"""The HTTP contract of the middleware stack, through the ASGI app over a migrated SQLite file."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import anyio
import pytest
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.types import Message, Receive, Scope, Send

from app.api.middleware import current_request_id
from app.core.config import Settings
from app.core.db import get_session
from app.main import create_app

PROBLEM = "application/problem+json"
IDENTITY = {"Accept-Encoding": "identity"}
GZIP = {"Accept-Encoding": "gzip"}
BIG = {"items": [f"第{i}条：劳动创造财富，劳动成就未来。" for i in range(200)]}
LAST_MODIFIED = "Wed, 01 May 2024 08:00:00 GMT"

MakeClient = Callable[..., TestClient]


def add_test_routes(app: FastAPI) -> None:
    """Routes whose behaviour the middleware tests need and the product has no reason to offer."""

    @app.get("/_t/big")
    def big() -> dict[str, Any]:
        return BIG

    @app.get("/_t/small")
    def small() -> dict[str, str]:
        return {"ok": "yes"}

    @app.get("/_t/own-cache-control")
    def own_cache_control(response: Response) -> dict[str, str]:
        response.headers["Cache-Control"] = "no-cache"
        return {"ok": "yes"}

    @app.get("/_t/dated")
    def dated(response: Response) -> dict[str, str]:
        response.headers["Last-Modified"] = LAST_MODIFIED
        return {"ok": "yes"}

    @app.get("/_t/self-validating")
    def self_validating(request: Request) -> Response:
        # Answers If-None-Match itself, with its base tag, as a route that skips rendering would.
        if request.headers.get("if-none-match", "").startswith('"v1'):
            return Response(status_code=304, headers={"ETag": '"v1"'})
        return Response(json.dumps(BIG), media_type="application/json", headers={"ETag": '"v1"'})

    @app.get("/_t/whoami")
    def whoami() -> dict[str, str | None]:
        return {"request_id": current_request_id()}

    @app.get("/_t/boom")
    def boom() -> None:
        raise RuntimeError("boom")

    items = APIRouter(prefix="/items")

    @items.get("/{item_id}")
    def item(item_id: int) -> dict[str, int]:
        return {"id": item_id}

    app.include_router(items, prefix="/_t/v2")

    async def files(scope: Scope, receive: Receive, send: Send) -> None:
        await Response(b"file", media_type="text/plain")(scope, receive, send)

    app.mount("/_t/files", files)

    @app.post("/_t/echo")
    async def echo(request: Request) -> dict[str, int]:
        return {"received": len(await request.body())}


def client_factory(engine: Engine) -> Iterator[MakeClient]:
    """make(**overrides): a TestClient over create_app(Settings(**overrides)) on the test database.

    A generator rather than a fixture so that test_mw_caching.py can wrap it in its own fixtures.
    """

    def session_override() -> Iterator[Session]:
        with Session(engine) as session:
            yield session

    with ExitStack() as stack:

        def make(root_path: str = "", **overrides: Any) -> TestClient:
            app = create_app(Settings(**overrides))
            app.dependency_overrides[get_session] = session_override
            add_test_routes(app)
            return stack.enter_context(TestClient(app, raise_server_exceptions=False, root_path=root_path))

        yield make


@pytest.fixture
def make_client(engine: Engine) -> Iterator[MakeClient]:
    yield from client_factory(engine)


@pytest.fixture
def mw(make_client: MakeClient) -> TestClient:
    return make_client()


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


# --- request ids -------------------------------------------------------------------------------


def test_echo_request_id_when_valid(mw: TestClient) -> None:
    r = mw.get("/healthz", headers={"X-Request-ID": "abc.DEF_123-x"})
    assert r.status_code == 200
    assert r.headers["x-request-id"] == "abc.DEF_123-x"


def test_generate_request_id_when_absent(mw: TestClient) -> None:
    first, second = mw.get("/healthz"), mw.get("/healthz")
    assert re.fullmatch(r"[0-9a-f]{32}", first.headers["x-request-id"])
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


@pytest.mark.parametrize("given", [b"has space", b"x" * 129, b"semi;colon", "ünï".encode(), b""])
def test_replace_request_id_when_invalid(mw: TestClient, given: bytes) -> None:
    r = mw.get("/healthz", headers={b"X-Request-ID": given})
    assert re.fullmatch(r"[0-9a-f]{32}", r.headers["x-request-id"])


def test_request_id_is_current_inside_the_route(mw: TestClient) -> None:
    r = mw.get("/_t/whoami", headers={"X-Request-ID": "trace-42"})
    assert r.json() == {"request_id": "trace-42"}


def test_request_id_on_404_and_500(mw: TestClient) -> None:
    assert mw.get("/nowhere", headers={"X-Request-ID": "r404"}).headers["x-request-id"] == "r404"
    r = mw.get("/_t/boom", headers={"X-Request-ID": "r500"})
    assert r.status_code == 500
    assert r.headers["content-type"] == PROBLEM
    assert r.headers["x-request-id"] == "r500"


# --- logs --------------------------------------------------------------------------------------


def test_access_log_is_one_json_line_with_the_fields(
    mw: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    mw.get("/problems/not-found?x=1", headers={"X-Request-ID": "log-1"})
    lines = [x for x in json_lines(capsys.readouterr().err) if x.get("logger") == "jianghua.access"]
    assert len(lines) == 1
    line = lines[0]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", line["ts"])
    assert line["level"] == "info"
    assert line["request_id"] == "log-1"
    assert (line["method"], line["path"], line["route"], line["status"]) == (
        "GET",
        "/problems/not-found",
        "/problems/{slug}",
        200,
    )
    assert line["duration_ms"] > 0
    assert line["bytes"] > 0
    assert line["client"] == "testclient"


def test_unexpected_error_is_logged_as_json_with_request_id_and_traceback(
    mw: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    mw.get("/_t/boom", headers={"X-Request-ID": "err-1"})
    lines = json_lines(capsys.readouterr().err)
    error = next(x for x in lines if x["logger"] == "jianghua.errors")
    assert error["request_id"] == "err-1"
    assert error["level"] == "error"
    assert error["exc_type"] == "RuntimeError"
    assert "raise RuntimeError" in error["traceback"]
    access = next(x for x in lines if x["logger"] == "jianghua.access")
    assert (access["request_id"], access["status"], access["level"]) == ("err-1", 500, "warning")


def test_access_log_off(make_client: MakeClient, capsys: pytest.CaptureFixture[str]) -> None:
    client = make_client(access_log=False)
    capsys.readouterr()
    client.get("/healthz")
    assert not [x for x in json_lines(capsys.readouterr().err) if x.get("logger") == "jianghua.access"]


# --- metrics -----------------------------------------------------------------------------------

SAMPLE = re.compile(r'([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_]\w*="(?:[^"\\]|\\.)*",?)*)\})? (\S+)')
LABEL = re.compile(r'([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"')


def parse_metrics(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    samples = {}
    for line in text.splitlines():
        if line.startswith("#"):
            assert re.fullmatch(r"# (HELP|TYPE) jianghua_\w+ .+", line), line
            continue
        match = SAMPLE.fullmatch(line)
        assert match, f"not a sample line: {line!r}"
        labels = frozenset(LABEL.findall(match[2] or ""))
        samples[match[1], labels] = float(match[3])
    return samples


def test_metrics_count_by_route_template(mw: TestClient, seed_id: int) -> None:
    for _ in range(2):
        assert mw.get(f"/api/v1/speeches/{seed_id}").status_code == 200
    mw.get("/api/v1/speeches/999999")
    mw.get("/no/such/path")
    r = mw.get("/metrics")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    assert r.headers["cache-control"] == "no-store"
    samples = parse_metrics(r.text)
    route = "/api/v1/speeches/{speech}"
    total = "jianghua_http_requests_total"
    assert samples[total, frozenset({("method", "GET"), ("route", route), ("status", "200")})] == 2
    assert samples[total, frozenset({("method", "GET"), ("route", route), ("status", "404")})] == 1
    assert samples[total, frozenset({("method", "GET"), ("route", "unmatched"), ("status", "404")})] == 1
    assert f"/api/v1/speeches/{seed_id}" not in r.text
    assert "/no/such/path" not in r.text


def test_metrics_route_template_includes_router_prefixes_and_mounts(mw: TestClient) -> None:
    assert mw.get("/_t/v2/items/7").json() == {"id": 7}
    assert mw.get("/_t/files/a/b.txt").text == "file"
    text = mw.get("/metrics").text
    assert 'jianghua_http_requests_total{method="GET",route="/_t/v2/items/{item_id}",status="200"} 1' in text
    assert 'jianghua_http_requests_total{method="GET",route="/_t/files/{path}",status="200"} 1' in text


def test_metrics_histogram_is_cumulative_and_consistent(mw: TestClient) -> None:
    for _ in range(3):
        mw.get("/healthz")
    samples = parse_metrics(mw.get("/metrics").text)
    labels = {("method", "GET"), ("route", "/healthz")}
    name = "jianghua_http_request_duration_seconds"
    buckets = sorted(
        (float(dict(k[1])["le"]), v) for k, v in samples.items() if k[0] == name + "_bucket" and labels < k[1]
    )
    assert [le for le, _ in buckets][:2] == [0.001, 0.0025]
    assert buckets[-1] == (float("inf"), 3)
    assert [v for _, v in buckets] == sorted(v for _, v in buckets)
    assert samples[name + "_count", frozenset(labels)] == 3
    assert samples[name + "_sum", frozenset(labels)] > 0


def test_metrics_label_rejections_and_odd_methods_without_raw_values(make_client: MakeClient) -> None:
    client = make_client(rate_limit_per_minute=1)
    client.get("/_t/small")
    assert client.get("/_t/small").status_code == 429
    client.request("BREW", "/_t/small")
    text = client.get("/metrics").text
    assert 'jianghua_http_requests_total{method="GET",route="unmatched",status="429"} 1' in text
    assert 'method="OTHER"' in text
    assert "BREW" not in text


# --- body size ---------------------------------------------------------------------------------


def test_payload_too_large_by_content_length(make_client: MakeClient) -> None:
    client = make_client(max_body_bytes=100)
    r = client.post("/_t/echo", content=b"x" * 101, headers={"X-Request-ID": "big-1"})
    assert r.status_code == 413
    assert r.headers["content-type"] == PROBLEM
    assert r.headers["x-request-id"] == "big-1"
    body = r.json()
    assert body["type"] == "/problems/payload-too-large"
    assert (body["status"], body["instance"]) == (413, "/_t/echo")
    assert "100 bytes" in body["detail"]
    assert client.post("/_t/echo", content=b"x" * 100).json() == {"received": 100}


def test_payload_too_large_by_chunked_body(make_client: MakeClient) -> None:
    client = make_client(max_body_bytes=100)

    def chunks() -> Iterator[bytes]:
        yield b"x" * 60
        yield b"x" * 60

    r = client.post("/_t/echo", content=chunks())
    assert r.status_code == 413
    assert r.json()["type"] == "/problems/payload-too-large"
    ok = client.post("/_t/echo", content=iter([b"x" * 50, b"x" * 50]))
    assert ok.json() == {"received": 100}


def test_payload_too_large_on_a_real_route_replaces_its_own_answer(make_client: MakeClient) -> None:
    client = make_client(max_body_bytes=50)
    r = client.post(
        "/api/v1/parse", content=iter(["一、劳动\n".encode()] * 20), headers={"Content-Type": "text/plain"}
    )
    assert r.status_code == 413
    assert r.json()["type"] == "/problems/payload-too-large"


def test_chunked_body_stops_being_read_at_the_cap(make_client: MakeClient) -> None:
    """At ASGI level: the 413 goes out as soon as the count passes the cap, and only once."""
    app = make_client(max_body_bytes=100).app
    reads = 0
    sent: list[Message] = []

    async def receive() -> Message:
        nonlocal reads
        reads += 1
        return {"type": "http.request", "body": b"x" * 40, "more_body": reads < 1000}

    async def send(message: Message) -> None:
        sent.append(message)

    scope: Scope = {
        "type": "http",
        "http_version": "1.1",
        "method": "POST",
        "path": "/_t/echo",
        "raw_path": b"/_t/echo",
        "root_path": "",
        "scheme": "http",
        "query_string": b"",
        "headers": [(b"host", b"test"), (b"transfer-encoding", b"chunked")],
        "client": ("127.0.0.1", 1),
        "server": ("test", 80),
        "state": {},
    }
    anyio.run(app, scope, receive, send)
    assert reads == 3
    starts = [m for m in sent if m["type"] == "http.response.start"]
    assert [m["status"] for m in starts] == [413]


# --- rate limits -------------------------------------------------------------------------------


def test_rate_limit_per_address(make_client: MakeClient) -> None:
    client = make_client(rate_limit_per_minute=3)
    assert [client.get("/_t/small").status_code for _ in range(3)] == [200, 200, 200]
    r = client.get("/_t/small", headers={"X-Request-ID": "slow-down"})
    assert r.status_code == 429
    assert r.headers["content-type"] == PROBLEM
    assert r.headers["x-request-id"] == "slow-down"
    assert int(r.headers["retry-after"]) >= 1
    assert (r.headers["ratelimit-limit"], r.headers["ratelimit-remaining"]) == ("3", "0")
    assert r.json()["type"] == "/problems/rate-limited"
    # A key does not buy a way around the address limit: keys are not validated this far out.
    assert client.get("/_t/small", headers={"Authorization": "Bearer invented"}).status_code == 429


def test_rate_limit_exempts_probes_and_scrapes(make_client: MakeClient) -> None:
    client = make_client(rate_limit_per_minute=1)
    client.get("/_t/small")
    for _ in range(3):
        assert client.get("/healthz").status_code == 200
        assert client.get("/metrics").status_code == 200


def test_rate_limit_exempts_probes_under_a_root_path(make_client: MakeClient) -> None:
    client = make_client(root_path="/jianghua", rate_limit_per_minute=1)
    client.get("/jianghua/_t/small")
    assert client.get("/jianghua/_t/small").status_code == 429
    assert all(client.get("/jianghua/healthz").status_code == 200 for _ in range(3))
    assert client.get("/jianghua/healthz").headers["cache-control"] == "no-store"


def test_rate_limit_per_key_counts_each_key_apart(make_client: MakeClient) -> None:
    client = make_client(rate_limit_per_minute=0, rate_limit_per_key_per_minute=2)
    a, b = {"Authorization": "Bearer key-a"}, {"Authorization": "bearer key-b"}
    assert [client.get("/_t/small", headers=a).status_code for _ in range(3)] == [200, 200, 429]
    assert client.get("/_t/small", headers=b).status_code == 200
    assert "with this API key" in client.get("/_t/small", headers=a).json()["detail"]
    assert all(client.get("/_t/small").status_code == 200 for _ in range(5))


def test_rate_limit_off_when_zero(make_client: MakeClient) -> None:
    client = make_client(rate_limit_per_minute=0, rate_limit_per_key_per_minute=0)
    assert all(client.get("/_t/small").status_code == 200 for _ in range(20))


def test_rate_limit_uses_last_forwarded_address_only_when_trusted(make_client: MakeClient) -> None:
    trusted = make_client(rate_limit_per_minute=1, trust_forwarded_for=True)
    # The client wrote the first entry; the proxy appended the last one.
    assert trusted.get("/_t/small", headers={"X-Forwarded-For": "1.1.1.1, 10.0.0.1"}).status_code == 200
    assert trusted.get("/_t/small", headers={"X-Forwarded-For": "2.2.2.2, 10.0.0.1"}).status_code == 429
    assert trusted.get("/_t/small", headers={"X-Forwarded-For": "1.1.1.1, 10.0.0.2"}).status_code == 200
    untrusted = make_client(rate_limit_per_minute=1)
    assert untrusted.get("/_t/small", headers={"X-Forwarded-For": "3.3.3.3"}).status_code == 200
    assert untrusted.get("/_t/small", headers={"X-Forwarded-For": "4.4.4.4"}).status_code == 429
