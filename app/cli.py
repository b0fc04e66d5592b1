"""The command line: ``jianghua`` and ``python -m app`` run the same ``main``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from app import parser as speech_parser


def _read(path: str, encoding: str | None) -> str:
    data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    return speech_parser.decode(data, encoding=encoding)


def cmd_parse(args: argparse.Namespace) -> int:
    parsed = speech_parser.parse(_read(args.file, args.encoding))
    out = speech_parser.to_dict(parsed, include_text=args.with_text)
    sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=None if args.compact else 2))
    sys.stdout.write("\n")
    return 0


def _check_database() -> bool:
    """Explain, on stderr, what is wrong with the configured database; False when unusable."""
    from app.core.db import database_problems, get_engine

    problems = database_problems(get_engine())
    for problem in problems:
        print(f"database: {problem}", file=sys.stderr)
    return not problems


def cmd_migrate(args: argparse.Namespace) -> int:
    from app.core import migrations
    from app.core.config import get_settings
    from app.core.db import ensure_sqlite_dir

    url = get_settings().database_url
    ensure_sqlite_dir(url)
    if not _check_database():
        return 2
    migrations.upgrade(url, args.revision)
    return 0


def cmd_migrate_data(args: argparse.Namespace) -> int:
    from app.core.db import database_problems, make_engine
    from app.services.copying import TargetNotEmpty, copy_database

    source, target = make_engine(args.source), make_engine(args.target)
    problems = database_problems(target)
    for problem in problems:
        print(f"target database: {problem}", file=sys.stderr)
    if problems:
        return 2

    def progress(table: str, done: int) -> None:
        sys.stderr.write(f"\r{table:<12} {done} rows")
        sys.stderr.flush()

    try:
        counts = copy_database(source=source, target=target, progress=progress)
    except TargetNotEmpty:
        print("target database already holds speeches; copy into an empty one", file=sys.stderr)
        return 2
    sys.stderr.write("\n")
    for table, n in counts.items():
        print(f"{table}\t{n}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from app.core.db import get_engine, writer
    from app.services.ingest import EmptyText, ingest_text

    engine = writer(get_engine())
    failures = 0
    for name in args.files:
        try:
            text = _read(name, args.encoding)
        except OSError as exc:
            print(f"error  {name}: {exc.strerror or exc}", file=sys.stderr)
            failures += 1
            continue
        if "\x00" in text:
            print(f"error  {name}: contains NUL characters (not a text file?)", file=sys.stderr)
            failures += 1
            continue
        with Session(engine) as session:
            try:
                result = ingest_text(session=session, raw_text=text)
            except EmptyText:
                print(f"error  {name}: nothing is left of the text once normalised", file=sys.stderr)
                failures += 1
                continue
        status = "created" if result.created else "exists "
        print(f"{status} {result.speech.id}\t{result.speech.slug}\t{result.speech.title or ''}\t{name}")
    return 1 if failures else 0


def cmd_reindex(args: argparse.Namespace) -> int:
    from app.core.db import get_engine, writer
    from app.services.indexing import rebuild

    def progress(target: str, done: int, total: int) -> None:
        width = 30
        filled = width * done // total if total else width
        bar = "#" * filled + "." * (width - filled)
        sys.stderr.write(f"\r{target:<9} [{bar}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    n = rebuild(engine=writer(get_engine()), progress=None if args.quiet else progress)
    print(f"reindexed {n} rows")
    return 0


def cmd_keys(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from app.core.db import get_engine
    from app.services import keys as key_service

    with Session(get_engine()) as session:
        if args.keys_command == "create":
            key, plain = key_service.create_key(session=session, name=args.name, scope=args.scope)
            print(plain)
            print(
                f"created key {key.id} ({key.prefix}…) scope {key.scope}; it is shown only now",
                file=sys.stderr,
            )
        elif args.keys_command == "list":
            print("id\tprefix\tscope\tcreated\trevoked\tname")
            for k in key_service.list_keys(session=session):
                when = k.revoked_at.isoformat(timespec="seconds") if k.revoked_at else "-"
                created = k.created_at.isoformat(timespec="seconds")
                print(f"{k.id}\t{k.prefix}\t{k.scope}\t{created}\t{when}\t{k.name}")
        else:
            gone = key_service.revoke(session=session, ref=args.key)
            if not gone:
                print(f"no live key matches {args.key!r}", file=sys.stderr)
                return 1
            for k in gone:
                print(f"revoked {k.id}\t{k.prefix}\t{k.name}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from app.services.exports.dump import cmd_export as run

    result: int = run(args.format, args.directory)
    return result


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from app.core.config import get_settings

    settings = get_settings()
    if not _check_database():
        return 2
    uvicorn.run(
        "app.main:app",
        host=args.host or settings.host,
        port=args.port or settings.port,
        log_level="info",
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="jianghua", description="Jianghua: structured Chinese speeches.")
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("parse", help="print a speech's parse result as JSON (the parse contract)")
    p.add_argument("file", help="path to the speech text, or - for standard input")
    p.add_argument("--encoding", help="force an input encoding instead of detecting it")
    p.add_argument("--with-text", action="store_true", help="include the normalised text")
    p.add_argument("--compact", action="store_true", help="one line of JSON")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("migrate", help="apply database migrations (Alembic) up to head")
    p.add_argument("--revision", default="head", help="target revision (default: head)")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser(
        "migrate-data", help="copy every speech, key and change from one database into another (at head)"
    )
    p.add_argument("--from", dest="source", required=True, help="source URL, e.g. sqlite:///data/jianghua.db")
    p.add_argument(
        "--to", dest="target", required=True, help="target URL, e.g. postgresql+psycopg://…/jianghua"
    )
    p.set_defaults(func=cmd_migrate_data)

    p = sub.add_parser("import", help="parse and store speeches; the same text twice is stored once")
    p.add_argument("files", nargs="+", help="speech text files (- for standard input)")
    p.add_argument("--encoding", help="force an input encoding instead of detecting it")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("reindex", help="rebuild the full-text index with the current tokenizer")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_reindex)

    p = sub.add_parser("keys", help="manage API keys (only a hash is stored)")
    keys = p.add_subparsers(dest="keys_command", required=True)
    k = keys.add_parser("create", help="create a key and print it once")
    k.add_argument("--name", required=True, help="who or what the key is for")
    k.add_argument("--scope", choices=["write", "admin"], default="write", help="write (default) or admin")
    keys.add_parser("list", help="list keys (never the keys themselves)")
    k = keys.add_parser("revoke", help="revoke keys by id, name or prefix")
    k.add_argument("key", help="the key's id, name or prefix")
    p.set_defaults(func=cmd_keys)

    p = sub.add_parser("export", help="write every live speech to a folder (NDJSON or Akoma Ntoso)")
    p.add_argument("--format", choices=["ndjson", "akn"], default="ndjson", help="ndjson (default) or akn")
    p.add_argument("directory", help="the folder to write (created if missing)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("serve", help="serve the API with uvicorn")
    p.add_argument("--host", help="bind address (default: JIANGHUA_HOST)")
    p.add_argument("--port", type=int, help="port (default: JIANGHUA_PORT)")
    p.set_defaults(func=cmd_serve)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    result: int = args.func(args)
    return result
