"""Search benchmark: build a database of about N sentences, then time each query class.

Prints index build time, database and index size, and p50/p99 latency per query class
(1, 2, 3, 4+ characters, two keywords, frequent terms), measured server side: the search
service call that a request runs (SQL, ranking window, snippets, breadcrumbs), warm.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from app import search
from app.core import migrations
from app.core.db import make_engine, writer
from app.repositories.search import Filters
from app.services import search as search_service
from app.services.indexing import reindex
from app.services.ingest import ingest_text
from scripts.benchlib.corpus import speeches

FREQUENT = ["发展", "中国梦", "劳模", "创新", "改革开放", "高质量发展", "人民", "经济"]


def build(url: str, n_sentences: int) -> dict[str, float]:
    migrations.upgrade(url)
    engine = writer(make_engine(url))
    per = 100
    t0 = time.perf_counter()
    count = 0
    for i, speech_text in enumerate(speeches(max(1, n_sentences // per), sentences_per_speech=per)):
        with Session(engine) as session:
            ingest_text(session=session, raw_text=speech_text)
        count += 1
        if i % 500 == 0:
            print(f"\r  imported {i} speeches", end="", file=sys.stderr, flush=True)
    ingest = time.perf_counter() - t0
    print(file=sys.stderr)
    t1 = time.perf_counter()
    with Session(engine) as session:
        reindex(session=session)
        session.commit()
    rebuild = time.perf_counter() - t1
    engine.dispose()
    return {"speeches": count, "ingest_s": ingest, "reindex_s": rebuild}


def sizes(url: str) -> dict[str, float]:
    engine = make_engine(url)
    if engine.dialect.name == "sqlite":
        path = Path(make_url(url).database or "")
        conn = sqlite3.connect(path)
        conn.execute("VACUUM")
        total = path.stat().st_size
        try:
            fts = conn.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'fts_%'").fetchone()[0] or 0
        except sqlite3.OperationalError:  # dbstat not compiled in
            fts = float("nan")
        conn.close()
    else:
        # Committed statistics, as autovacuum keeps them in production (inside a transaction that
        # is rolled back, ANALYZE would leave the planner guessing).
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text("ANALYZE"))
            total = c.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
            fts = sum(
                c.execute(text(f"SELECT pg_total_relation_size('fts_{t}')")).scalar_one()
                for t in ("sentence", "section", "quote")
            )
    with engine.connect() as c:
        sentences = c.execute(text("SELECT count(*) FROM sentence")).scalar_one()
    engine.dispose()
    return {"sentences": sentences, "db_mb": total / 2**20, "fts_mb": fts / 2**20}


def query_classes(url: str, per_class: int, seed: int) -> dict[str, list[str]]:
    engine = make_engine(url)
    rng = random.Random(seed)
    texts: list[str] = []
    with engine.connect() as conn:
        n = conn.execute(text("SELECT max(id) FROM sentence")).scalar_one()
        while len(texts) < per_class * 8:
            row = conn.execute(
                text("SELECT text FROM sentence WHERE id = :i"), {"i": rng.randint(1, n)}
            ).first()
            if row:
                texts.append(row[0])
    engine.dispose()
    runs = [r for t in texts for r in re.findall(r"[^\W_]{8,}", search.fold(t))]

    def sub(length: int) -> str:
        run = rng.choice(runs)
        i = rng.randrange(len(run) - length)
        return run[i : i + length]

    classes = {f"{k} char": [sub(k) for _ in range(per_class)] for k in (1, 2, 3)}
    classes["4+ chars"] = [sub(rng.choice((4, 5, 6))) for _ in range(per_class)]
    classes["two keywords"] = [f"{sub(2)} {sub(2)}" for _ in range(per_class)]
    classes["frequent terms"] = FREQUENT
    return classes


def measure(url: str, classes: dict[str, list[str]], sort: str) -> dict[str, dict[str, float]]:
    engine = make_engine(url)
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA mmap_size=1073741824")
    out = {}
    with Session(engine) as session:
        for name, queries in classes.items():
            times = []
            for q in queries:

                def run(q: str = q) -> None:
                    search_service.run(
                        session=session,
                        q=q,
                        where="sentences",
                        filters=Filters(),
                        sort=sort,
                        limit=20,
                        offset=0,
                    )

                run()  # warm the database pages
                # Time the work, not the result cache: a cached page would take microseconds.
                search_service.PAGES.clear()
                t = time.perf_counter()
                run()
                times.append((time.perf_counter() - t) * 1000)
            times.sort()
            out[name] = {
                "p50_ms": statistics.median(times),
                "p99_ms": times[min(len(times) - 1, int(len(times) * 0.99))],
                "n": len(times),
            }
    engine.dispose()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sentences", type=int, default=1_000_000, help="about how many sentences to build")
    ap.add_argument("--db", type=Path, default=Path("data/bench-search.db"), help="SQLite file to build")
    ap.add_argument("--url", help="build into this (empty) database URL instead, e.g. PostgreSQL")
    ap.add_argument("--reuse", action="store_true", help="reuse an existing database at --db")
    ap.add_argument("--queries", type=int, default=100, help="queries per class")
    ap.add_argument("--json", type=Path, help="also write the results here")
    args = ap.parse_args()

    built: dict[str, float] = {}
    url = args.url
    if url is None:
        args.db.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{args.db}"
        if not (args.reuse and args.db.exists()):
            args.db.unlink(missing_ok=True)
    if not args.reuse:
        engine_name = make_url(url).get_backend_name()
        print(f"building about {args.sentences:,} sentences ({engine_name}) …", file=sys.stderr)
        built = build(url, args.sentences)
    size = sizes(url)
    classes = query_classes(url, args.queries, seed=5)
    load_before = os.getloadavg()[0]
    results = {sort: measure(url, classes, sort) for sort in ("relevance", "date")}
    load_after = os.getloadavg()[0]
    print(f"\nengine {make_url(url).get_backend_name()}")
    # Other work on the machine shows up as latency: say how busy it was while measuring.
    print(f"machine: {os.cpu_count()} CPUs, load average {load_before:.1f} before and {load_after:.1f} after")

    print(
        f"\nsentences {size['sentences']:,}  database {size['db_mb']:.0f} MB  full-text index {size['fts_mb']:.0f} MB"
    )
    if built:
        print(
            f"ingest {built['speeches']:,.0f} speeches in {built['ingest_s']:.0f} s "
            f"({built['speeches'] / built['ingest_s']:.0f} speeches/s, index built in the same transactions); "
            f"full reindex {built['reindex_s']:.0f} s"
        )
    print(
        f"\n{'query class':<16}{'relevance p50':>15}{'p99':>9}{'date p50':>11}{'p99':>9}   (ms, server side)"
    )
    for name in classes:
        r, d = results["relevance"][name], results["date"][name]
        print(f"{name:<16}{r['p50_ms']:>15.2f}{r['p99_ms']:>9.2f}{d['p50_ms']:>11.2f}{d['p99_ms']:>9.2f}")
    print("goals: p50 < 5 ms, p99 < 25 ms")
    if args.json:
        report = {"build": built, "size": size, "latency": results, "load": [load_before, load_after]}
        args.json.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
