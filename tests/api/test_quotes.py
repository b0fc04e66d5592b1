"""Quotes and terms endpoints over the seed speech."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SHARED

PROBLEM = "application/problem+json"
EXPECTED = SHARED / "corpus" / "labour-day-speech.expected.json"
CITATIONS = [
    ("宪法", "劳动是一切有劳动能力的公民的光荣职责"),
    ("宪法", "国家提倡社会主义劳动竞赛，奖励劳动模范和先进工作者"),
    ("党章", "我们党是中国工人阶级的先锋队，党除了工人阶级和最广大人民群众的利益，没有自己的特殊利益"),
]


def all_quotes(client: TestClient, **params: object) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    query = {"limit": 100, **params}
    while True:
        r = client.get("/api/v1/quotes", params=query)
        assert r.status_code == 200, r.text
        body = r.json()
        out += body["data"]
        if not body["next_cursor"]:
            return out
        query["cursor"] = body["next_cursor"]


def test_citations_list_the_constitution_and_party_charter_with_sources(
    client: TestClient, seed_id: int
) -> None:
    quotes = all_quotes(client, kind="citation")
    assert [(q["source"], q["text"]) for q in quotes] == CITATIONS
    assert [q["eid"] for q in quotes] == ["part_1", "part_1", "part_3"]
    only = all_quotes(client, kind="citation", source="党章")
    assert [q["text"] for q in only] == [CITATIONS[2][1]]


def test_seed_terms_and_golden_sentences_are_all_found(client: TestClient, seed_id: int) -> None:
    expected = json.loads(EXPECTED.read_text(encoding="utf-8")) if EXPECTED.exists() else None
    terms = {q["text"] for q in all_quotes(client, kind="term")}
    golden = {q["text"] for q in all_quotes(client, kind="golden")}
    want_terms = (
        expected["quoted_terms_sample"] if expected else ["中国梦", "魅力XX", "劳模精神", "马上办抓落实"]
    )
    want_golden = expected["golden_sentences_sample"] if expected else ["榜样的力量是无穷的。"]
    assert set(want_terms) <= terms
    assert set(want_golden) <= golden
    for q in all_quotes(client, kind="golden"):
        assert q["score"] is not None and 0 < q["score"] <= 1
        assert q["reason"]


def test_terms_carry_their_use_counts(client: TestClient, seed_id: int) -> None:
    terms = all_quotes(client, kind="term")
    counts: dict[object, int] = {}
    for q in terms:
        counts[q["text"]] = counts.get(q["text"], 0) + 1
    for q in terms:
        assert q["uses"] == counts[q["text"]]
    assert counts["魅力XX"] == 9


def test_quote_filters_by_length_and_sort_by_date(client: TestClient, seed_id: int) -> None:
    short = all_quotes(client, max_len=4)
    assert short and all(len(str(q["text"])) <= 4 for q in short)
    long = all_quotes(client, min_len=20)
    assert long and all(len(str(q["text"])) >= 20 for q in long)
    by_date = all_quotes(client, sort="date")
    assert sorted(q["id"] for q in by_date) == sorted(q["id"] for q in all_quotes(client))  # type: ignore[type-var]


def test_quote_pages_with_small_limit_cover_all_once(client: TestClient, seed_id: int) -> None:
    everything = all_quotes(client)
    paged = all_quotes(client, limit=4)
    assert [q["id"] for q in paged] == [q["id"] for q in everything]


def test_read_quote_gives_breadcrumb_and_context(client: TestClient, seed_id: int) -> None:
    quote = next(q for q in all_quotes(client, kind="citation") if q["source"] == "党章")
    r = client.get(f"/api/v1/quotes/{quote['id']}")
    assert r.status_code == 200
    d = r.json()
    assert d["text"] == CITATIONS[2][1]
    assert d["speech"]["id"] == seed_id
    assert [b["eid"] for b in d["breadcrumb"]] == ["part_3"]
    assert d["breadcrumb_text"] == "三、要维护权益、维护发展、维护积极性"
    s, e = d["context"]["span"]
    assert d["context"]["text"][s:e] == d["text"]
    assert d["context"]["paragraph_eid"] == "part_3__para_1"


def test_read_unknown_quote_is_404_problem(client: TestClient) -> None:
    r = client.get("/api/v1/quotes/424242")
    assert (r.status_code, r.headers["content-type"]) == (404, PROBLEM)


def test_random_quotes_respect_kind_and_seed(client: TestClient, seed_id: int) -> None:
    a = client.get(
        "/api/v1/quotes/random", params={"kind": "golden", "limit": 3, "seed": "2026-11-25"}
    ).json()
    b = client.get(
        "/api/v1/quotes/random", params={"kind": "golden", "limit": 3, "seed": "2026-11-25"}
    ).json()
    assert a == b
    assert len(a["data"]) == 3
    assert all(q["kind"] == "golden" for q in a["data"])
    assert len({q["id"] for q in a["data"]}) == 3
    c = client.get("/api/v1/quotes/random", params={"q": "劳动", "limit": 2}).json()
    assert all("劳动" in q["text"] for q in c["data"])


def test_terms_autocomplete_by_pinyin_and_initials(client: TestClient, seed_id: int) -> None:
    laomo = [t["text"] for t in client.get("/api/v1/terms", params={"prefix": "laomo"}).json()["data"]]
    assert laomo[:2] == ["劳模", "劳模精神"]
    lmjs = [t["text"] for t in client.get("/api/v1/terms", params={"prefix": "lmjs"}).json()["data"]]
    assert lmjs == ["劳模精神"]
    han = [t["text"] for t in client.get("/api/v1/terms", params={"prefix": "魅力"}).json()["data"]]
    assert han == ["魅力XX"]
    assert client.get("/api/v1/terms", params={"prefix": "zzzz"}).json()["data"] == []


FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(q=st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=200))
def test_any_keyword_string_is_a_normal_answer(client: TestClient, seed_id: int, q: str) -> None:
    for path, key in [
        ("/api/v1/search", "q"),
        ("/api/v1/quotes", "q"),
        ("/api/v1/quotes/random", "q"),
        ("/api/v1/terms", "prefix"),
    ]:
        r = client.get(path, params={key: q})
        assert r.status_code < 500, (path, q, r.text)
        if r.status_code >= 400:
            assert r.headers["content-type"] == PROBLEM
