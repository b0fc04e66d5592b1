"""Quotes and terms endpoints over the seed speech."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote_from_bytes

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from tests.conftest import SHARED, import_text

PROBLEM = "application/problem+json"
EXPECTED = SHARED / "corpus" / "labour-day-speech.expected.json"


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    """The seed's expected quotes, read from ../shared (never copied into this repository)."""
    if not EXPECTED.exists():
        pytest.skip("../shared/corpus/labour-day-speech.expected.json is not available")
    data: dict[str, Any] = json.loads(EXPECTED.read_text(encoding="utf-8"))
    return data


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
    client: TestClient, seed_id: int, expected: dict[str, Any]
) -> None:
    want = [(c["source"], c["text"]) for c in expected["citations"]]
    quotes = all_quotes(client, kind="citation")
    assert [(q["source"], q["text"]) for q in quotes] == want
    assert {s for s, _ in want} == {"宪法", "党章"}
    assert [q["eid"] for q in quotes] == ["part_1", "part_1", "part_3"]
    for source in ("宪法", "党章"):
        only = all_quotes(client, kind="citation", source=source)
        assert [(q["source"], q["text"]) for q in only] == [w for w in want if w[0] == source]
    assert all_quotes(client, kind="citation", source="论语") == []


def test_seed_terms_and_golden_sentences_are_all_found(
    client: TestClient, seed_id: int, expected: dict[str, Any]
) -> None:
    terms = {q["text"] for q in all_quotes(client, kind="term")}
    golden = {q["text"] for q in all_quotes(client, kind="golden")}
    assert set(expected["quoted_terms_sample"]) <= terms
    assert set(expected["golden_sentences_sample"]) <= golden
    for q in all_quotes(client, kind="golden"):
        assert q["score"] is not None and 0 < q["score"] <= 1
        assert q["reason"]
    for q in all_quotes(client):
        assert q["kind"] in ("citation", "term", "golden")
        assert q["eid"] and q["span"][0] < q["span"][1]


def test_terms_carry_their_use_counts(client: TestClient, seed_id: int) -> None:
    terms = all_quotes(client, kind="term")
    counts: dict[object, int] = {}
    for q in terms:
        counts[q["text"]] = counts.get(q["text"], 0) + 1
    for q in terms:
        assert q["uses"] == counts[q["text"]]
    assert counts["魅力XX"] == 9


def term_uses(client: TestClient, term: str) -> int | None:
    found = [
        t for t in client.get("/api/v1/terms", params={"prefix": term}).json()["data"] if t["text"] == term
    ]
    return found[0]["uses"] if found else None


def test_term_uses_are_counted_across_the_corpus_and_follow_every_write(
    client: TestClient, seed_id: int, auth: dict[str, str]
) -> None:
    assert term_uses(client, "中国梦") == 2
    assert term_uses(client, "魅力XX") == 9
    plain = {**auth, "Content-Type": "text/plain"}
    other = client.post(
        "/api/v1/speeches",
        content="青年座谈会上的讲话\n同志们，“中国梦”是我们的梦。实现“中国梦”，建设“魅力XX”，弘扬“新风尚”。".encode(),
        headers=plain,
    )
    assert other.status_code == 201, other.text
    oid = other.json()["id"]
    assert term_uses(client, "中国梦") == 4
    assert term_uses(client, "魅力XX") == 10
    assert term_uses(client, "新风尚") == 1
    # Every quote of a term carries the corpus-wide count.
    quoted = all_quotes(client, kind="term", q="中国梦")
    assert {q["speech_id"] for q in quoted} == {seed_id, oid}
    assert all(q["uses"] == 4 for q in quoted)
    # Replacing the text recounts; withdrawing takes the speech's uses away.
    r = client.put(
        f"/api/v1/speeches/{oid}/text",
        content="青年座谈会上的讲话\n同志们，“中国梦”是我们的梦。".encode(),
        headers=plain,
    )
    assert r.status_code == 200, r.text
    assert term_uses(client, "中国梦") == 3
    assert term_uses(client, "魅力XX") == 9
    assert term_uses(client, "新风尚") is None  # no longer used anywhere: not suggested
    assert client.delete(f"/api/v1/speeches/{oid}", headers=auth).status_code == 204
    assert term_uses(client, "中国梦") == 2


