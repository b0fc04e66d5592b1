"""Use case: a full dump of the live corpus into a folder (`python -m app export`).

- ndjson: `speeches.ndjson`, one whole-speech JSON export per line, in id order;
- akn: one Akoma Ntoso file per speech, `<slug>.akn.xml`.

Both write `manifest.json` with `changes_since`: a change-feed cursor taken *before* the first
speech was read. A mirror loads the dump, then follows GET /api/v1/changes?since=<that cursor>:
it may see again a change the dump already holds (applying it is harmless), and it misses none.
Files are written under a temporary name and renamed, so a reader never sees half a file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app import __version__
from app.repositories import exports as export_repo
from app.repositories import speeches as speech_repo
from app.services import changes as change_service
from app.services.exports import akn
from app.services.exports.shapes import SpeechExport
from app.services.exports.tree import build_export

DumpFormat = Literal["ndjson", "akn"]
BATCH = 100


@dataclass(frozen=True, slots=True)
class DumpResult:
    speeches: int
    files: list[str]
    changes_since: str


def _trees(engine: Engine) -> Iterator[SpeechExport]:
    """Every live speech's tree, in id order; a short session per batch keeps no lock for long."""
    after = 0
    while True:
        with Session(engine) as session:
            ids = export_repo.live_speech_ids(session=session, after_id=after, limit=BATCH)
            for speech_id in ids:
                speech = speech_repo.get_speech(session=session, speech_id=speech_id)
                if speech is not None and speech.withdrawn_at is None:
                    yield build_export(session=session, speech=speech)
        if len(ids) < BATCH:
            return
        after = ids[-1]


def _write(path: Path, chunks: Iterator[str]) -> None:
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8", newline="\n") as out:
        for chunk in chunks:
            out.write(chunk)
    os.replace(partial, path)


def dump(
    *, engine: Engine, directory: Path, fmt: DumpFormat, progress: Callable[[int], None] | None = None
) -> DumpResult:
    """Write every live speech into `directory` (created if missing) in the given format."""
    directory.mkdir(parents=True, exist_ok=True)
    with Session(engine) as session:
        since = change_service.latest_cursor(session=session)
    count, files = 0, []

    def counted(trees: Iterator[SpeechExport]) -> Iterator[SpeechExport]:
        nonlocal count
        for tree in trees:
            count += 1
            if progress is not None:
                progress(count)
            yield tree

    if fmt == "ndjson":
        _write(directory / "speeches.ndjson", (t.model_dump_json() + "\n" for t in counted(_trees(engine))))
        files.append("speeches.ndjson")
    else:
        for tree in counted(_trees(engine)):
            name = f"{tree.slug}.akn.xml"
            _write(directory / name, iter([akn.render(tree)]))
            files.append(name)
    manifest = {
        "format": fmt,
        "speeches": count,
        "files": files,
        "changes_since": since,
        "jianghua": __version__,
    }
    _write(directory / "manifest.json", iter([json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"]))
    return DumpResult(speeches=count, files=files, changes_since=since)


def cmd_export(fmt: DumpFormat, directory: str) -> int:
    """The body of `python -m app export --format ndjson|akn DIR` (wired in app/cli.py)."""
    import sys

    from app.core.db import get_engine

    def progress(done: int) -> None:
        sys.stderr.write(f"\r{done} speeches")
        sys.stderr.flush()

    result = dump(engine=get_engine(), directory=Path(directory), fmt=fmt, progress=progress)
    sys.stderr.write("\n")
    print(f"exported {result.speeches} speeches to {directory} ({fmt}); follow the change feed from")
    print(f"  GET /api/v1/changes?since={result.changes_since}")
    return 0
