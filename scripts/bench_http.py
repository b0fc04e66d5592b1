"""HTTP benchmark: Jianghua vs Datasette vs a bare-Starlette ceiling on one SQLite file, one machine.

One run:
  1. generates N synthetic speeches from the bundled seed (scripts/benchlib/corpus.py);
  2. measures parse throughput (MB/s, median of several runs over a sample of those texts);
  3. builds the database through Jianghua's real ingest (migrations, parser, search index), timing
     speeches/s, then checkpoints and VACUUMs it and reports its size and its full-text index size;
  4. adds, in the same file, the trigram FTS5 table Datasette needs for `_search` (see below);
  5. starts each system in turn, one uvicorn process with identical flags on 127.0.0.1, warms it up
     and drives it with wrk (same threads, connections and duration) for each endpoint:
       section  - one section by speech id and eid     (Datasette: the section row by id)
       outline  - one speech's outline                 (Datasette: the speech's section rows)
       search3  - keyword search, 3+ characters        (Datasette: `_search` on the trigram table)
       search2  - keyword search, 2 characters         (Datasette: n/a; lean: LIKE scan)
     Each search runs twice: "popular" draws from 8 common words (what a per-process page cache
     keeps warm), "varied" from thousands of distinct substrings of the corpus (mostly misses);
  6. prints one table (req/s, p50, p99 per endpoint and system) with the ratios Jianghua/Datasette
     and Jianghua/ceiling, and writes everything as JSON (default artifacts/bench.json).

Datasette cannot query our `fts_*` tables (contentless, with Python-made bigram tokens), so a
`sentence_fts` table (FTS5, trigram tokenizer, `content="sentence"` in double quotes, which is the
only spelling Datasette 0.65 detects) is created in the benchmark file after the sizes are taken.
Jianghua never reads it. "datasette" uses Datasette's stock URLs (it counts all matches and
suggests facets); "datasette-lean" adds `_nocount=1&_nosuggest=1` to the table URLs.

--dry-run builds a tiny database, starts Jianghua and the ceiling (and Datasette when installed),
checks every URL once (200 and JSON), and prints the table's shape. It needs neither wrk nor
datasette and takes a few seconds; tests/test_bench_smoke.py runs it.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scripts.benchlib import http  # noqa: E402

SECTION_EIDS = (
    "preamble",
    "part_1",
    "part_2",
    "part_3",
    "part_1__point_1",
    "part_1__point_2",
    "part_1__point_3",
    "part_2__point_1",
    "part_2__point_2",
    "part_2__point_3",
    "part_3__point_1",
    "part_3__point_2",
    "part_3__point_3",
    "closing",
)
# Words that occur in the seed and the dev corpus; 3+ characters hit about 0.2-2 % of sentences,
# 2 characters 2-18 % (frequent words are what people type). Terms without a hit are dropped.
TERMS_3 = ("新时代", "中华民族", "人民群众", "现代化", "党中央", "共产党", "劳动者", "高质量发展")
TERMS_2 = ("发展", "人民", "改革", "创新", "经济", "社会", "建设", "劳动")
ENDPOINTS = (
    ("section", "section by eid"),
    ("outline", "speech outline"),
    ("search3", "search 3+ popular"),
    ("search2", "search 2 popular"),
    ("search3v", "search 3+ varied"),
    ("search2v", "search 2 varied"),
)
CJK_RUN = re.compile(r"[\u4e00-\u9fff]{4,}")
SYSTEMS = ("jianghua", "datasette", "datasette-lean", "ceiling")
RATIOS = (
    ("jianghua/datasette", "jianghua", "datasette"),
    ("jianghua/ds-lean", "jianghua", "datasette-lean"),
    ("jianghua/ceiling", "jianghua", "ceiling"),
)
LEAN = "&_nocount=1&_nosuggest=1"
JIANGHUA_ENV = {
    "JIANGHUA_RATE_LIMIT_PER_MINUTE": "0",
    "JIANGHUA_RATE_LIMIT_PER_KEY_PER_MINUTE": "0",
    "JIANGHUA_ACCESS_LOG": "false",
    "JIANGHUA_LOG_LEVEL": "WARNING",
}
PACKAGES = (
    "fastapi",
    "starlette",
    "uvicorn",
    "h11",
    "uvloop",
    "httptools",
    "pydantic",
    "sqlalchemy",
    "sqlmodel",
    "orjson",
    "datasette",
)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --- build ----------------------------------------------------------------------------------------


def parse_throughput(texts: Sequence[str], runs: int) -> dict[str, float]:
    from app.parser import parse

    size = sum(len(t.encode("utf-8")) for t in texts)
    parse(texts[0])  # warm the regex caches
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        for text in texts:
            parse(text)
        times.append(time.perf_counter() - t0)
    median = statistics.median(times)
    return {
        "texts": len(texts),
        "mb": size / 1e6,
        "runs": runs,
        "median_s": median,
        "mb_per_s": size / median / 1e6,
    }


def ingest(db: Path, texts: Sequence[str]) -> dict[str, float]:
    from sqlmodel import Session

    from app.core import migrations
    from app.core.db import make_engine, writer
    from app.services.ingest import ingest_text

    url = f"sqlite:///{db}"
    migrations.upgrade(url)
    engine = writer(make_engine(url))
    t0 = time.perf_counter()
    for i, text in enumerate(texts, 1):
        with Session(engine) as session:
            ingest_text(session=session, raw_text=text)
        if i % 250 == 0:
            rate = i / (time.perf_counter() - t0)
            print(f"\r  ingested {i:,}/{len(texts):,} ({rate:.0f}/s)", end="", file=sys.stderr, flush=True)
    seconds = time.perf_counter() - t0
    print(file=sys.stderr)
    engine.dispose()
    return {"speeches": len(texts), "ingest_s": seconds, "speeches_per_s": len(texts) / seconds}


def table_sizes(conn: sqlite3.Connection, like: str) -> float:
    try:
        row = conn.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE ?", (like,)).fetchone()
    except sqlite3.OperationalError:  # dbstat not compiled in
        return float("nan")
    return float(row[0] or 0) / 2**20


def compact_and_measure(db: Path) -> dict[str, Any]:
    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        t0 = time.perf_counter()
        conn.execute("VACUUM")
        vacuum = time.perf_counter() - t0
        counts = {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("speech", "section", "paragraph", "sentence")
        }
        return {
            "rows": counts,
            "sentences": counts["sentence"],
            "vacuum_s": vacuum,
            "db_mb": db.stat().st_size / 2**20,
            "fts_mb": table_sizes(conn, "fts_%"),
        }
    finally:
        conn.close()


def add_datasette_fts(db: Path) -> dict[str, float | None]:
    """The trigram FTS5 table Datasette's `_search` uses; Jianghua does not read it."""
    conn = sqlite3.connect(db)
    try:
        exists = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sentence_fts'").fetchone()
        t0 = time.perf_counter()
        if not exists:
            conn.execute(
                'CREATE VIRTUAL TABLE sentence_fts USING fts5(text, content="sentence", '
                'content_rowid="id", tokenize="trigram")'
            )
            conn.execute("INSERT INTO sentence_fts(sentence_fts) VALUES('rebuild')")
            conn.execute("INSERT INTO sentence_fts(sentence_fts) VALUES('optimize')")
            conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return {
            "trigram_build_s": None if exists else time.perf_counter() - t0,
            "trigram_mb": table_sizes(conn, "sentence_fts%"),
            "db_with_trigram_mb": db.stat().st_size / 2**20,
        }
    finally:
        conn.close()


