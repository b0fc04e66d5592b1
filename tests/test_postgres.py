"""PostgreSQL beside SQLite: the same search results, data migration, several processes at once.

These run under `scripts/test --postgres` (JIANGHUA_TEST_POSTGRES_URL set) and are skipped otherwise.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from app import search
from app.core import migrations
from app.core.db import database_problems, make_engine, writer
from app.repositories import search as search_repo
from app.services import writing
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
    ids = [import_text(engine, t) for t in corpus()[:4]]
    with Session(writer(engine)) as session:  # a withdrawn speech must stay out of search there too
        writing.withdraw(session=session, speech_id=ids[0], precondition=lambda _: None)
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
    withdrawn_slug = a_slug(engine, ids[0])
    for q in QUERIES:
        for kind in ("sentence", "section", "quote"):
            for sort in ("date", "relevance"):
                here = results(engine, q, kind, sort)  # type: ignore[arg-type]
                there = results(pg, q, kind, sort)  # type: ignore[arg-type]
                assert sorted(here) == sorted(there), (q, kind, sort)
                assert withdrawn_slug not in {slug for slug, _ in there}
    assert any(results(pg, q, "sentence", "date") for q in QUERIES)
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


def a_slug(engine: Engine, speech_id: int) -> str:
    with engine.connect() as conn:
        return str(conn.execute(text("SELECT slug FROM speech WHERE id = :i"), {"i": speech_id}).scalar_one())


def test_three_processes_importing_the_same_text_store_one_speech(db_url: str, engine: Engine) -> None:
    key = make_key(engine)
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "text/plain"}
    with running_server(db_url) as a, running_server(db_url) as b, running_server(db_url) as c:
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
                threading.Thread(target=post, args=(base, body, barrier, answers)) for base in (a, b, c) * 2
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


def test_concurrent_metadata_edits_from_three_processes_lose_nothing(
    db_url: str, engine: Engine, seed_id: int
) -> None:
    key = make_key(engine)
    auth = {"Authorization": f"Bearer {key}"}
    url = f"/api/v1/speeches/{seed_id}"
    with running_server(db_url) as a, running_server(db_url) as b, running_server(db_url) as c:
        fields = ["speaker", "occasion", "place", "publisher"] * 3
        barrier = threading.Barrier(len(fields))
        codes: list[int] = []

        def patch(i: int, field: str) -> None:
            barrier.wait()
            r = httpx.patch((a, b, c)[i % 3] + url, json={field: f"{field}-{i}"}, headers=auth, timeout=30)
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
    env = {**os.environ, "JIANGHUA_DATABASE_URL": url}
    for command in (
        ["migrate"],
        ["serve", "--port", "1"],
        ["migrate-data", "--from", "sqlite://", "--to", url],
    ):
        r = subprocess.run(
            [sys.executable, "-m", "app", *command],
            cwd=REPO,
            capture_output=True,
            check=False,
            env=env,
            timeout=60,
        )
        assert r.returncode == 2, (command, r.stderr)
        assert b"LC_CTYPE" in r.stderr and b"fix: CREATE DATABASE" in r.stderr, command
    _assert_uvicorn_refuses_to_start(env, b"LC_CTYPE")
    drop_database(url)


def _assert_uvicorn_refuses_to_start(env: dict[str, str], says: bytes) -> None:
    """A replica started by uvicorn itself (as compose.yaml does), not by `app serve`, checks too."""
    r = subprocess.run(
        [sys.executable, "-m", "uvicorn", "app.main:app", "--port", "0"],
        cwd=REPO,
        capture_output=True,
        check=False,
        env=env,
        timeout=60,
    )
    assert r.returncode != 0, r.stderr
    assert says in r.stderr and b"fix: CREATE DATABASE" in r.stderr, r.stderr


def test_a_database_that_is_not_utf8_is_refused_with_the_fix() -> None:
    assert POSTGRES
    name = "jh_latin1"
    _admin(f'DROP DATABASE IF EXISTS "{name}"')
    _admin(f"CREATE DATABASE \"{name}\" ENCODING 'SQL_ASCII' LC_CTYPE 'C' LC_COLLATE 'C' TEMPLATE template0")
    url = make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)
    problems = database_problems(make_engine(url))
    assert problems and "UTF8" in problems[0] and "SQL_ASCII" in problems[0]
    assert problems[-1].startswith("fix: CREATE DATABASE") and "ENCODING 'UTF8'" in problems[-1]
    r = subprocess.run(
        [sys.executable, "-m", "app", "migrate"],
        cwd=REPO,
        capture_output=True,
        check=False,
        env={**os.environ, "JIANGHUA_DATABASE_URL": url},
        timeout=60,
    )
    assert r.returncode == 2 and b"fix: CREATE DATABASE" in r.stderr
    _assert_uvicorn_refuses_to_start({**os.environ, "JIANGHUA_DATABASE_URL": url}, b"SQL_ASCII")
    assert database_problems(make_engine(POSTGRES)) == []  # the test server itself is right
    drop_database(url)


# --- a real read replica ------------------------------------------------------------------------


def _as_owner(cmd: list[str]) -> list[str]:
    """PostgreSQL's programs refuse to run as root: run them as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.getuid() == 0 else cmd


