"""Ingest: one transaction per speech, idempotent by content hash, raw and normalised text kept."""

from __future__ import annotations

import pytest
from sqlalchemy import func, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from app import parser
from app.models import Paragraph, Quote, Section, Sentence, Speech
from app.repositories import search as search_repo
from app.services.ingest import content_hash
from tests.conftest import import_text


def counts(engine: Engine) -> dict[str, int]:
    with Session(engine) as s:
        return {
            m.__name__: s.exec(select(func.count()).select_from(m)).one()
            for m in (Speech, Section, Paragraph, Sentence, Quote)
        }


def test_import_same_text_twice_returns_the_existing_speech(engine: Engine, seed_text: str) -> None:
    first = import_text(engine, seed_text)
    before = counts(engine)
    # The same speech with a BOM and CRLF line ends normalises to the same text.
    again = import_text(engine, "\ufeff" + seed_text.replace("\n", "\r\n"))
    assert again == first
    assert counts(engine) == before


def test_import_keeps_raw_and_normalised_text_so_it_can_be_reparsed(engine: Engine, seed_text: str) -> None:
    raw = "\ufeff" + seed_text.replace("\n", "\r\n")
    speech_id = import_text(engine, raw)
    with Session(engine) as s:
        speech = s.get(Speech, speech_id)
        assert speech is not None
        assert speech.raw_text == raw
        assert speech.text == parser.normalise(raw)
        assert speech.content_hash == content_hash(speech.text)
        assert speech.parser_version == parser.PARSER_VERSION
        assert parser.parse(speech.raw_text) == parser.parse(speech.text)


def test_import_stores_the_whole_tree(engine: Engine, seed_text: str) -> None:
    speech_id = import_text(engine, seed_text)
    parsed = parser.parse(seed_text)
    with Session(engine) as s:
        sections = s.exec(select(Section).where(Section.speech_id == speech_id)).all()
        kinds = sorted(x.kind for x in sections)
        assert kinds.count("part") == 3 and kinds.count("point") == 9
        assert {"preamble", "closing"} <= set(kinds)
        paragraphs = s.exec(select(Paragraph).where(Paragraph.speech_id == speech_id)).all()
        stored = {p.eid: p for p in paragraphs}
        assert len(stored) == len(paragraphs)
        for p in paragraphs:
            assert parsed.text[p.start : p.end] == p.text
        sentences = s.exec(select(Sentence).where(Sentence.speech_id == speech_id)).all()
        for x in sentences:
            assert parsed.text[x.start : x.end] == x.text
        assert len(sentences) > len(paragraphs)


def test_import_different_texts_gives_different_speeches(engine: Engine) -> None:
    a = import_text(engine, "标题一\n\n同志们，大家好。")
    b = import_text(engine, "标题二\n\n同志们，大家好。")
    assert a != b
    assert counts(engine)["Speech"] == 2


def _refuse_change_log_inserts(engine: Engine) -> None:
    """A real database failure at the last write of an import: a trigger on the change log."""
    with Session(engine) as s:
        if engine.dialect.name == "postgresql":
            s.execute(
                text(
                    "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$ "
                    "LANGUAGE plpgsql"
                )
            )
            s.execute(
                text("CREATE TRIGGER refuse BEFORE INSERT ON change FOR EACH ROW EXECUTE FUNCTION refuse()")
            )
        else:
            s.execute(
                text(
                    "CREATE TRIGGER refuse BEFORE INSERT ON change BEGIN SELECT RAISE(ABORT, 'refused'); END"
                )
            )
        s.commit()


def test_an_import_that_fails_at_its_last_write_leaves_no_rows_and_no_index(
    engine: Engine, seed_text: str
) -> None:
    _refuse_change_log_inserts(engine)
    with pytest.raises(DBAPIError, match="refused"):
        import_text(engine, seed_text)
    assert set(counts(engine).values()) == {0}
    with Session(engine) as s:
        for target in search_repo.TARGETS:
            assert s.execute(text(f"SELECT count(*) FROM fts_{target}")).scalar_one() == 0
        assert s.execute(text("SELECT count(*) FROM term")).scalar_one() == 0
