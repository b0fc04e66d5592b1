"""The middleware's pure parts: token buckets, header parsing, validators, the metrics text."""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

import anyio
import pytest
from starlette.types import Message, Receive, Scope, Send

from app.api.middleware.compression import accepts_gzip, compressible
from app.api.middleware.conditional import default_cache_control, none_match, not_modified_since
from app.api.middleware.limits import RateLimitMiddleware, TokenBuckets, client_address
from app.api.middleware.logs import access_log, configure_logging, log_access
from app.api.middleware.metrics import Metrics
from app.api.middleware.request_id import accept_or_generate, bind, unbind
from app.core.config import Settings


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_bucket_allows_the_limit_then_says_how_long_to_wait() -> None:
    clock = Clock()
    buckets = TokenBuckets(6, clock=clock)  # one token every 10 s
    assert [buckets.take("a") for _ in range(6)] == [0.0] * 6
    assert buckets.take("a") == pytest.approx(10.0)
    clock.now += 4
    assert buckets.take("a") == pytest.approx(6.0)
    clock.now += 6
    assert buckets.take("a") == 0.0
    assert buckets.take("b") == 0.0  # keys do not share tokens


def test_bucket_refills_to_the_limit_and_no_further() -> None:
    clock = Clock()
    buckets = TokenBuckets(3, clock=clock)
    buckets.take("a")
    clock.now += 3600
    assert [buckets.take("a") for _ in range(4)][-1] > 0  # 3 tokens, not 3 + an hour's worth


def test_buckets_forget_full_buckets_and_stay_bounded() -> None:
    clock = Clock()
    buckets = TokenBuckets(60, max_keys=100, clock=clock)
    for i in range(50):
        buckets.take(i)
    clock.now += 61  # every bucket has refilled: they carry no information any more
    buckets.take("new")
    assert len(buckets) == 1
    for i in range(1000):
        buckets.take(("flood", i))
    assert len(buckets) <= 100


def test_rate_limit_keeps_only_a_hash_of_the_key() -> None:
    async def ok(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    limiter = RateLimitMiddleware(ok, per_address=0, per_key=5, trust_forwarded_for=False)
    scope: Scope = {
        "type": "http",
        "method": "GET",
        "path": "/x",
        "headers": [(b"authorization", b"Bearer s3cret")],
        "client": ("1.2.3.4", 1),
    }

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    async def send(message: Message) -> None:
        pass

    anyio.run(limiter, scope, receive, send)
    assert limiter.by_key is not None
    assert hashlib.sha256(b"s3cret").digest() in limiter.by_key
    assert b"s3cret" not in limiter.by_key
    assert len(limiter.by_key) == 1


@pytest.mark.parametrize(
    ("headers", "trusted", "expected"),
    [
        ([], False, "9.9.9.9"),
        ([(b"x-forwarded-for", b"1.1.1.1")], False, "9.9.9.9"),
        ([(b"x-forwarded-for", b"1.1.1.1")], True, "1.1.1.1"),
        ([(b"x-forwarded-for", b"6.6.6.6, 1.1.1.1")], True, "1.1.1.1"),
        ([(b"x-forwarded-for", b"6.6.6.6"), (b"x-forwarded-for", b"2.2.2.2")], True, "2.2.2.2"),
        ([(b"x-forwarded-for", b" ")], True, "9.9.9.9"),
    ],
)
def test_client_address(headers: list[tuple[bytes, bytes]], trusted: bool, expected: str) -> None:
    assert client_address({"headers": headers, "client": ("9.9.9.9", 1)}, trusted) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (b"gzip, deflate, br", True),
        (b"GZIP", True),
        (b"deflate, gzip;q=0.5", True),
        (b"gzip;q=0", False),
        (b"gzip;q=0.0, identity", False),
        (b"*", True),
        (b"*;q=0", False),
        (b"gzip;q=0, *", False),
        (b"identity", False),
        (b"br, zstd", False),
        (b"gzip;q=oops", False),
        (b"", False),
    ],
)
def test_accepts_gzip(value: bytes, expected: bool) -> None:
    assert accepts_gzip(value) is expected


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        (b"application/json", True),
        (b"application/problem+json", True),
        (b"text/plain; charset=utf-8", True),
        (b"text/event-stream", False),
        (b"image/png", False),
        (b"application/octet-stream", False),
        (b"", False),
    ],
)
def test_compressible(content_type: bytes, expected: bool) -> None:
    assert compressible(content_type) is expected