# --- what to request ------------------------------------------------------------------------------


@dataclass
class Workload:
    sections: list[tuple[int, int, str]]  # (section id, speech id, eid)
    speeches: list[int]
    terms3: list[str]
    terms2: list[str]
    hits: dict[str, int]
    varied3: list[str]
    varied2: list[str]


def varied_terms(conn: sqlite3.Connection, rng: random.Random, n: int) -> tuple[list[str], list[str]]:
    """Up to `n` distinct 3- and 2-character substrings of random sentences (each has a hit)."""
    top = conn.execute("SELECT max(id) FROM sentence").fetchone()[0] or 0
    three: set[str] = set()
    two: set[str] = set()
    for _ in range(n * 4):
        if len(three) >= n and len(two) >= n:
            break
        row = conn.execute(
            "SELECT text FROM sentence WHERE id >= ? LIMIT 1", (rng.randint(1, top),)
        ).fetchone()
        runs = CJK_RUN.findall(row[0]) if row else []
        if not runs:
            continue
        run = rng.choice(runs)
        for length, out in ((3, three), (2, two)):
            if len(out) < n:
                i = rng.randrange(len(run) - length + 1)
                out.add(run[i : i + length])
    popular = set(TERMS_3) | set(TERMS_2)
    return sorted(three - popular), sorted(two - popular)