@pytest.fixture(scope="module")
def standby() -> Iterator[str]:
    """A hot standby streaming from the test server: a real, read-only replica. Yields its socket dir."""
    assert POSTGRES
    bin_dir = (
        os.environ.get("JIANGHUA_TEST_POSTGRES_BIN") or sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
    )
    primary = str(make_url(POSTGRES).query["host"])
    folder = tempfile.mkdtemp(prefix="jianghua-standby-")
    if os.getuid() == 0:
        shutil.chown(folder, "postgres")
    data = f"{folder}/data"
    # A standby needs at least the primary's max_connections (scripts/lib/postgres.sh sets it).
    with create_engine(POSTGRES).connect() as conn:
        connections = conn.execute(text("SHOW max_connections")).scalar_one()
    options = (
        f"-c listen_addresses='' -c unix_socket_directories={folder} -c hot_standby=on "
        f"-c max_connections={connections}"
    )
    backup = [f"{bin_dir}/pg_basebackup", "-h", primary, "-U", "postgres", "-D", data, "-R", "-c", "fast"]
    start = [f"{bin_dir}/pg_ctl", "-D", data, "-l", f"{folder}/server.log", "-w", "-o", options, "start"]
    try:
        subprocess.run(_as_owner(backup), check=True, capture_output=True)
        started = subprocess.run(_as_owner(start), check=False, capture_output=True)
        log = Path(folder, "server.log")
        assert started.returncode == 0, log.read_text(errors="replace")[-2000:] if log.exists() else started
        yield folder
    finally:
        stop = [f"{bin_dir}/pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"]
        subprocess.run(_as_owner(stop), check=False, capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def _eventually(check: Callable[[], bool], what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def test_get_traffic_goes_to_the_read_replica_and_writes_to_the_primary(
    db_url: str, engine: Engine, seed_id: int, standby: str
) -> None:
    replica_url = make_url(db_url).update_query_dict({"host": standby}).render_as_string(hide_password=False)
    key = make_key(engine)
    replica = make_engine(replica_url)

    def replica_has(sql: str, **params: object) -> bool:
        try:
            with replica.connect() as conn:
                return bool(conn.execute(text(sql), params).scalar())
        except OperationalError:  # the database itself has not been replayed yet
            return False

    _eventually(lambda: replica_has("SELECT count(*) FROM api_key"), "the replica to catch up")
    with replica.connect() as conn:
        assert conn.execute(text("SELECT pg_is_in_recovery()")).scalar() is True  # really read-only
    auth = {"Authorization": f"Bearer {key}"}
    with running_server(db_url, JIANGHUA_READ_DATABASE_URL=replica_url) as base:
        # Every kind of read works on a read-only standby (a GET that wrote would fail there).
        for path in (
            "/api/v1/speeches",
            f"/api/v1/speeches/{seed_id}",
            f"/api/v1/speeches/{seed_id}/sections/part_1",
            "/api/v1/search?q=劳模",
            "/api/v1/search?q=劳模&in=quotes&sort=date",
            "/api/v1/quotes?kind=citation",
            "/api/v1/quotes/random?kind=golden",
            "/api/v1/terms?prefix=laomo",
            "/api/v1/changes",
        ):
            r = httpx.get(base + path, timeout=30)
            assert r.status_code == 200, (path, r.text)
        assert httpx.get(base + "/api/v1/search?q=劳模", timeout=30).json()["total"] > 5

        # Freeze the replica: a write lands on the primary but reads do not see it yet.
        with replica.connect() as conn:
            conn.execute(text("SELECT pg_wal_replay_pause()"))
        try:
            r = httpx.post(
                base + "/api/v1/speeches",
                content="复制测试会议上的讲话\n同志们，副本只读。".encode(),
                headers={**auth, "Content-Type": "text/plain"},
                timeout=30,
            )
            assert r.status_code == 201, r.text
            new_id = r.json()["id"]
            with engine.connect() as conn:
                assert (
                    conn.execute(text("SELECT count(*) FROM speech WHERE id = :i"), {"i": new_id}).scalar()
                    == 1
                )
            assert httpx.get(f"{base}/api/v1/speeches/{new_id}", timeout=30).status_code == 404
            assert httpx.get(base + "/api/v1/search?q=副本只读", timeout=30).json()["total"] == 0
            # Keys are checked on the primary: one made while the replica lags works at once, and
            # one revoked meanwhile stops at once.
            fresh = {"Authorization": f"Bearer {make_key(engine, name='fresh')}"}
            r = httpx.patch(
                f"{base}/api/v1/speeches/{seed_id}", json={"place": "主会场"}, headers=fresh, timeout=30
            )
            assert r.status_code == 200, r.text
            with engine.begin() as conn:
                conn.execute(text("UPDATE api_key SET revoked_at = now() WHERE name = 'test-write'"))
            r = httpx.patch(
                f"{base}/api/v1/speeches/{seed_id}", json={"place": "分会场"}, headers=auth, timeout=30
            )
            assert r.status_code == 401, r.text
        finally:
            with replica.connect() as conn:
                conn.execute(text("SELECT pg_wal_replay_resume()"))
        _eventually(
            lambda: httpx.get(f"{base}/api/v1/speeches/{new_id}", timeout=30).status_code == 200,
            "the replica to replay the new speech",
        )
        assert httpx.get(base + "/api/v1/search?q=副本只读", timeout=30).json()["total"] == 1
    replica.dispose()


# --- the compose topology -----------------------------------------------------------------------


def test_compose_runs_postgres_replicas_and_a_load_balancer() -> None:
    """compose.yaml and deploy/nginx.conf describe the scale-out topology README promises.

    Docker is not available to the suite, so this checks the files: a UTF-8, non-C PostgreSQL;
    one migration job that every replica waits for; N replicas on postgresql+psycopg; nginx in
    front, re-resolving the replicas' name so scaled ones join.
    """
    import yaml

    compose = yaml.safe_load((REPO / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert {"db", "migrate", "api", "lb"} <= set(services)
    initdb = services["db"]["environment"]["POSTGRES_INITDB_ARGS"]
    assert "--encoding=UTF8" in initdb and "--locale=C.UTF-8" in initdb
    assert services["migrate"]["command"][-1] == "migrate"
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    api = services["api"]
    assert api["environment"]["JIANGHUA_DATABASE_URL"].startswith("postgresql+psycopg://")
    assert api["environment"] == services["migrate"]["environment"]
    assert api["environment"]["JIANGHUA_TRUST_FORWARDED_FOR"] == "true"
    assert api["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert api["deploy"]["replicas"] >= 2
    assert "ports" not in api  # only the load balancer is published
    lb = services["lb"]
    assert lb["image"].startswith("nginx")
    assert "./deploy/nginx.conf:/etc/nginx/nginx.conf:ro" in lb["volumes"]
    nginx = (REPO / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert "resolver 127.0.0.11" in nginx  # Docker's DNS, re-read: scaled replicas join
    assert "set $api http://api:8000;" in nginx and "proxy_pass $api;" in nginx
    assert "X-Forwarded-For $proxy_add_x_forwarded_for" in nginx