@pytest.mark.parametrize(
    ("header", "etag", "expected"),
    [
        (b'"a"', b'"a"', True),
        (b'W/"a"', b'"a"', True),
        (b'"a"', b'W/"a"', True),
        (b'"x", "a"', b'"a"', True),
        (b'"x","y"', b'"a"', False),
        (b'"a,b"', b'"a,b"', True),
        (b"*", b'"a"', True),
        (b"a", b'"a"', False),
        (b'"a-gz"', b'"a"', False),
    ],
)
def test_none_match_uses_weak_comparison(header: bytes, etag: bytes, expected: bool) -> None:
    assert none_match(header, etag) is expected


def test_not_modified_since() -> None:
    modified = b"Wed, 01 May 2024 08:00:00 GMT"
    assert not_modified_since(b"Wed, 01 May 2024 08:00:00 GMT", modified)
    assert not_modified_since(b"Wed, 01 May 2024 09:00:00 GMT", modified)
    assert not not_modified_since(b"Wed, 01 May 2024 07:59:59 GMT", modified)
    assert not not_modified_since(b"yesterday", modified)


@pytest.mark.parametrize(
    ("configured", "expected"),
    [
        ("public, max-age=60", "private, max-age=60"),
        ("public, max-age=60, s-maxage=600", "private, max-age=60"),
        ("private, max-age=5", "private, max-age=5"),
    ],
)
def test_cache_control_turns_private_when_reads_need_a_key(configured: str, expected: str) -> None:
    assert default_cache_control(Settings(cache_control=configured)) == configured
    assert default_cache_control(Settings(cache_control=configured, read_requires_key=True)) == expected


def test_request_id_validation() -> None:
    assert accept_or_generate(b"a.B_c-1") == "a.B_c-1"
    for bad in (None, b"", b"a b", b"x" * 129, b"a\r\nb", "é".encode()):
        generated = accept_or_generate(bad)
        assert len(generated) == 32
        assert int(generated, 16) >= 0


def test_metrics_text_escapes_labels_and_buckets_are_inclusive() -> None:
    metrics = Metrics()
    metrics.observe("GET", 'we"ird\\route\n', 200, 0.001)
    metrics.observe("GET", "/r", 200, 0.001)
    metrics.observe("GET", "/r", 200, 99.0)
    text = metrics.render().decode()
    assert 'route="we\\"ird\\\\route\\n"' in text
    assert 'jianghua_http_request_duration_seconds_bucket{method="GET",route="/r",le="0.001"} 1' in text
    assert 'jianghua_http_request_duration_seconds_bucket{method="GET",route="/r",le="5.0"} 1' in text
    assert 'jianghua_http_request_duration_seconds_bucket{method="GET",route="/r",le="+Inf"} 2' in text
    assert 'jianghua_http_request_duration_seconds_count{method="GET",route="/r"} 2' in text
    assert text.endswith("\n")


ACCESS: dict[str, Any] = {
    "method": "GET",
    "path": "/api/v1/speeches/1",
    "route": "/api/v1/speeches/{speech}",
    "status": 503,
    "duration_s": 0.0123,
    "sent": 42,
    "client": "10.0.0.1",
}


class ListHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_access_line_is_the_same_with_or_without_the_fast_path(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(Settings())
    listener = ListHandler()
    token = bind("rid-7")
    try:
        capsys.readouterr()
        log_access(**ACCESS)
        fast = json.loads(capsys.readouterr().err)
        access_log.addHandler(listener)  # someone listening: the line must go through logging
        try:
            log_access(**ACCESS)
        finally:
            access_log.removeHandler(listener)
        slow = json.loads(capsys.readouterr().err)
    finally:
        unbind(token)
    assert [r.levelno for r in listener.records] == [logging.WARNING]
    assert fast.pop("ts")[:2] == slow.pop("ts")[:2] == "20"
    assert (
        fast
        == slow
        == {
            "level": "warning",
            "logger": "jianghua.access",
            "msg": "GET /api/v1/speeches/1 503",
            "request_id": "rid-7",
            "method": "GET",
            "path": "/api/v1/speeches/1",
            "route": "/api/v1/speeches/{speech}",
            "status": 503,
            "duration_ms": 12.3,
            "bytes": 42,
            "client": "10.0.0.1",
        }
    )


def test_access_log_respects_the_level(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(Settings(log_level="WARNING"))
    try:
        capsys.readouterr()
        log_access(**{**ACCESS, "status": 200})
        assert capsys.readouterr().err == ""
        log_access(**ACCESS)
        assert json.loads(capsys.readouterr().err)["status"] == 503
    finally:
        configure_logging(Settings())


def test_configure_logging_refuses_unknown_levels() -> None:
    with pytest.raises(ValueError, match="LOUD"):
        configure_logging(Settings(log_level="LOUD"))
