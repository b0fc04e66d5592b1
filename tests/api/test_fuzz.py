"""Property: no input a client can send to the read API gets a 5xx; every error is problem+json."""

from __future__ import annotations

from urllib.parse import quote

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Any Unicode a URL can carry, including lone surrogates' neighbours, NUL and long strings.
path_text = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=300)
query_text = st.one_of(path_text, st.integers(-(10**20), 10**20).map(str))


def check(r: object) -> None:
    status = r.status_code  # type: ignore[attr-defined]
    assert status < 500, r.text  # type: ignore[attr-defined]
    if status >= 400:
        assert r.headers["content-type"] == "application/problem+json"  # type: ignore[attr-defined]


@FUZZ
@given(speech=path_text, eid=path_text)
def test_any_speech_and_eid_path_is_a_normal_answer(
    client: TestClient, seed_id: int, speech: str, eid: str
) -> None:
    check(client.get(f"/api/v1/speeches/{quote(speech, safe='')}"))
    check(client.get(f"/api/v1/speeches/{quote(speech, safe='')}/sections/{quote(eid, safe='')}"))
    check(client.get(f"/api/v1/speeches/{seed_id}/sections/{quote(eid, safe='')}"))
    check(client.get(f"/api/v1/speeches/{quote(speech, safe='')}/points"))


@FUZZ
@given(cursor=query_text, limit=query_text, kind=query_text, speech=query_text)
def test_any_list_query_is_a_normal_answer(
    client: TestClient, seed_id: int, cursor: str, limit: str, kind: str, speech: str
) -> None:
    check(client.get("/api/v1/speeches", params={"cursor": cursor, "limit": limit}))
    check(client.get("/api/v1/quotes", params={"cursor": cursor, "kind": kind, "speech": speech}))
