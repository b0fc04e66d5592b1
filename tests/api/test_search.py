"""Search through the API on a migrated database: exact substring semantics, highlights, errors."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app import search
from app.core.db import make_engine, writer
from app.main import create_app
from app.repositories import search as search_repo
from app.services.indexing import reindex
from tests.conftest import SEED, SHARED, import_text, wire
from tests.databases import drop_database, new_database

DEV = SHARED / "corpus" / "dev" / "texts"
PROBLEM = "application/problem+json"
Sort = Literal["relevance", "date"]
SORTS: tuple[Sort, ...] = ("relevance", "date")


@pytest.fixture(scope="module")
def corpus_engine(migrated_template: str) -> Iterator[Engine]:
    """The seed, the dev corpus (when ../shared is there) and generated speeches, imported once."""
    url = new_database("corpus", template=migrated_template)
    engine = make_engine(url)
    import_text(engine, SEED.read_text(encoding="utf-8"))
    if DEV.is_dir():
        for f in sorted(DEV.glob("*.txt")):
            import_text(engine, f.read_bytes().decode("utf-8", "replace"))
    rng = random.Random(7)
    alphabet = "劳模精神创新发展中国梦产业兴市5G网络2024年勞動abc"
    for n in range(30):
        lines = [f"生成的讲话第{n}篇"]
        for _ in range(20):
            sentence = "".join(rng.choice(alphabet) for _ in range(rng.randint(4, 30)))
            lines.append(sentence + rng.choice("。！？，"))
        import_text(engine, "\n".join(lines))
    yield engine
    engine.dispose()
    drop_database(url)


@pytest.fixture(scope="module")
def corpus_client(corpus_engine: Engine) -> Iterator[TestClient]:
    app = create_app()

    wire(app, corpus_engine)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def truth(engine: Engine, query: search.Query, table: str = "sentence") -> set[int]:
    """Brute force: every row whose folded text contains each keyword and no excluded one."""
    column = "coalesce(heading, '')" if table == "section" else "text"
    with engine.connect() as conn:
        rows = conn.execute(text(f"SELECT id, {column} FROM {table}")).all()
    return {i for i, t in rows if search.matches_substring(t, query)}


def indexed(engine: Engine, q: str, target: search_repo.Target = "sentence", sort: Sort = "date") -> set[int]:
    query = search.parse_query(q)
    assert not query.empty
    with Session(engine) as session:
        ids = search_repo.search_ids(
            session=session,
            target=target,
            query=query,
            filters=search_repo.Filters(),
            sort=sort,
            limit=10**6,
            offset=0,
        )
    assert len(ids) == len(set(ids))
    return set(ids)


def sample_queries(engine: Engine, seed: int) -> list[str]:
    """Random substrings of stored sentences: 1, 2, 3, 4-6 characters, and two-keyword queries."""
    with engine.connect() as conn:
        texts = [r[0] for r in conn.execute(text("SELECT text FROM sentence ORDER BY id")).all()]
    rng = random.Random(seed)
    runs = [
        r for t in rng.sample(texts, 300) for r in search.fold(t).replace("，", " ").split() if len(r) >= 6
    ]
    queries = []
    for length in (1, 2, 3, 4, 6):
        for _ in range(12):
            run = rng.choice(runs)
            start = rng.randrange(len(run) - length + 1)
            queries.append(run[start : start + length])
    queries = [q for q in queries if search.parse_query(q).keywords and not any(c in q for c in "。、；：“”")]
    pairs = [f"{a} {b}" for a, b in zip(queries[10:30], queries[40:60], strict=False)]
    return queries + pairs


KNOWN = [
    "劳模",
    "创新",
    "发展",
    "中国梦",
    "改革开放",
    "5G",
    "2024年",
    "劳",
    "梦",
    "产业兴市",
    "魅力XX",
    "勞模",
    "中國夢",
]


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("q", KNOWN)
def test_search_finds_exactly_the_sentences_containing_known_words(
    corpus_engine: Engine, q: str, sort: Sort
) -> None:
    assert indexed(corpus_engine, q, sort=sort) == truth(corpus_engine, search.parse_query(q))


@pytest.mark.parametrize("sort", SORTS)
def test_search_recall_equals_brute_force_for_random_substrings(corpus_engine: Engine, sort: Sort) -> None:
    queries = sample_queries(corpus_engine, seed=11)
    assert len(queries) > 60
    lengths = {len(q) for q in queries if " " not in q}
    assert {1, 2, 3, 4} <= lengths and max(lengths) >= 6
    assert sum(" " in q for q in queries) >= 10  # two-keyword queries
    for q in queries:
        assert indexed(corpus_engine, q, sort=sort) == truth(corpus_engine, search.parse_query(q)), q


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("q", ["劳模 -精神", "创新 发展", "中国 -梦", "5G网络"])
def test_search_and_exclusion_match_brute_force(corpus_engine: Engine, q: str, sort: Sort) -> None:
    assert indexed(corpus_engine, q, sort=sort) == truth(corpus_engine, search.parse_query(q))


@pytest.mark.parametrize("sort", SORTS)
def test_section_and_quote_indexes_match_brute_force(corpus_engine: Engine, sort: Sort) -> None:
    for q in ["发展", "劳模", "改革", "精神", "梦"]:
        query = search.parse_query(q)
        assert indexed(corpus_engine, q, "section", sort) == truth(corpus_engine, query, "section")
        assert indexed(corpus_engine, q, "quote", sort) == truth(corpus_engine, query, "quote")


def test_relevance_pages_reach_every_match_beyond_the_ranking_window(corpus_engine: Engine) -> None:
    """Only the newest WINDOW matches are ranked; the older ones must still be on later pages."""
    checked = 0
    for q in ["的", "发展", "劳"]:
        query = search.parse_query(q)
        expected = truth(corpus_engine, query)
        if len(expected) <= search_repo.WINDOW:
            continue
        checked += 1
        pages: list[int] = []
        with Session(corpus_engine) as session:
            for offset in range(0, len(expected) + 1, 173):  # pages straddle the window's end
                pages += search_repo.search_ids(
                    session=session,
                    target="sentence",
                    query=query,
                    filters=search_repo.Filters(),
                    sort="relevance",
                    limit=173,
                    offset=offset,
                )
        assert len(pages) == len(set(pages)), q
        assert set(pages) == expected, q
        # The ranked window holds the newest matches; the rest follow newest first.
        newest = sorted(expected, reverse=True)
        assert set(pages[: search_repo.WINDOW]) == set(newest[: search_repo.WINDOW])
        assert pages[search_repo.WINDOW :] == newest[search_repo.WINDOW :]
    assert checked, "the test corpus has a keyword with more matches than the ranking window"


def test_relevance_pages_through_http_cover_every_match(
    corpus_client: TestClient, corpus_engine: Engine
) -> None:
    expected = truth(corpus_engine, search.parse_query("的"))
    assert len(expected) > search_repo.WINDOW
    seen: list[int] = []
    params: dict[str, str | int] = {"q": "的", "limit": 100}
    while True:
        body = corpus_client.get("/api/v1/search", params=params).json()
        seen += [h["id"] for h in body["data"]]
        if not body["next_cursor"]:
            break
        params["cursor"] = body["next_cursor"]
    assert len(seen) == len(set(seen))
    assert set(seen) == expected


def test_search_total_matches_brute_force_through_http(
    corpus_client: TestClient, corpus_engine: Engine
) -> None:
    for q in ["劳模", "中国梦", "创新 发展"]:
        r = corpus_client.get("/api/v1/search", params={"q": q, "limit": 5})
        assert r.status_code == 200
        body = r.json()
        assert body["total"] == len(truth(corpus_engine, search.parse_query(q)))
        assert body["total_capped"] is False
        assert body["total_text"] == str(body["total"])


def test_search_pages_cover_every_hit_once(corpus_client: TestClient, corpus_engine: Engine) -> None:
    seen: list[int] = []
    params = {"q": "劳模", "limit": 7}
    while True:
        r = corpus_client.get("/api/v1/search", params=params)
        body = r.json()
        seen += [h["id"] for h in body["data"]]
        if not body["next_cursor"]:
            break
        assert 'rel="next"' in r.headers["link"]
        params["cursor"] = body["next_cursor"]
    assert len(seen) == len(set(seen))
    assert set(seen) == truth(corpus_engine, search.parse_query("劳模"))


def test_search_filters_by_speech(corpus_client: TestClient, corpus_engine: Engine) -> None:
    body = corpus_client.get("/api/v1/search", params={"q": "劳模", "speech": 1, "limit": 100}).json()
    assert body["data"]
    assert {h["speech"]["id"] for h in body["data"]} == {1}


def test_search_seed_laomo_has_highlights_breadcrumb_and_snippet(client: TestClient, seed_id: int) -> None:
    r = client.get("/api/v1/search", params={"q": "劳模", "limit": 100})
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == len(body["data"]) > 5
    for hit in body["data"]:
        assert "劳模" in hit["text"]
        assert hit["highlights"]
        for s, e in hit["highlights"]:
            assert hit["text"][s:e] == "劳模"
        assert "<mark>劳模</mark>" in hit["snippet"]
        assert hit["speech"]["id"] == seed_id
        assert hit["breadcrumb"][-1]["eid"] == hit["eid"]
    nested = [h for h in body["data"] if h["eid"] == "part_1__point_2"]
    assert nested
    assert (
        nested[0]["breadcrumb_text"]
        == "一、要尊重劳动、尊重劳模、尊重劳动者 › 二是深入学习，让他们的精神闪耀XX"
    )


def test_search_traditional_query_finds_the_same_hits(client: TestClient, seed_id: int) -> None:
    simplified = client.get("/api/v1/search", params={"q": "劳模", "limit": 100}).json()
    traditional = client.get("/api/v1/search", params={"q": "勞模", "limit": 100}).json()
    assert [h["id"] for h in traditional["data"]] == [h["id"] for h in simplified["data"]]
    assert traditional["query"] == "劳模"


@pytest.mark.parametrize("term", ["中国梦", "魅力XX"])
def test_search_quotes_finds_the_terms(client: TestClient, seed_id: int, term: str) -> None:
    body = client.get("/api/v1/quotes", params={"q": term, "kind": "term", "limit": 100}).json()
    assert body["data"]
    assert {q["text"] for q in body["data"]} == {term}
    assert all(q["uses"] == len(body["data"]) for q in body["data"])


HOSTILE = [
    '"',
    "AND",
    "*",
    ":",
    "()",
    "\x00",
    "NEAR(劳模",
    "劳模 OR",
    "x" * 10_000,
    "劳" * 5000,
    "-",
    "劳模^",
]
# Raw query strings: a lone surrogate as CESU-8 bytes, invalid UTF-8, an overlong encoding.
RAW = ["%E5%8A%B3%ED%A0%80%E6%A8%A1", "%FF%FE", "%C0%AF", "%00", "%F0%9F%98%80劳"]


@pytest.mark.parametrize("q", HOSTILE)
def test_search_hostile_queries_are_normal_answers(client: TestClient, seed_id: int, q: str) -> None:
    r = client.get("/api/v1/search", params={"q": q})
    check_normal(r)


@pytest.mark.parametrize("raw", RAW)
def test_search_undecodable_queries_are_normal_answers(client: TestClient, seed_id: int, raw: str) -> None:
    check_normal(client.get(f"/api/v1/search?q={raw}"))
    check_normal(client.get(f"/api/v1/quotes?q={raw}"))
    check_normal(client.get(f"/api/v1/terms?prefix={raw}"))


def check_normal(r: object) -> None:
    status = r.status_code  # type: ignore[attr-defined]
    assert status in (200, 400), r.text  # type: ignore[attr-defined]
    if status == 400:
        assert r.headers["content-type"] == PROBLEM  # type: ignore[attr-defined]
        # NUL is refused before parsing (bad-request); anything else with nothing to search is invalid-query.
        assert r.json()["type"] in ("/problems/invalid-query", "/problems/bad-request")  # type: ignore[attr-defined]


def test_search_refuses_an_index_built_by_another_tokenizer(
    client: TestClient, engine: Engine, seed_id: int
) -> None:
    with Session(writer(engine)) as s:
        s.execute(text("UPDATE search_meta SET value = 'old' WHERE key = 'tokenizer_version'"))
        s.commit()
    for path, params in [
        ("/api/v1/search", {"q": "劳模"}),
        ("/api/v1/search", {"q": "劳模", "in": "quotes", "sort": "date"}),
        ("/api/v1/quotes", {"q": "劳模"}),
        ("/api/v1/quotes/random", {"q": "劳模"}),
    ]:
        r = client.get(path, params=params)
        assert (r.status_code, r.headers["content-type"]) == (503, PROBLEM), path
        assert r.json()["type"] == "/problems/index-outdated"
        assert "reindex" in r.json()["detail"]
    assert client.get("/api/v1/quotes", params={"kind": "citation"}).status_code == 200  # no search: served
    with Session(writer(engine)) as s:
        assert reindex(session=s) > 0
        s.commit()
    assert client.get("/api/v1/search", params={"q": "劳模"}).status_code == 200


def test_reindex_gives_the_same_results(corpus_engine: Engine, tmp_path: Path) -> None:
    before = {q: indexed(corpus_engine, q) for q in ["劳模", "创新 发展", "梦"]}
    with Session(writer(corpus_engine)) as s:
        reindex(session=s)
        s.commit()
    assert {q: indexed(corpus_engine, q) for q in before} == before


@pytest.mark.parametrize("q", ["劳模", "发展", "的", "创新 发展", "中国 -梦"])
@pytest.mark.parametrize("offset", [0, 7, 95])
def test_date_walk_gives_the_same_order_as_sorting_all_matches(
    corpus_engine: Engine, q: str, offset: int
) -> None:
    query = search.parse_query(q)
    with Session(corpus_engine) as s:
        for filters in (
            search_repo.Filters(),
            search_repo.Filters(speech_id=1),
            search_repo.Filters(date_to=None),
        ):
            for target in ("sentence", "quote"):
                whole = search_repo.search_ids(
                    session=s,
                    target=target,
                    query=query,
                    filters=filters,
                    sort="date",
                    limit=20,
                    offset=offset,
                )
                walked = search_repo.search_ids_by_date_walk(
                    session=s, target=target, query=query, filters=filters, limit=20, offset=offset
                )
                assert walked == whole


def test_cached_search_pages_follow_every_write(
    client: TestClient, seed_id: int, auth: dict[str, str]
) -> None:
    before = client.get("/api/v1/search", params={"q": "劳模"}).json()
    assert client.get("/api/v1/search", params={"q": "劳模"}).json() == before  # served from the cache
    r = client.post(
        "/api/v1/speeches",
        content="表彰会讲话\n同志们，向劳模学习。".encode(),
        headers={**auth, "Content-Type": "text/plain"},
    )
    assert r.status_code == 201
    after = client.get("/api/v1/search", params={"q": "劳模"}).json()
    assert after["total"] == before["total"] + 1
    client.delete(f"/api/v1/speeches/{r.json()['id']}", headers=auth)
    assert client.get("/api/v1/search", params={"q": "劳模"}).json()["total"] == before["total"]


def test_reindex_leaves_withdrawn_speeches_out(
    client: TestClient, engine: Engine, seed_id: int, auth: dict[str, str]
) -> None:
    other = client.post(
        "/api/v1/speeches",
        content="表彰会讲话\n同志们，向劳模学习。“劳模精神”永放光芒。".encode(),
        headers={**auth, "Content-Type": "text/plain"},
    ).json()["id"]
    assert client.delete(f"/api/v1/speeches/{seed_id}", headers=auth).status_code in (200, 204)

    def found() -> tuple[set[int], set[int], set[int]]:
        sentences = client.get("/api/v1/search", params={"q": "劳模", "limit": 100}).json()["data"]
        quotes = client.get("/api/v1/quotes", params={"q": "劳模", "limit": 100}).json()["data"]
        sections = client.get("/api/v1/search", params={"q": "劳", "in": "sections", "limit": 100}).json()
        return (
            {h["speech"]["id"] for h in sentences},
            {q["speech_id"] for q in quotes},
            {h["speech"]["id"] for h in sections["data"]},
        )

    before = found()
    assert before[0] == before[1] == {other}
    assert seed_id not in before[2]
    with Session(writer(engine)) as s:
        reindex(session=s)
        s.commit()
    assert found() == before  # the withdrawn seed stays out of every index


def test_search_sections_and_quotes_over_http(client: TestClient, seed_id: int) -> None:
    sections = client.get("/api/v1/search", params={"q": "劳模", "in": "sections"}).json()
    assert [h["eid"] for h in sections["data"]] == ["part_1"]
    hit = sections["data"][0]
    assert hit["kind"] == "section"
    assert hit["text"] == "要尊重劳动、尊重劳模、尊重劳动者"
    assert [hit["text"][s:e] for s, e in hit["highlights"]] == ["劳模"]
    assert "<mark>劳模</mark>" in hit["snippet"]
    quotes = client.get("/api/v1/search", params={"q": "劳模", "in": "quotes", "limit": 100}).json()
    assert quotes["data"] and quotes["total"] == len(quotes["data"])
    assert all(h["kind"] == "quote" and "劳模" in h["text"] for h in quotes["data"])
    assert {h["quote_kind"] for h in quotes["data"]} >= {"term"}
    laws = client.get("/api/v1/search", params={"q": "劳动竞赛", "in": "quotes"}).json()["data"]
    assert [(h["quote_kind"], h["source"]) for h in laws] == [("citation", "宪法")]
    assert laws[0]["breadcrumb_text"] == "一、要尊重劳动、尊重劳模、尊重劳动者"


def _speech_on(client: TestClient, auth: dict[str, str], title: str, day: str) -> int:
    r = client.post(
        "/api/v1/speeches",
        content=f"{title}\n同志们，劳模是民族的精英。".encode(),
        headers={**auth, "Content-Type": "text/plain"},
    )
    assert r.status_code == 201, r.text
    sid = int(r.json()["id"])
    p = client.patch(f"/api/v1/speeches/{sid}", json={"delivered_on": day}, headers=auth)
    assert p.status_code == 200, p.text
    return sid


def test_search_filters_by_date_and_sorts_newest_first(
    client: TestClient, seed_id: int, auth: dict[str, str]
) -> None:
    old = _speech_on(client, auth, "二〇一九年的讲话", "2019-05-01")
    mid = _speech_on(client, auth, "二〇二一年的讲话", "2021-05-01")
    new = _speech_on(client, auth, "二〇二四年的讲话", "2024-05-01")

    def speeches(**params: str) -> list[int]:
        body = client.get("/api/v1/search", params={"q": "劳模", "limit": 100, **params}).json()
        assert body["total"] == len(body["data"])
        return [h["speech"]["id"] for h in body["data"]]

    assert set(speeches(**{"from": "2020-01-01"})) == {mid, new}
    assert set(speeches(to="2021-12-31")) == {old, mid}
    assert set(speeches(**{"from": "2020-01-01", "to": "2021-12-31"})) == {mid}
    assert speeches(**{"from": "2030-01-01"}) == []
    # Newest speech first; a speech without a date comes after every dated one.
    by_date = speeches(sort="date")
    firsts = list(dict.fromkeys(by_date))
    assert firsts[:3] == [new, mid, old]
    assert firsts[-1] == seed_id
    bad = client.get("/api/v1/search", params={"q": "劳模", "from": "2024-13-01"})
    assert bad.status_code in (400, 422) and bad.headers["content-type"] == PROBLEM


def test_search_total_is_capped_and_paging_goes_on(client: TestClient, engine: Engine) -> None:
    lines = ["大量劳模的讲话"] + ["".join(f"第{i * 50 + j}位劳模。" for j in range(50)) for i in range(202)]
    import_text(engine, "\n".join(lines))
    body = client.get("/api/v1/search", params={"q": "劳模", "limit": 100}).json()
    assert (body["total"], body["total_capped"], body["total_text"]) == (10000, True, "10000+")
    assert body["next_cursor"]
    # Beyond the cap the count is a lower bound, and pages keep coming while they are full.
    from app.api.pagination import encode_offset

    past = client.get(
        "/api/v1/search", params={"q": "劳模", "limit": 100, "cursor": encode_offset(10_000)}
    ).json()
    assert len(past["data"]) == 100 and past["next_cursor"]
    last = client.get(
        "/api/v1/search", params={"q": "劳模", "limit": 100, "cursor": encode_offset(10_050)}
    ).json()
    assert len(last["data"]) == 50 and last["next_cursor"] is None  # 10,100 sentences hold 劳模
    small = client.get("/api/v1/search", params={"q": "劳模精神", "limit": 5}).json()
    assert small["total_capped"] is False and small["total_text"] == str(small["total"])


def test_index_follows_a_text_replacement(client: TestClient, seed_id: int, auth: dict[str, str]) -> None:
    plain = {**auth, "Content-Type": "text/plain"}
    sid = client.post(
        "/api/v1/speeches", content="调研座谈会上的讲话\n同志们，要抓好菜篮子工程。".encode(), headers=plain
    ).json()["id"]
    assert client.get("/api/v1/search", params={"q": "菜篮子"}).json()["total"] == 1
    r = client.put(
        f"/api/v1/speeches/{sid}/text",
        content="调研座谈会上的讲话\n同志们，要抓好米袋子工程。".encode(),
        headers=plain,
    )
    assert r.status_code == 200, r.text
    assert client.get("/api/v1/search", params={"q": "菜篮子"}).json()["total"] == 0
    hits = client.get("/api/v1/search", params={"q": "米袋子"}).json()["data"]
    assert [h["speech"]["id"] for h in hits] == [sid]
    assert client.get("/api/v1/search", params={"q": "座谈会", "in": "sections"}).status_code == 200
