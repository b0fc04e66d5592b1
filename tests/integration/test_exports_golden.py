"""Golden files: every export of the seed speech, as stored and with government metadata.

Regenerate after a deliberate change with `JIANGHUA_UPDATE_GOLDEN=1 .venv/bin/pytest tests/integration`
and read the diff before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from lxml import etree
from sqlalchemy.engine import Engine

from app.parser import PARSER_VERSION
from tests.integration.conftest import GOVERNMENT, freeze_times
from tests.integration.test_exports import akn_schema

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "portal"
UPDATE = os.environ.get("JIANGHUA_UPDATE_GOLDEN") == "1"
FORMATS = {"json": "json", "md": "md", "txt": "txt", "akn": "akn.xml", "jsonld": "jsonld"}


def prepare(portal: TestClient, engine: Engine, speech_id: int, variant: str, auth: dict[str, str]) -> None:
    if variant == "gov":
        r = portal.patch(f"/api/v1/speeches/{speech_id}", json=GOVERNMENT, headers=auth)
        assert r.status_code == 200, r.text
    freeze_times(engine, speech_id)


@pytest.mark.parametrize("variant", ["seed", "gov"])
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_export_of_the_seed_matches_its_golden_file(
    portal: TestClient, engine: Engine, seed_id: int, auth: dict[str, str], variant: str, fmt: str
) -> None:
    prepare(portal, engine, seed_id, variant, auth)
    r = portal.get(f"/api/v1/speeches/{seed_id}/export", params={"format": fmt})
    assert r.status_code == 200, r.text
    path = GOLDEN / f"{variant}.{FORMATS[fmt]}"
    # The parser's version is data the export carries, not a format decision: a parser release
    # must not turn every golden file red, so it stands as a placeholder there.
    body = r.content.decode("utf-8").replace(f'"{PARSER_VERSION}"', '"@PARSER_VERSION@"')
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    assert body == path.read_text(encoding="utf-8"), f"{path.name} differs"
    if fmt == "akn":  # the golden files themselves are valid Akoma Ntoso 3.0, with and without metadata
        schema = akn_schema()
        assert schema.validate(etree.fromstring(r.content)), schema.error_log


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_government_fields_appear_in_every_export_in_their_usual_order(
    portal: TestClient, engine: Engine, seed_id: int, auth: dict[str, str], fmt: str
) -> None:
    prepare(portal, engine, seed_id, "gov", auth)
    body = portal.get(f"/api/v1/speeches/{seed_id}/export", params={"format": fmt}).text
    if fmt == "jsonld":
        wanted = [
            "11440300007542926N/2024-00123",
            "XX发〔2024〕12号",
            "XX市人民政府办公室",
            "综合政务/政务公开",
        ]
        wanted += ["2024-04-28", "2024-05-02", "劳模精神"]  # 索引号/发文字号 are both `identifier`s
    elif fmt == "json":
        wanted = [f'"{f}"' for f in ("index_number", "publisher", "document_number", "topic", "written_on")]
        wanted += ['"published_on"', '"keywords"']
    else:
        wanted = ["索引号", "发布机构", "发文字号", "主题分类", "成文日期", "发布日期", "主题词"]
        if fmt == "akn":  # the visible block in <preface>, after the TLC references in <meta>
            body = body[body.index('<container name="metadata">') :]
    positions = [body.find(w) for w in wanted]
    assert all(p >= 0 for p in positions), dict(zip(wanted, positions, strict=True))
    assert positions == sorted(positions)


def test_seed_exports_show_the_government_fields_even_when_empty(
    portal: TestClient, engine: Engine, seed_id: int
) -> None:
    freeze_times(engine, seed_id)
    text = portal.get(f"/api/v1/speeches/{seed_id}/export?format=txt").text
    header = text.split("\n\n", 1)[0].splitlines()
    assert header == [
        "标题：在“五一”劳动节暨先进模范表彰大会上的讲话",
        "索引号：",
        "发布机构：",
        "发文字号：",
        "主题分类：",
        "成文日期：",
        "发布日期：",
        "主题词：",
        "场合：“五一”劳动节暨先进模范表彰大会",
    ]
