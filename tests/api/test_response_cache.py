"""The response cache: repeated reads replay the finished response until the data changes."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.core.config import Settings
from app.main import create_app
from tests.conftest import import_text, wire

SECTION = "/api/v1/speeches/{id}/sections/part_2__point_2"


def lookups(client: TestClient) -> dict[str, int]:
    body = client.get("/metrics").text
    found = re.findall(r'jianghua_response_cache_lookups_total\{result="(\w+)"\} (\d+)', body)
    return {result: int(n) for result, n in found}


def test_repeated_read_is_replayed_with_a_fresh_request_id(client: TestClient, seed_id: int) -> None:
    url = SECTION.format(id=seed_id)
    first = client.get(url)
    before = lookups(client)
    second = client.get(url)
    assert first.status_code == second.status_code == 200
    assert lookups(client)["hit"] == before["hit"] + 1
    assert second.content == first.content
    assert second.headers["etag"] == first.headers["etag"]
    assert second.headers["x-request-id"] != first.headers["x-request-id"]
    # The metrics name the route of a replayed answer, not "unmatched".
    assert 'route="/api/v1/speeches/{speech}/sections/{eid}",status="200"} 2' in client.get("/metrics").text


def test_an_edit_through_the_api_is_seen_by_the_next_read(
    client: TestClient, seed_id: int, auth: dict[str, str]
) -> None:
    url = f"/api/v1/speeches/{seed_id}"
    old = client.get(url)
    assert client.get(url).json() == old.json()
    patched = client.patch(url, json={"speaker": "王五"}, headers=auth)
    assert patched.status_code == 200
    new = client.get(url)
    assert new.json()["speaker"] == "王五"
    assert new.headers["etag"] != old.headers["etag"]


def test_a_write_by_another_process_is_seen_by_the_next_read(
    client: TestClient, engine: Engine, seed_id: int, seed_text: str
) -> None:
    assert client.get("/api/v1/speeches").json()["total"] == 1
    assert client.get("/api/v1/speeches").json()["total"] == 1
    import_text(engine, seed_text.replace("劳动", "奋斗", 1))  # not through this app
    assert client.get("/api/v1/speeches").json()["total"] == 2


def test_a_replayed_read_answers_if_none_match_with_304(client: TestClient, seed_id: int) -> None:
    url = SECTION.format(id=seed_id)
    tag = client.get(url).headers["etag"]
    client.get(url)
    before = lookups(client)
    again = client.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.headers["etag"] == tag
    assert again.content == b""
    assert lookups(client)["hit"] == before["hit"] + 1


def test_gzip_and_identity_clients_get_their_own_representation(client: TestClient, seed_id: int) -> None:
    url = f"/api/v1/speeches/{seed_id}"
    for _ in range(2):
        plain = client.get(url, headers={"Accept-Encoding": "identity"})
        packed = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert "content-encoding" not in plain.headers
        assert packed.headers["content-encoding"] == "gzip"
        assert packed.json() == plain.json()
        assert packed.headers["etag"] != plain.headers["etag"]


def test_a_bad_key_is_refused_even_on_a_replayed_url(client: TestClient, seed_id: int) -> None:
    url = f"/api/v1/speeches/{seed_id}"
    client.get(url)
    client.get(url)
    refused = client.get(url, headers={"Authorization": "Bearer not-a-key"})
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"


def test_errors_and_random_answers_are_not_kept(client: TestClient, seed_id: int) -> None:
    store = client.app.state.response_cache  # type: ignore[attr-defined]
    assert client.get("/api/v1/speeches/999").status_code == 404
    assert client.get("/api/v1/quotes/random?kind=golden").status_code == 200
    assert len(store) == 0
    client.get(f"/api/v1/speeches/{seed_id}")
    assert len(store) == 1


def test_an_index_by_another_tokenizer_is_refused_even_after_a_replayed_search(
    client: TestClient, engine: Engine, seed_id: int
) -> None:
    url = "/api/v1/search?q=%E5%8A%B3%E6%A8%A1"  # 劳模
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    with Session(engine) as s:
        s.execute(text("UPDATE search_meta SET value = 'old' WHERE key = 'tokenizer_version'"))
        s.commit()
    refused = client.get(url)
    assert refused.status_code == 503
    assert refused.json()["type"].endswith("/index-outdated")


def test_the_cache_can_be_turned_off(engine: Engine, seed_id: int) -> None:
    app = wire(create_app(Settings(response_cache_mb=0)), engine)
    with TestClient(app) as client:
        client.get(f"/api/v1/speeches/{seed_id}")
        assert client.get(f"/api/v1/speeches/{seed_id}").status_code == 200
        assert "jianghua_response_cache" not in client.get("/metrics").text
        assert not hasattr(app.state, "response_cache")


def test_a_repeated_accept_header_cannot_store_one_answer_under_another_key(
    client: TestClient, seed_id: int
) -> None:
    url = f"/api/v1/speeches/{seed_id}/export"
    forged = client.get(url, headers=[("Accept", "text/markdown"), ("Accept", "application/json")])
    assert forged.status_code == 200
    honest = client.get(url, headers={"Accept": "application/json"})
    assert honest.headers["content-type"].startswith("application/json")
    honest.json()


def test_uncacheable_urls_are_neither_kept_nor_counted_as_misses(client: TestClient, seed_id: int) -> None:
    store = client.app.state.response_cache  # type: ignore[attr-defined]
    before = lookups(client)
    for _ in range(3):
        assert client.get("/api/v1/quotes/random?kind=golden").status_code == 200
        assert client.get("/api/v1/nothing-here").status_code == 404
    assert lookups(client) == before
    assert len(store) == 0
    client.get(f"/api/v1/speeches/{seed_id}")
    assert lookups(client)["miss"] == before["miss"] + 1


def test_a_reindex_by_the_same_tokenizer_is_not_hidden_by_replayed_searches(
    client: TestClient, engine: Engine, seed_id: int
) -> None:
    from app.core.db import writer
    from app.services.indexing import reindex

    url = "/api/v1/search?q=%E5%8A%B3%E6%A8%A1"  # 劳模
    client.get(url)
    before = lookups(client)
    client.get(url)
    assert lookups(client)["hit"] == before["hit"] + 1
    with Session(writer(engine)) as s:
        reindex(session=s)
        s.commit()
    client.get(url)
    after = lookups(client)
    assert after["hit"] == before["hit"] + 1  # not replayed: answered by the route again
    assert after["miss"] == before["miss"] + 1