def workload(db: Path, samples: int, seed: int, varied: int) -> Workload:
    rng = random.Random(seed)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        marks = ",".join("?" * len(SECTION_EIDS))
        rows = conn.execute(
            f"SELECT s.id, s.speech_id, s.eid FROM section s JOIN speech p ON p.id = s.speech_id "
            f"WHERE s.eid IN ({marks}) AND p.withdrawn_at IS NULL ORDER BY s.id",
            SECTION_EIDS,
        ).fetchall()
        speech_ids = [
            r[0] for r in conn.execute("SELECT id FROM speech WHERE withdrawn_at IS NULL ORDER BY id")
        ]
        hits: dict[str, int] = {}
        for term in TERMS_3:
            phrase = '"' + term.replace('"', '""') + '"'
            hits[term] = conn.execute(
                "SELECT count(*) FROM sentence_fts WHERE sentence_fts MATCH ?", (phrase,)
            ).fetchone()[0]
        for term in TERMS_2:
            hits[term] = conn.execute(
                "SELECT count(*) FROM sentence WHERE instr(text, ?) > 0", (term,)
            ).fetchone()[0]
        varied3, varied2 = varied_terms(conn, rng, varied)
    finally:
        conn.close()
    if not rows or not speech_ids:
        raise RuntimeError(f"{db} holds no speeches")
    terms3 = [t for t in TERMS_3 if hits[t]] or list(TERMS_3)
    terms2 = [t for t in TERMS_2 if hits[t]] or list(TERMS_2)
    return Workload(
        sections=rng.sample(rows, min(samples, len(rows))),
        speeches=rng.sample(speech_ids, min(samples, len(speech_ids))),
        terms3=terms3,
        terms2=terms2,
        hits=hits,
        varied3=rng.sample(varied3, len(varied3)),
        varied2=rng.sample(varied2, len(varied2)),
    )


def q(term: str) -> str:
    return urllib.parse.quote(term, safe="")


