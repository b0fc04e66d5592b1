"""PostgreSQL beside SQLite: the same search results, data migration, several processes at once.

These run under `scripts/test --postgres` (JIANGHUA_TEST_POSTGRES_URL set) and are skipped otherwise.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator

import httpx2 as httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session

from app import search
from app.core import migrations
from app.core.db import database_problems, make_engine
from app.repositories import search as search_repo
from tests.conftest import REPO, SEED, SHARED, import_text, make_key
from tests.databases import POSTGRES, _admin, drop_database, new_database
from tests.server import running_server

pytestmark = [pytest.mark.skipif(POSTGRES is None, reason="needs scripts/test --postgres"), pytest.mark.slow]
DEV = SHARED / "corpus" / "dev" / "texts"
QUERIES = [
    "劳模",
    "劳",
    "中国梦",
    "创新 发展",
    "高质量发展",
    "改革 -开放",
    "5G",
    "2024年",
    "勞動",
    '"劳动 精神"',
]


def corpus() -> list[str]:
    texts = [SEED.read_text(encoding="utf-8")]
    texts += (
        [f.read_bytes().decode("utf-8", "replace") for f in sorted(DEV.glob("*.txt"))] if DEV.is_dir() else []
    )
    return texts


def sqlite_url(tmp: str) -> str:
    return f"sqlite:///{tmp}/cross.db"


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, Engine]]:
    lite_url = sqlite_url(str(tmp_path_factory.mktemp("cross")))
    pg_url = new_database("cross")
    engines = []
    for url in (lite_url, pg_url):
        migrations.upgrade(url)
        engine = make_engine(url)
        for t in corpus():
            import_text(engine, t)
        engines.append(engine)
    yield engines[0], engines[1]
    for e in engines:
        e.dispose()
    drop_database(pg_url)


def results(engine: Engine, q: str, target: search_repo.Target, sort: str) -> list[tuple[str, str]]:
    """(speech slug, matched text) of every hit: ids differ between databases, content does not."""
    query = search.parse_query(q)
    with Session(engine) as s:
        ids = search_repo.search_ids(
            session=s,
            target=target,
            query=query,
            filters=search_repo.Filters(),
            sort=sort,
            limit=10**6,
            offset=0,  # type: ignore[arg-type]
        )
        column = "heading" if target == "section" else "text"
        rows = dict(
            s.execute(
                text(
                    f"SELECT t.id, sp.slug || '|' || coalesce(t.{column}, '') FROM {target} t "
                    "JOIN speech sp ON sp.id = t.speech_id"
                )
            ).all()
        )
    return [tuple(rows[i].split("|", 1)) for i in ids]  # type: ignore[misc]


@pytest.mark.parametrize("q", QUERIES)
@pytest.mark.parametrize("target", ["sentence", "section", "quote"])
def test_search_gives_the_same_results_on_both_engines(
    both: tuple[Engine, Engine], q: str, target: str
) -> None:
    lite, pg = both
    by_date_lite = results(lite, q, target, "date")  # type: ignore[arg-type]
    assert by_date_lite == results(pg, q, target, "date")  # type: ignore[arg-type]
    # Relevance uses bm25 on SQLite and ts_rank on PostgreSQL: the same hits, ranked their own way.
    assert sorted(results(lite, q, target, "relevance")) == sorted(results(pg, q, target, "relevance"))  # type: ignore[arg-type]
    if target == "sentence" and q in ("劳模", "中国梦"):
        assert by_date_lite


def test_migrate_data_copies_sqlite_into_postgres(tmp_path: pytest.TempPathFactory) -> None:
    lite = f"sqlite:///{tmp_path}/source.db"
    migrations.upgrade(lite)
    engine = make_engine(lite)
    for t in corpus()[:4]:
        import_text(engine, t)
    key = make_key(engine, "admin")
    target = new_database("copy")
    env = {**os.environ, "JIANGHUA_DATABASE_URL": target}
    r = subprocess.run(
        [sys.executable, "-m", "app", "migrate-data", "--from", lite, "--to", target],
        cwd=REPO,
        env=env,
        capture_output=True,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    pg = make_engine(target)
    with engine.connect() as a, pg.connect() as b:
        for table in ("speech", "section", "paragraph", "sentence", "quote", "term", "api_key", "change"):
            q = f"SELECT count(*) FROM {table}"
            assert a.execute(text(q)).scalar() == b.execute(text(q)).scalar(), table
        assert (
            a.execute(text("SELECT text FROM speech ORDER BY id")).all()
            == b.execute(text("SELECT text FROM speech ORDER BY id")).all()
        )
    for q in ("劳模", "中国梦"):
        assert results(engine, q, "sentence", "date") == results(pg, q, "sentence", "date")
    with running_server(target) as base:
        # New rows continue after the copied ids; the copied key still works.
        r2 = httpx.post(
            base + "/api/v1/speeches",
            content="新的讲话\n同志们，好。".encode(),
            headers={"Authorization": f"Bearer {key}", "Content-Type": "text/plain"},
        )
        assert r2.status_code == 201, r2.text
    again = subprocess.run(
        [sys.executable, "-m", "app", "migrate-data", "--from", lite, "--to", target],
        cwd=REPO,
        env=env,
        capture_output=True,
        check=False,
    )
    assert again.returncode == 2 and b"already holds speeches" in again.stderr
    engine.dispose()
    pg.dispose()
    drop_database(target)


def test_two_processes_importing_the_same_text_store_one_speech(db_url: str, engine: Engine) -> None:
    key = make_key(engine)
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "text/plain"}
    with running_server(db_url) as a, running_server(db_url) as b:
        for round_ in range(5):
            body = f"第{round_}次全体会议上的讲话\n同志们：\n一、抓落实\n落实是关键。".encode()
            barrier = threading.Barrier(6)
            answers: list[httpx.Response] = []

            def post(
                base: str, body: bytes, barrier: threading.Barrier, answers: list[httpx.Response]
            ) -> None:
                barrier.wait()
                answers.append(
                    httpx.post(base + "/api/v1/speeches", content=body, headers=headers, timeout=30)
                )

            threads = [
                threading.Thread(target=post, args=(base, body, barrier, answers)) for base in (a, b) * 3
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert all(r.status_code in (200, 201) for r in answers), [r.text for r in answers]
            assert sorted(r.status_code for r in answers) == [200] * 5 + [201]
            assert len({r.json()["id"] for r in answers}) == 1
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM speech")).scalar() == 5
            assert conn.execute(text("SELECT count(*) FROM change WHERE kind = 'created'")).scalar() == 5


def test_concurrent_metadata_edits_from_two_processes_lose_nothing(
    db_url: str, engine: Engine, seed_id: int
) -> None:
    key = make_key(engine)
    auth = {"Authorization": f"Bearer {key}"}
    url = f"/api/v1/speeches/{seed_id}"
    with running_server(db_url) as a, running_server(db_url) as b:
        fields = ["speaker", "occasion", "place", "publisher"] * 3
        barrier = threading.Barrier(len(fields))
        codes: list[int] = []

        def patch(i: int, field: str) -> None:
            barrier.wait()
            r = httpx.patch((a, b)[i % 2] + url, json={field: f"{field}-{i}"}, headers=auth, timeout=30)
            codes.append(r.status_code)

        threads = [threading.Thread(target=patch, args=(i, f)) for i, f in enumerate(fields)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert codes == [200] * len(fields)
        final = httpx.get(a + url).json()
        assert final["version"] == 1 + len(fields)  # every edit counted, none overwritten
        for field in ("speaker", "occasion", "place", "publisher"):
            assert final[field].startswith(field)

        etag = httpx.get(a + url).headers["etag"]
        race: list[int] = []
        barrier2 = threading.Barrier(2)

        def guarded(base: str, value: str) -> None:
            barrier2.wait()
            r = httpx.patch(
                base + url, json={"speaker": value}, headers={**auth, "If-Match": etag}, timeout=30
            )
            race.append(r.status_code)

        ts = [threading.Thread(target=guarded, args=(base, v)) for base, v in ((a, "甲"), (b, "乙"))]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        assert sorted(race) == [200, 412]


def test_a_c_locale_database_is_refused_with_the_fix(tmp_path: pytest.TempPathFactory) -> None:
    assert POSTGRES
    name = "jh_c_locale"
    _admin(f'DROP DATABASE IF EXISTS "{name}"')
    _admin(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' LC_CTYPE 'C' LC_COLLATE 'C' TEMPLATE template0")
    url = make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)
    problems = database_problems(make_engine(url))
    assert any("LC_CTYPE C" in p for p in problems)
    assert any(p.startswith("fix: CREATE DATABASE") for p in problems)
    r = subprocess.run(
        [sys.executable, "-m", "app", "migrate"],
        cwd=REPO,
        capture_output=True,
        check=False,
        env={**os.environ, "JIANGHUA_DATABASE_URL": url},
    )
    assert r.returncode == 2
    assert b"LC_CTYPE" in r.stderr and b"fix:" in r.stderr
    drop_database(url)
