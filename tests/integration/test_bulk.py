"""Bulk exports: every matching quote as CSV or NDJSON (streamed), and the full dump to a folder."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from lxml import etree
from sqlalchemy.engine import Engine

from app.services.exports import dump as dump_service
from app.services.exports import quotes as quote_export
from tests.conftest import import_text

PROBLEM = "application/problem+json"


def listed_ids(client: TestClient, **params: object) -> list[int]:
    ids: list[int] = []
    cursor = None
    while True:
        page = client.get(
            "/api/v1/quotes", params={**params, "limit": 100, **({"cursor": cursor} if cursor else {})}
        ).json()
        ids += [q["id"] for q in page["data"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return ids


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"kind": "golden"},
        {"kind": "citation", "source": "宪法"},
        {"min_len": 10, "max_len": 20},
        {"speech": 1},
    ],
)
def test_csv_and_ndjson_hold_exactly_the_listed_quotes(
    portal: TestClient, seed_id: int, monkeypatch: pytest.MonkeyPatch, params: dict[str, object]
) -> None:
    monkeypatch.setattr(quote_export, "BATCH", 4)  # several batches even for the seed
    expected = listed_ids(portal, **params)
    r = portal.get("/api/v1/quotes.csv", params=params)
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/csv; charset=utf-8; header=present"
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [int(row["id"]) for row in rows] == expected
    assert list(rows[0]) == list(quote_export.COLUMNS) if rows else True
    lines = portal.get("/api/v1/quotes.ndjson", params=params)
    assert lines.headers["content-type"] == "application/x-ndjson"
    objects = [json.loads(line) for line in lines.text.splitlines()]
    assert [o["id"] for o in objects] == expected


def test_bulk_rows_are_self_contained(portal: TestClient, seed_id: int) -> None:
    row = json.loads(portal.get("/api/v1/quotes.ndjson?kind=citation").text.splitlines()[0])
    assert row["source"] == "宪法" and row["speech_slug"] and row["eid"] == "part_1"
    assert row["section"] == "一、要尊重劳动、尊重劳模、尊重劳动者"
    text = portal.get(f"/api/v1/speeches/{seed_id}/export?format=json").json()["text"]
    assert text[row["start"] : row["end"]] == row["text"]
    term = json.loads(portal.get("/api/v1/quotes.ndjson?kind=term").text.splitlines()[0])
    assert term["uses"] >= 1


def test_keyword_filter_matches_the_list(
    portal: TestClient, seed_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(quote_export, "BATCH", 3)
    expected = set(listed_ids(portal, q="劳动"))
    got = [json.loads(line)["id"] for line in portal.get("/api/v1/quotes.ndjson?q=劳动").text.splitlines()]
    assert set(got) == expected and len(got) == len(expected) > 3


def test_bad_queries_fail_before_streaming(portal: TestClient, seed_id: int) -> None:
    r = portal.get("/api/v1/quotes.csv", params={"q": "。。"})
    assert (r.status_code, r.headers["content-type"], r.json()["type"]) == (
        400,
        PROBLEM,
        "/problems/invalid-query",
    )
    r = portal.get("/api/v1/quotes.ndjson", params={"kind": "nope"})
    assert (r.status_code, r.headers["content-type"]) == (422, PROBLEM)


def test_excel_mode_adds_a_bom_and_defuses_formulas() -> None:
    quote = quote_export.QuoteExport(
        id=1, kind="term", text="=HYPERLINK(\"http://x\")", source=None, speech_id=1, speech_slug="s",
        speech_title="-1+1", speaker="@me", occasion=None, delivered_on=None, eid="part_1", section="",
        start=0, end=3, score=None, reason=None, uses=2,
    )  # fmt: skip
    plain = "".join(quote_export.csv_chunks(iter([[quote]])))
    excel = "".join(quote_export.csv_chunks(iter([[quote]]), excel=True))
    assert not plain.startswith("\ufeff") and excel.startswith("\ufeff")
    row = next(csv.DictReader(io.StringIO(excel.removeprefix("\ufeff"))))
    assert (row["text"], row["speech_title"], row["speaker"]) == ('\'=HYPERLINK("http://x")', "'-1+1", "'@me")
    assert next(csv.DictReader(io.StringIO(plain)))["text"] == quote.text


def test_withdrawn_speeches_are_left_out(
    portal: TestClient, engine: Engine, seed_id: int, auth: dict[str, str]
) -> None:
    other = import_text(engine, "在全市工作会议上的讲话\n同志们：\n“中国梦”是我们的梦。")
    portal.delete(f"/api/v1/speeches/{seed_id}", headers=auth)
    rows = [json.loads(line) for line in portal.get("/api/v1/quotes.ndjson").text.splitlines()]
    assert rows and {r["speech_id"] for r in rows} == {other}


def test_full_dump_as_ndjson_and_akn(
    portal: TestClient, engine: Engine, seed_id: int, auth: dict[str, str], tmp_path: Path
) -> None:
    second = import_text(engine, "在全市工作会议上的讲话\n同志们：\n一、抓发展\n发展是第一要务。")
    gone = import_text(engine, "撤回的讲话\n同志们，好。")
    portal.delete(f"/api/v1/speeches/{gone}", headers=auth)
    result = dump_service.dump(engine=engine, directory=tmp_path / "nd", fmt="ndjson")
    assert result.speeches == 2
    lines = (tmp_path / "nd" / "speeches.ndjson").read_text(encoding="utf-8").splitlines()
    trees = [json.loads(line) for line in lines]
    assert [t["id"] for t in trees] == [seed_id, second]
    assert trees[0] == portal.get(f"/api/v1/speeches/{seed_id}/export?format=json").json()
    manifest = json.loads((tmp_path / "nd" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["speeches"] == 2 and manifest["format"] == "ndjson"
    # Following the feed from the manifest's cursor shows only what happened after the dump.
    assert portal.get("/api/v1/changes", params={"since": manifest["changes_since"]}).json()["data"] == []
    portal.patch(f"/api/v1/speeches/{second}", json={"speaker": "李四"}, headers=auth)
    after = portal.get("/api/v1/changes", params={"since": manifest["changes_since"]}).json()["data"]
    assert [(c["speech_id"], c["kind"]) for c in after] == [(second, "updated")]

    result = dump_service.dump(engine=engine, directory=tmp_path / "akn", fmt="akn")
    assert sorted(result.files) == sorted(f"{t['slug']}.akn.xml" for t in trees)
    for name in result.files:
        root = etree.parse(str(tmp_path / "akn" / name)).getroot()
        assert root.tag == "{http://docs.oasis-open.org/legaldocml/ns/akn/3.0}akomaNtoso"
    assert not list((tmp_path / "akn").glob("*.partial"))


def test_export_command_writes_the_dump_and_prints_the_cursor(
    engine: Engine,
    seed_id: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import app.core.db

    monkeypatch.setattr(app.core.db, "get_engine", lambda: engine)
    assert dump_service.cmd_export("akn", str(tmp_path)) == 0
    out = capsys.readouterr().out
    assert "exported 1 speeches" in out and "GET /api/v1/changes?since=" in out
    assert len(list(tmp_path.glob("*.akn.xml"))) == 1