def paths_for(system: str, w: Workload, dbname: str) -> dict[str, list[str] | None]:
    """Request paths per endpoint; None when the system cannot answer that endpoint."""
    if system in ("jianghua", "ceiling"):
        return {
            "section": [f"/api/v1/speeches/{sp}/sections/{eid}" for _, sp, eid in w.sections],
            "outline": [f"/api/v1/speeches/{sp}" for sp in w.speeches],
            "search3": [f"/api/v1/search?q={q(t)}&limit=20" for t in w.terms3],
            "search2": [f"/api/v1/search?q={q(t)}&limit=20" for t in w.terms2],
            "search3v": [f"/api/v1/search?q={q(t)}&limit=20" for t in w.varied3],
            "search2v": [f"/api/v1/search?q={q(t)}&limit=20" for t in w.varied2],
        }
    d = "/" + q(dbname)
    if system == "datasette":
        return {
            "section": [f"{d}/section/{sid}.json" for sid, _, _ in w.sections],
            "outline": [f"{d}/section.json?speech_id={sp}&_size=100" for sp in w.speeches],
            "search3": [f"{d}/sentence.json?_search={q(t)}&_size=20" for t in w.terms3],
            "search3v": [f"{d}/sentence.json?_search={q(t)}&_size=20" for t in w.varied3],
            # The trigram index needs 3 characters; the stock LIKE path counts every row.
            "search2": None,
            "search2v": None,
        }
    if system == "datasette-lean":
        return {
            "outline": [f"{d}/section.json?speech_id={sp}&_size=100{LEAN}" for sp in w.speeches],
            "search3": [f"{d}/sentence.json?_search={q(t)}&_size=20{LEAN}" for t in w.terms3],
            "search2": [f"{d}/sentence.json?text__contains={q(t)}&_size=20{LEAN}" for t in w.terms2],
            "search3v": [f"{d}/sentence.json?_search={q(t)}&_size=20{LEAN}" for t in w.varied3],
            "search2v": [f"{d}/sentence.json?text__contains={q(t)}&_size=20{LEAN}" for t in w.varied2],
        }
    raise ValueError(system)


# --- servers ---------------------------------------------------------------------------------------

SERVER_OF = {
    "jianghua": "jianghua",
    "datasette": "datasette",
    "datasette-lean": "datasette",
    "ceiling": "ceiling",
}


def make_server(name: str, db: Path, tmp: Path, fast_stack: bool) -> http.Server:
    """One uvicorn process; "datasette" and "datasette-lean" are one Datasette process, two URL sets."""
    logfile = tmp / f"{name}.log"
    if name == "jianghua":
        env = {**JIANGHUA_ENV, "JIANGHUA_DATABASE_URL": f"sqlite:///{db}"}
        return http.Server(name, "app.main:app", env, "/healthz", fast_stack=fast_stack, log=logfile)
    if name == "datasette":
        env = {"BENCH_DATASETTE_DB": str(db)}
        app = "scripts.benchlib.datasette_app:make_app"
        return http.Server(
            name, app, env, "/-/versions.json", factory=True, fast_stack=fast_stack, log=logfile
        )
    if name == "ceiling":
        env = {"BENCH_CEILING_BODIES": str(tmp / "bodies.json")}
        app = "scripts.benchlib.ceiling:make_app"
        return http.Server(name, app, env, "/healthz", factory=True, fast_stack=fast_stack, log=logfile)
    raise ValueError(name)


def check(server: http.Server, paths: Sequence[str], n: int = 3) -> list[bytes]:
    """GET the first `n` paths once: each must answer 200 with JSON. Returns the bodies."""
    bodies = []
    for path in paths[:n]:
        status, body = http.fetch(server.base + path, timeout=60)
        if status != 200:
            raise RuntimeError(f"{server.name}: GET {path} -> {status}: {body[:300]!r}")
        json.loads(body)
        bodies.append(body)
    return bodies