def test_quotes_search_sorts_and_pages_by_cursor(client: TestClient, seed_id: int) -> None:
    everything = all_quotes(client, q="劳动")
    assert len(everything) >= 3
    assert all("劳动" in str(q["text"]) for q in everything)
    truth = {q["id"] for q in all_quotes(client) if "劳动" in str(q["text"])}
    assert {q["id"] for q in everything} == truth
    for sort in ("relevance", "date"):
        paged = all_quotes(client, q="劳动", sort=sort, limit=2)
        assert len(paged) == len({q["id"] for q in paged}) == len(truth)
        assert {q["id"] for q in paged} == truth
    first = client.get("/api/v1/quotes", params={"q": "劳动", "limit": 2})
    assert first.json()["total"] == len(truth)
    assert 'rel="next"' in first.headers["link"]
    golden = all_quotes(client, q="劳动", kind="golden")
    assert golden and all(q["kind"] == "golden" for q in golden)
    assert {q["id"] for q in golden} < truth
    traditional = all_quotes(client, q="勞動")
    assert [q["id"] for q in traditional] == [q["id"] for q in everything]
    bad = client.get("/api/v1/quotes", params={"sort": "relevance"})
    assert (bad.status_code, bad.headers["content-type"]) == (400, PROBLEM)
    assert client.get("/api/v1/quotes", params={"q": "。，"}).status_code == 400
    assert client.get("/api/v1/quotes", params={"cursor": "not-a-cursor"}).status_code == 400


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
    assert d["text"] == quote["text"] and d["source"] == "党章"
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

    def texts(prefix: str) -> list[str]:
        return [t["text"] for t in client.get("/api/v1/terms", params={"prefix": prefix}).json()["data"]]

    # The typed prefix, case-folded, Traditional, spaced or with tone marks: the same suggestions.
    assert texts("魅力X") == texts("魅力x") == ["魅力XX"]
    assert texts("勞模") == texts("劳模")
    assert "劳模精神" in texts("勞模")
    assert texts("Lao Mo") == texts("lǎomó") == laomo
    assert texts("LMJS") == lmjs
    for t in client.get("/api/v1/terms", params={"prefix": "lm"}).json()["data"]:
        assert t["initials"].startswith("lm") or t["pinyin"].startswith("lm")
    assert client.get("/api/v1/terms", params={"prefix": "zzzz"}).json()["data"] == []


FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


# Query syntax and FTS5 / tsquery operators, mixed with Han, Latin, digits, spaces and controls.
OPERATORS = ["AND", "OR", "NOT", "NEAR", "tok:", "fts_sentence", "劳", "模", "劳模", "中国梦", "5G", "ａ"]
SYNTAX = [*"\"“”'*^:()+-{}[],.;!?%&|\\/<>=~@#$ \u3000\t\n\x00\U00020000", *OPERATORS]
query_strings = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=200),
    st.lists(st.sampled_from(SYNTAX), min_size=1, max_size=30).map("".join),
    st.text(st.sampled_from('劳模精神 -"'), min_size=1, max_size=10_000),
)
SEARCHES = [
    ("/api/v1/search", "q", {}),
    ("/api/v1/search", "q", {"in": "sections", "sort": "date"}),
    ("/api/v1/search", "q", {"in": "quotes", "speech": "1", "from": "2000-01-01"}),
    ("/api/v1/quotes", "q", {}),
    ("/api/v1/quotes", "q", {"kind": "term", "sort": "date", "min_len": "2"}),
    ("/api/v1/quotes/random", "q", {"kind": "golden"}),
    ("/api/v1/terms", "prefix", {}),
]


def normal(r: Any, where: object) -> None:
    assert r.status_code < 500, (where, r.text)
    if r.status_code >= 400:
        assert r.headers["content-type"] == PROBLEM
    else:
        body = r.json()
        assert isinstance(body["data"], list)


@FUZZ
@given(q=query_strings)
def test_any_keyword_string_is_a_normal_answer(client: TestClient, seed_id: int, q: str) -> None:
    for path, key, extra in SEARCHES:
        normal(client.get(path, params={key: q, **extra}), (path, q))


@FUZZ
@given(raw=st.binary(min_size=1, max_size=60))
def test_any_bytes_in_the_query_string_are_a_normal_answer(
    client: TestClient, seed_id: int, raw: bytes
) -> None:
    """Percent-encoded bytes reach the app undecoded: invalid UTF-8, lone surrogates (CESU-8), NUL."""
    encoded = quote_from_bytes(raw, safe="")
    for path, key, _ in SEARCHES:
        normal(client.get(f"{path}?{key}={encoded}"), (path, raw))


def test_quote_search_total_says_when_it_is_capped(client: TestClient, engine: Engine) -> None:
    """Like search: beyond 10,000 matches `total` is a lower bound, and the page says so."""
    lines = ["大量术语的讲话"] + ["".join("要弘扬“劳模精神”。" for _ in range(50)) for _ in range(201)]
    import_text(engine, "\n".join(lines))  # 10,050 quoted uses of one term
    body = client.get("/api/v1/quotes", params={"q": "劳模精神", "kind": "term", "limit": 5}).json()
    assert (body["total"], body["total_capped"]) == (10000, True)
    small = client.get("/api/v1/quotes", params={"q": "工匠精神", "limit": 5}).json()
    assert small["total_capped"] is False and small["total"] == len(all_quotes(client, q="工匠精神"))
    listed = client.get("/api/v1/quotes", params={"limit": 5}).json()
    assert listed["total_capped"] is False and listed["total"] > 10000  # counted exactly without q
