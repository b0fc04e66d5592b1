"""Use case: move a whole Jianghua database to another engine (`python -m app migrate-data`)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.core import migrations
from app.core.db import writer
from app.repositories import bulk
from app.services.indexing import reindex

BATCH = 5000


class TargetNotEmpty(Exception):
    """The target already holds speeches; copying into it could mix two corpora."""


def copy_database(
    *, source: Engine, target: Engine, progress: Callable[[str, int], None] | None = None
) -> dict[str, int]:
    """Migrate the target to head, copy every table in one transaction, rebuild its search index.

    Rows keep their ids, so links and change-feed cursors stay valid. The search index is not
    copied but rebuilt, since its storage differs between engines.
    """
    migrations.upgrade(target.url.render_as_string(hide_password=False))
    counts: dict[str, int] = {}
    with source.connect() as src, target.begin() as dst:
        if bulk.count_rows(dst, "speech"):
            raise TargetNotEmpty(str(target.url))
        for name in bulk.TABLES:
            counts[name] = 0
            for rows in bulk.read_batches(src, name, BATCH):
                bulk.insert_rows(dst, name, rows)
                counts[name] += len(rows)
                if progress is not None:
                    progress(name, counts[name])
        bulk.reset_sequences(dst)
    with Session(writer(target)) as session:
        counts["search index"] = reindex(session=session)
        session.commit()
    return counts