def capture_ceiling_bodies(
    server: http.Server, paths: dict[str, list[str] | None], w: Workload, tmp: Path
) -> dict[str, int]:
    """Save one real Jianghua body per endpoint (the median-sized of a sample) for the ceiling."""
    spec, sizes = {}, {}
    for key, _ in ENDPOINTS:
        bodies = sorted(check(server, paths[key] or [], n=25), key=len)
        body = bodies[len(bodies) // 2]
        out = tmp / f"body-{key}.json"
        out.write_bytes(body)
        spec[key], sizes[key] = str(out), len(body)
    (tmp / "bodies.json").write_text(json.dumps({"bodies": spec, "popular": w.terms3 + w.terms2}))
    return sizes


def write_paths(tmp: Path, system: str, key: str, paths: Sequence[str]) -> Path:
    f = tmp / f"paths-{system}-{key}.txt"
    f.write_text("\n".join(paths) + "\n", encoding="utf-8")
    return f


def pick(rounds: list[dict[str, Any]], how: str) -> dict[str, Any]:
    """One result from several rounds: the best (most req/s) or the median round, with all rounds kept.

    Other work on the machine only ever lowers throughput, so on a shared machine the best round is
    the least disturbed one; the median is the better choice on a quiet, dedicated machine.
    """
    ranked = sorted(rounds, key=lambda r: float(r["rps"]))
    chosen = dict(ranked[-1] if how == "best" else ranked[(len(ranked) - 1) // 2])
    chosen["picked"] = how
    chosen["rounds_rps"] = [r["rps"] for r in rounds]
    chosen["rounds"] = rounds
    return chosen


# --- main ------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--quick", action="store_true", help="300 speeches, 1 s warm-up, 3 s per endpoint")
    ap.add_argument("--dry-run", action="store_true", help="tiny DB, check every URL once, no wrk")
    ap.add_argument("--speeches", type=int, help="speeches to generate (default 10,000; quick 300)")
    ap.add_argument("--sentences-per-speech", type=int, default=100)
    ap.add_argument(
        "--db", type=Path, help="SQLite file (default data/bench-http-N.db; dry run: a temp file)"
    )
    ap.add_argument("--reuse", action="store_true", help="reuse --db when it exists (skips generate+ingest)")
    ap.add_argument("--duration", type=float, help="measured seconds per endpoint (default 15; quick 3)")
    ap.add_argument("--warmup", type=float, help="warm-up seconds per endpoint (default 3; quick 1)")
    ap.add_argument("--rounds", type=int, default=1, help="repeat every run this many times")
    ap.add_argument(
        "--pick", choices=("best", "median"), default="best", help="which round to report (default best)"
    )
    ap.add_argument("--threads", type=int, default=2, help="wrk threads")
    ap.add_argument("--connections", type=int, default=32, help="wrk connections")
    ap.add_argument("--wrk-timeout", type=float, default=10.0, help="wrk: a response slower is an error")
    ap.add_argument("--parse-runs", type=int, help="parse throughput runs (default 5; quick 3)")
    ap.add_argument("--parse-sample", type=int, default=500, help="speeches in the parse sample")
    ap.add_argument("--samples", type=int, default=2000, help="distinct ids per endpoint")
    ap.add_argument("--varied", type=int, default=4000, help="distinct terms per varied search endpoint")
    ap.add_argument("--endpoints", default=",".join(k for k, _ in ENDPOINTS), help="comma list")
    ap.add_argument("--systems", default=",".join(SYSTEMS), help=f"comma list of {', '.join(SYSTEMS)}")
    ap.add_argument("--fast-stack", action="store_true", help="uvloop + httptools instead of asyncio + h11")
    ap.add_argument("--json", type=Path, default=REPO / "artifacts" / "bench.json", help="write results here")
    ap.add_argument(
        "--wait-idle",
        type=float,
        default=0.0,
        metavar="S",
        help="before each measured run, wait up to S s for other processes to use < 20%% of a CPU",
    )
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    default_n = 20 if args.dry_run else 300 if args.quick else 10_000
    args.speeches = args.speeches or default_n
    args.duration = args.duration or (3.0 if args.quick else 15.0)
    args.warmup = args.warmup if args.warmup is not None else (1.0 if args.quick else 3.0)
    if args.dry_run:
        args.varied = min(args.varied, 50)
    args.parse_runs = args.parse_runs or (3 if args.quick or args.dry_run else 5)
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = set(systems) - set(SYSTEMS)
    if unknown:
        ap.error(f"unknown systems: {', '.join(sorted(unknown))}")
    args.system_list = [s for s in SYSTEMS if s in systems]
    wanted = {e.strip() for e in args.endpoints.split(",") if e.strip()}
    if wanted - {k for k, _ in ENDPOINTS}:
        ap.error(f"unknown endpoints: {', '.join(sorted(wanted - {k for k, _ in ENDPOINTS}))}")
    args.endpoint_list = [(k, label) for k, label in ENDPOINTS if k in wanted]
    if "ceiling" in args.system_list and "jianghua" not in args.system_list:
        ap.error("the ceiling serves Jianghua's captured bodies: include jianghua")
    return args


def datasette_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("datasette") is not None


def build_phase(args: argparse.Namespace, db: Path) -> dict[str, Any]:
    from scripts.benchlib.corpus import speeches

    sidecar = db.with_name(db.name + ".build.json")
    reuse = args.reuse and db.exists() and sidecar.exists()
    n_parse = min(args.speeches, args.parse_sample)
    log(f"generating {args.speeches if not reuse else n_parse:,} synthetic speeches …")
    t0 = time.perf_counter()
    texts = list(
        speeches(args.speeches if not reuse else n_parse, sentences_per_speech=args.sentences_per_speech)
    )
    generate_s = time.perf_counter() - t0
    log(f"parse throughput over {n_parse} speeches, {args.parse_runs} runs …")
    parsed = parse_throughput(texts[:n_parse], args.parse_runs)
    if reuse:
        built: dict[str, Any] = json.loads(sidecar.read_text())
        built["reused"] = True
        log(f"reusing {db} (built {built.get('built_at', '?')})")
    else:
        for suffix in ("", "-wal", "-shm", ".build.json"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        db.parent.mkdir(parents=True, exist_ok=True)
        log(f"ingesting {len(texts):,} speeches into {db} …")
        built = {"generate_s": generate_s, **ingest(db, texts)}
        built["mb_ingested"] = sum(len(t.encode("utf-8")) for t in texts) / 1e6
        built.update(compact_and_measure(db))
        log("adding the trigram FTS table for Datasette …")
        built.update(add_datasette_fts(db))
        built["built_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        built["reused"] = False
        sidecar.write_text(json.dumps(built, indent=2))
    return {"parse": parsed, "build": built}


def run(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    started = datetime.now(UTC).isoformat(timespec="seconds")
    db: Path = args.db or (
        tmp / "bench-dry.db" if args.dry_run else REPO / "data" / f"bench-http-{args.speeches}.db"
    )
    db = db.resolve()
    systems = list(args.system_list)
    if any(s.startswith("datasette") for s in systems) and not datasette_installed():
        if not args.dry_run:
            raise RuntimeError("datasette is not installed (scripts/bench installs it into .venv)")
        log("datasette is not installed: the dry run skips it")
        systems = [s for s in systems if not s.startswith("datasette")]
    if not args.dry_run and http.wrk_path() is None:
        raise RuntimeError("wrk is not installed (scripts/bench installs it with apt-get)")
    if args.fast_stack:
        import importlib.util

        missing = [m for m in ("uvloop", "httptools") if importlib.util.find_spec(m) is None]
        if missing:
            raise RuntimeError(f"--fast-stack needs {', '.join(missing)} (pip install uvloop httptools)")

    build = build_phase(args, db)
    w = workload(db, args.samples, args.seed, args.varied)
    endpoints = args.endpoint_list
    report: dict[str, Any] = {
        "started": started,
        "git": http.git_state(),
        "machine": http.machine(),
        "versions": {**http.versions(PACKAGES), "wrk": http.wrk_version()},
        "config": {
            "speeches": args.speeches,
            "sentences_per_speech": args.sentences_per_speech,
            "db": str(db),
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "rounds": args.rounds,
            "pick": args.pick,
            "wrk_threads": args.threads,
            "wrk_connections": args.connections,
            "wrk_timeout_s": args.wrk_timeout,
            "uvicorn_flags": http.uvicorn_command("APP", 0, factory=False, fast_stack=args.fast_stack)[4:],
            "jianghua_env": JIANGHUA_ENV,
            "systems": systems,
            "endpoints": [k for k, _ in endpoints],
            "dry_run": args.dry_run,
            "quick": args.quick,
            "wait_idle_s": args.wait_idle,
        },
        **build,
        "workload": {
            "terms3": w.terms3,
            "terms2": w.terms2,
            "hits": w.hits,
            "varied3": len(w.varied3),
            "varied2": len(w.varied2),
            "varied_examples": w.varied3[:10] + w.varied2[:10],
            "distinct_sections": len(w.sections),
            "distinct_speeches": len(w.speeches),
        },
        "endpoints": dict(endpoints),
        "urls": {},
        "results": [],
        "ratios": {},
    }
    paths = {system: paths_for(system, w, db.stem) for system in systems}
    report["urls"] = {s: {k: (v[0] if v else None) for k, v in p.items()} for s, p in paths.items()}

    # Every server runs for the whole measurement (an idle one costs no CPU), so the systems take
    # turns endpoint by endpoint: slow changes in the machine's load hit them alike.
    servers: dict[str, http.Server] = {}
    for name in dict.fromkeys(SERVER_OF[s] for s in systems):
        if name == "ceiling":
            report["ceiling_body_bytes"] = capture_ceiling_bodies(
                servers["jianghua"], paths["jianghua"], w, tmp
            )
        log(f"starting {name} …")
        servers[name] = make_server(name, db, tmp, args.fast_stack).start()
    for system in systems:  # every URL kind answers 200 with JSON before any load
        for key, _ in endpoints:
            urls = paths[system].get(key)
            if urls:
                check(servers[SERVER_OF[system]], urls)

    results: dict[tuple[str, str], dict[str, Any] | None] = {}
    if args.dry_run:
        for system in systems:
            for key, _ in endpoints:
                if key in paths[system]:
                    urls = paths[system][key]
                    body = check(servers[SERVER_OF[system]], urls, n=1)[0] if urls else None
                    results[(system, key)] = {"checked": 1, "body_bytes": len(body)} if body else None
    else:
        rounds: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for rnd in range(args.rounds):
            for key, label in endpoints:
                for system in systems:
                    if key not in paths[system]:
                        continue
                    urls = paths[system][key]
                    if urls is None:
                        results[(system, key)] = None
                        continue
                    server = servers[SERVER_OF[system]]
                    r = measure(args, server, write_paths(tmp, system, key, urls))
                    log(
                        f"  [{rnd + 1}/{args.rounds}] {label:<18} {system:<15} {r.rps:>9,.0f} req/s"
                        f"  p50 {r.p50_ms:7.2f} ms  p99 {r.p99_ms:7.2f} ms"
                        f"  server {r.server_cpu_ms_per_request:.2f} CPU ms/req  other {r.other_cpu_pct:.0f}%"
                    )
                    if r.socket_errors or r.non2xx:
                        log(f"  !! {r.socket_errors} socket errors, {r.non2xx} non-2xx responses")
                    rounds.setdefault((system, key), []).append(r.as_dict())
        for k, rs in rounds.items():
            results[k] = pick(rs, args.pick)
    http.stop_all()

    for (system, key), res in results.items():
        report["results"].append({"system": system, "endpoint": key, **(res or {"n/a": True})})
    if args.dry_run:
        report["table"] = dry_table(endpoints, systems, results)
    else:
        for key, _ in endpoints:
            out = {}
            for name, num, den in RATIOS:
                a, b = results.get((num, key)), results.get((den, key))
                out[name] = http.ratio(a["rps"] if a else None, b["rps"] if b else None)
            report["ratios"][key] = out
        report["table"] = http.render_table(endpoints, systems, results, RATIOS)
        busiest = max((r["other_cpu_pct"] for r in results.values() if r), default=0.0)
        if busiest > 10:
            report["table"] += (
                f"\nWARNING: other processes used up to {busiest:.0f}% of a CPU during a run (column"
                " 'other CPU%'): the machine was shared, so those rows are skewed low. 'CPU ms/req'"
                " (server CPU time per request) moves much less."
            )
    report["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    return report


def measure(args: argparse.Namespace, server: http.Server, paths_file: Path) -> http.WrkResult:
    """Wait for a quiet machine (if asked), warm up, measure, then let the server drain its queue."""
    kw: dict[str, Any] = {
        "threads": args.threads,
        "connections": args.connections,
        "timeout_s": args.wrk_timeout,
    }
    busy_before = http.wait_idle(args.wait_idle)
    if args.warmup > 0:
        http.run_wrk(server.base, paths_file, seconds=args.warmup, **kw)
        http.wait_server_idle(server.pid)
    r = http.run_wrk(server.base, paths_file, seconds=args.duration, server_pid=server.pid, **kw)
    # A slow server still works on requests wrk gave up on; the next run must not pay for them.
    r.extra["drain_s"] = http.wait_server_idle(server.pid)
    if args.wait_idle > 0:
        r.extra["busy_before_pct"] = busy_before
    return r


def dry_table(
    endpoints: Sequence[tuple[str, str]],
    systems: Sequence[str],
    results: dict[tuple[str, str], dict[str, Any] | None],
) -> str:
    shape = {
        k: (None if v is None else {**EMPTY, "bytes_per_response": float(v["body_bytes"])})
        for k, v in results.items()
    }
    return (
        http.render_table(endpoints, systems, shape, RATIOS)
        + "\n(dry run: every URL answered 200 with JSON; KiB/resp is one body without headers; no load)"
    )


EMPTY: dict[str, Any] = {
    "rps": None,
    "p50_ms": None,
    "p99_ms": None,
    "socket_errors": 0,
    "non2xx": 0,
    "server_cpu_pct": None,
    "server_cpu_ms_per_request": None,
    "other_cpu_pct": None,
}


def summary(report: dict[str, Any]) -> str:
    p, b, m, c, wl = report["parse"], report["build"], report["machine"], report["config"], report["workload"]
    git = report["git"]
    return "\n".join(
        [
            f"machine: {m['nproc']} CPUs ({m['cpu_model']}), {m['mem_gib']} GiB, Python {m['python']}, "
            f"SQLite {m['sqlite']}; git {git['head'][:12]} with {git['dirty_files']} uncommitted files",
            f"parse:   {p['mb_per_s']:.2f} MB/s (median of {p['runs']} runs over {p['texts']} speeches, "
            f"{p['mb']:.1f} MB)",
            f"ingest:  {b['speeches']:,} speeches in {b['ingest_s']:.1f} s = {b['speeches_per_s']:.1f} "
            f"speeches/s ({b['sentences']:,} sentences, {b['mb_ingested']:.1f} MB of text, search index "
            "built in the same transactions)" + (" [reused: measured when built]" if b["reused"] else ""),
            f"size:    database {b['db_mb']:.1f} MiB, of which Jianghua's full-text index {b['fts_mb']:.1f} MiB;"
            f" Datasette's trigram index adds {b['trigram_mb']:.1f} MiB",
            f"load:    wrk -t{c['wrk_threads']} -c{c['wrk_connections']}, {c['warmup_s']:g} s warm-up + "
            f"{c['duration_s']:g} s per endpoint, {c['rounds']} round(s) ({c['pick']} shown); uvicorn "
            + " ".join(c["uvicorn_flags"]).replace("--port 0 ", ""),
            f"terms:   popular 3+ {' '.join(wl['terms3'])}; popular 2 {' '.join(wl['terms2'])}; "
            f"varied: {wl['varied3']:,} distinct 3-char and {wl['varied2']:,} 2-char substrings",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    http.install_cleanup()
    tmp = Path(tempfile.mkdtemp(prefix="jianghua-bench-"))
    try:
        with http.servers_stopped_on_exit():
            report = run(args, tmp)
    except BaseException:
        log(f"failed; server logs, paths and bodies kept in {tmp}")
        raise
    shutil.rmtree(tmp, ignore_errors=True)
    text = summary(report) + "\n\n" + report["table"]
    print(text)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(_finite(report), indent=2, ensure_ascii=False, default=str))
    print(f"\nJSON: {args.json}")
    return 0


def _finite(value: Any) -> Any:
    """NaN (no dbstat) is not JSON: write null."""
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


if __name__ == "__main__":
    sys.exit(main())
