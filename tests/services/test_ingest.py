"""Ingest: one transaction per speech, idempotent by content hash, raw and normalised text kept."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app import parser
from app.models import Paragraph, Quote, Section, Sentence, Speech
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
