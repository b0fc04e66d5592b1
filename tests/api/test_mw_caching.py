"""HTTP caching, compression and CORS through the middleware stack (fixtures: test_middleware.py)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from tests.api.test_middleware import BIG, GZIP, IDENTITY, LAST_MODIFIED, PROBLEM, MakeClient, client_factory


@pytest.fixture
def make_client(engine: Engine) -> Iterator[MakeClient]:
    yield from client_factory(engine)


@pytest.fixture
def mw(make_client: MakeClient) -> TestClient:
    return make_client()


# --- caching -----------------------------------------------------------------------------------


def test_etag_is_strong_stable_and_from_the_body(mw: TestClient) -> None:
    first = mw.get("/_t/small", headers=IDENTITY)
    second = mw.get("/_t/small", headers=IDENTITY)
    assert first.status_code == 200
    assert re.fullmatch(r'"[0-9a-f]{32}"', first.headers["etag"])
    assert first.headers["etag"] == second.headers["etag"]
    assert first.headers["etag"] == f'"{hashlib.sha256(first.content).hexdigest()[:32]}"'
    assert mw.get("/_t/big", headers=IDENTITY).headers["etag"] != first.headers["etag"]


def test_if_none_match_gives_304_with_validators_and_no_body(mw: TestClient) -> None:
    etag = mw.get("/_t/dated", headers=IDENTITY).headers["etag"]
    for header in (etag, f'"nope", W/{etag}', "*"):
        r = mw.get("/_t/dated", headers={**IDENTITY, "If-None-Match": header})
        assert r.status_code == 304, header
        assert r.content == b""
        assert r.headers["etag"] == etag
        assert r.headers["cache-control"] == "public, max-age=60"
        assert r.headers["last-modified"] == LAST_MODIFIED
        assert "content-type" not in r.headers
    assert mw.get("/_t/dated", headers={**IDENTITY, "If-None-Match": '"other"'}).status_code == 200


def test_gzip_representation_has_its_own_etag_and_304(mw: TestClient) -> None:
    plain = mw.get("/_t/big", headers=IDENTITY)
    zipped = mw.get("/_t/big", headers=GZIP)
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.headers["etag"] == plain.headers["etag"][:-1] + '-gz"'
    assert zipped.json() == plain.json() == BIG
    r = mw.get("/_t/big", headers={**GZIP, "If-None-Match": zipped.headers["etag"]})
    assert (r.status_code, r.headers["etag"], r.content) == (304, zipped.headers["etag"], b"")
    assert r.headers["vary"] == "Accept-Encoding"
    r = mw.get("/_t/big", headers={**IDENTITY, "If-None-Match": plain.headers["etag"]})
    assert (r.status_code, r.headers["etag"]) == (304, plain.headers["etag"])
    # A tag names one representation: the identity tag does not validate the gzip one.
    assert mw.get("/_t/big", headers={**GZIP, "If-None-Match": plain.headers["etag"]}).status_code == 200


def test_route_etag_is_kept_and_validated(mw: TestClient, seed_id: int) -> None:
    r = mw.get(f"/api/v1/speeches/{seed_id}", headers=GZIP)
    assert r.status_code == 200
    assert r.headers["content-encoding"] == "gzip"
    assert r.headers["etag"].endswith('-gz"')
    again = mw.get(f"/api/v1/speeches/{seed_id}", headers={**GZIP, "If-None-Match": r.headers["etag"]})
    assert again.status_code == 304
    assert again.headers["etag"] == r.headers["etag"]


def test_head_answers_like_get_without_the_body(mw: TestClient, seed_id: int) -> None:
    url = f"/api/v1/speeches/{seed_id}"
    get = mw.get(url, headers=GZIP)
    head = mw.head(url, headers=GZIP)
    assert head.status_code == 200
    assert head.content == b""
    for name in ("content-length", "content-encoding", "etag", "cache-control", "last-modified"):
        assert head.headers[name] == get.headers[name], name
    assert mw.head(url, headers={**GZIP, "If-None-Match": get.headers["etag"]}).status_code == 304
    text = mw.get("/metrics").text
    assert (
        'jianghua_http_requests_total{method="HEAD",route="/api/v1/speeches/{speech}",status="200"} 1' in text
    )


def test_route_answering_304_itself_gets_the_clients_variant_back(mw: TestClient) -> None:
    zipped = mw.get("/_t/self-validating", headers=GZIP)
    assert zipped.headers["etag"] == '"v1-gz"'
    r = mw.get("/_t/self-validating", headers={**GZIP, "If-None-Match": '"v1-gz"'})
    assert (r.status_code, r.headers["etag"]) == (304, '"v1-gz"')
    assert r.headers["cache-control"] == "public, max-age=60"
    r = mw.get("/_t/self-validating", headers={**IDENTITY, "If-None-Match": '"v1"'})
    assert (r.status_code, r.headers["etag"]) == (304, '"v1"')


def test_if_modified_since_without_if_none_match(mw: TestClient) -> None:
    def get(headers: dict[str, str]) -> int:
        return mw.get("/_t/dated", headers={**IDENTITY, **headers}).status_code

    assert get({"If-Modified-Since": LAST_MODIFIED}) == 304
    assert get({"If-Modified-Since": "Thu, 02 May 2024 00:00:00 GMT"}) == 304
    assert get({"If-Modified-Since": "Tue, 30 Apr 2024 00:00:00 GMT"}) == 200
    assert get({"If-Modified-Since": "not a date"}) == 200
    # If-None-Match wins when both are sent.
    assert get({"If-Modified-Since": LAST_MODIFIED, "If-None-Match": '"other"'}) == 200
    assert mw.get("/_t/small", headers={"If-Modified-Since": LAST_MODIFIED}).status_code == 200


def test_cache_control_default_override_and_route_own(make_client: MakeClient) -> None:
    default = make_client()
    assert default.get("/_t/small").headers["cache-control"] == "public, max-age=60"
    assert default.get("/_t/own-cache-control").headers["cache-control"] == "no-cache"
    assert default.get("/healthz").headers["cache-control"] == "no-store"
    custom = make_client(cache_control="public, max-age=300, stale-while-revalidate=60")
    assert (
        custom.get("/_t/small").headers["cache-control"] == "public, max-age=300, stale-while-revalidate=60"
    )
    keyed = make_client(read_requires_key=True, cache_control="public, max-age=60, s-maxage=600")
    assert keyed.get("/healthz").headers["cache-control"] == "no-store"
    assert keyed.get("/problems/not-found").headers["cache-control"] == "private, max-age=60"


def test_errors_and_writes_get_no_etag_or_cache_control(make_client: MakeClient) -> None:
    client = make_client()
    for r in (client.get("/api/v1/speeches/999999"), client.post("/_t/echo", content=b"{}")):
        assert "etag" not in r.headers
        assert "cache-control" not in r.headers


# --- compression -------------------------------------------------------------------------------


def test_gzip_only_for_large_responses_when_accepted(mw: TestClient) -> None:
    big = mw.get("/_t/big", headers=GZIP)
    assert big.headers["content-encoding"] == "gzip"
    assert int(big.headers["content-length"]) < len(json.dumps(BIG, ensure_ascii=False).encode())
    assert big.headers["vary"] == "Accept-Encoding"
    small = mw.get("/_t/small", headers=GZIP)
    assert "content-encoding" not in small.headers
    assert "vary" not in small.headers
    refused = mw.get("/_t/big", headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "content-encoding" not in refused.headers
    assert refused.headers["vary"] == "Accept-Encoding"


def test_gzip_threshold_follows_settings(make_client: MakeClient) -> None:
    client = make_client(gzip_min_bytes=10)
    assert client.get("/_t/small", headers=GZIP).headers["content-encoding"] == "gzip"


# --- CORS --------------------------------------------------------------------------------------

ORIGIN = "https://reader.example.org"


def test_cors_preflight_from_allowed_origin(make_client: MakeClient) -> None:
    client = make_client(cors_origins=[ORIGIN], cors_max_age=900)
    r = client.options(
        "/api/v1/speeches",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "PATCH",
            # If-Match: a browser client's lost-update protection, as README documents it.
            "Access-Control-Request-Headers": "authorization, content-type, if-match, if-none-match",
        },
    )
    assert r.status_code == 204
    assert r.headers["access-control-allow-origin"] == ORIGIN
    assert r.headers["access-control-max-age"] == "900"
    assert {"GET", "POST", "PATCH", "PUT", "DELETE", "OPTIONS"} <= set(
        r.headers["access-control-allow-methods"].split(", ")
    )
    assert r.headers["x-request-id"]


def test_cors_simple_request_exposes_headers_and_covers_errors(make_client: MakeClient) -> None:
    client = make_client(cors_origins=[ORIGIN], rate_limit_per_minute=1)
    ok = client.get("/_t/small", headers={"Origin": ORIGIN})
    assert ok.headers["access-control-allow-origin"] == ORIGIN
    exposed = {h.strip().lower() for h in ok.headers["access-control-expose-headers"].split(",")}
    assert {"etag", "link", "location", "x-request-id", "retry-after"} <= exposed
    limited = client.get("/_t/small", headers={"Origin": ORIGIN})
    assert limited.status_code == 429
    assert limited.headers["access-control-allow-origin"] == ORIGIN


def test_cors_headers_on_500_so_the_browser_can_read_the_problem(make_client: MakeClient) -> None:
    client = make_client(cors_origins=[ORIGIN])
    r = client.get("/_t/boom", headers={"Origin": ORIGIN})
    assert r.status_code == 500
    assert r.headers["access-control-allow-origin"] == ORIGIN


def test_cors_headers_absent_for_disallowed_origin(make_client: MakeClient) -> None:
    client = make_client(cors_origins=[ORIGIN])
    r = client.get("/_t/small", headers={"Origin": "https://evil.example"})
    assert r.status_code == 200
    assert not [h for h in r.headers if h.startswith("access-control-")]
    pre = client.options(
        "/_t/small", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}
    )
    assert pre.status_code == 403
    assert pre.headers["content-type"] == PROBLEM
    assert not [h for h in pre.headers if h.startswith("access-control-")]


def test_cors_preflight_refuses_methods_and_headers_not_listed(make_client: MakeClient) -> None:
    client = make_client(cors_origins=[ORIGIN])
    for extra in (
        {"Access-Control-Request-Method": "TRACE"},
        {"Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "x-secret"},
    ):
        r = client.options("/_t/small", headers={"Origin": ORIGIN, **extra})
        assert r.status_code == 403, extra
        assert "access-control-allow-origin" not in r.headers


def test_cors_answers_vary_on_origin_even_without_one(make_client: MakeClient) -> None:
    client = make_client(cors_origins=[ORIGIN])
    r = client.get("/_t/small")
    assert "origin" in r.headers["vary"].lower()
    assert not [h for h in r.headers if h.startswith("access-control-")]


def test_cors_off_without_origins(mw: TestClient) -> None:
    r = mw.get("/_t/small", headers={"Origin": ORIGIN})
    assert not [h for h in r.headers if h.startswith("access-control-")]
