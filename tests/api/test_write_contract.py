"""The write API as an integrator meets it: hostile bodies, every government-metadata rule, edits
that change nothing, and the eid map of a replaced text."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.core.db import writer
from app.services import writing

PROBLEM = "application/problem+json"
SPEECH = "在全市工作会议上的讲话\n同志们：\n一、抓发展\n发展是第一要务。\n二、抓民生\n民生是根本。"


def problem(r: Any, status: int, slug: str) -> dict[str, Any]:
    assert (r.status_code, r.headers["content-type"]) == (status, PROBLEM), r.text
    body: dict[str, Any] = r.json()
    assert body["type"] == f"/problems/{slug}"
    return body


def create(client: TestClient, auth: dict[str, str], text: str = SPEECH, **metadata: Any) -> dict[str, Any]:
    r = client.post("/api/v1/speeches", json={"text": text, "metadata": metadata}, headers=auth)
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


# --- bodies ----------------------------------------------------------------------------------


@pytest.mark.parametrize("nested", [b"[" * 20_000 + b"]" * 20_000, b'{"a":' * 20_000 + b"1" + b"}" * 20_000])
def test_deeply_nested_json_is_a_422_not_a_500(
    client: TestClient, auth: dict[str, str], seed_id: int, nested: bytes
) -> None:
    json_auth = {**auth, "Content-Type": "application/json"}
    for method, url in [
        ("POST", "/api/v1/speeches"),
        ("POST", "/api/v1/speeches?dry_run=true"),
        ("POST", "/api/v1/parse"),
        ("PATCH", f"/api/v1/speeches/{seed_id}"),
        ("PUT", f"/api/v1/speeches/{seed_id}/text"),
    ]:
        r = client.request(method, url, content=nested, headers=json_auth)
        body = problem(r, 422, "validation-error")
        assert body["errors"][0]["type"] == "json_invalid", (method, url)


@pytest.mark.parametrize("text", ["[]", "<br>", " \u3000\n"])
def test_a_text_with_nothing_left_once_normalised_is_refused(
    client: TestClient, auth: dict[str, str], seed_id: int, text: str
) -> None:
    plain = {**auth, "Content-Type": "text/plain"}
    for url in ("/api/v1/speeches", "/api/v1/speeches?dry_run=true"):
        problem(client.post(url, content=text.encode(), headers=plain), 422, "validation-error")
    problem(
        client.put(f"/api/v1/speeches/{seed_id}/text", content=text.encode(), headers=plain),
        422,
        "validation-error",
    )
    assert client.get("/api/v1/speeches").json()["total"] == 1
    assert client.get(f"/api/v1/speeches/{seed_id}").json()["version"] == 1


# --- government metadata ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("written_on", 0),  # pydantic's lax mode would read these as Unix times
        ("written_on", 1714521600),
        ("published_on", "0"),
        ("delivered_on", "2024-05-01T08:00:00Z"),
        ("written_on", "2024-5-1"),
        ("written_on", "2024-02-30"),
        ("document_number", "国发〔2024〕012号"),  # GB/T 9704: no padding of the serial number
        ("document_number", "国发〔2024〕0号"),
        ("document_number", "国发[2024]12号"),
        ("document_number", "〔2024〕12号"),
        ("document_number", "国发〔24〕12号"),
        ("topic", "综合政务//政务公开"),
        ("topic", "/综合政务"),
        ("topic", "综合 政务"),
        ("index_number", "索引/2024"),
        ("keywords", ["词"] * 21),
        ("keywords", ["一二三四五六七八九十" * 4]),
        ("genre", "小说"),
        ("source_url", "javascript:alert(1)"),
        ("source_url", "https://www.example.gov.cn/" + "政" * 700),  # 6,300 characters once encoded
        ("speaker", "张\u0001三"),  # XML cannot carry it: every AKN and Atom export would break
        ("publisher", "XX\ufffe"),
        ("keywords", ["劳动\u000b"]),
        ("title", "\x00"),
    ],
)
def test_invalid_government_metadata_is_a_422_naming_the_field(
    client: TestClient, auth: dict[str, str], seed_id: int, field: str, value: Any
) -> None:
    r = client.post("/api/v1/speeches", json={"text": SPEECH, "metadata": {field: value}}, headers=auth)
    assert problem(r, 422, "validation-error")["errors"][0]["loc"][:3] == ["body", "metadata", field]
    r = client.patch(f"/api/v1/speeches/{seed_id}", json={field: value}, headers=auth)
    assert problem(r, 422, "validation-error")["errors"][0]["loc"][:2] == ["body", field]
    assert client.get("/api/v1/speeches").json()["total"] == 1


def test_topic_written_the_gov_cn_way_is_stored_as_a_path_and_found_either_way(
    client: TestClient, auth: dict[str, str]
) -> None:
    created = create(client, auth, topic="综合政务\\政务公开", document_number="国办函〔2018〕71号")
    assert (created["topic"], created["document_number"]) == ("综合政务/政务公开", "国办函〔2018〕71号")
    for topic in ("综合政务", "综合政务/政务公开", "综合政务\\政务公开"):
        assert [s["id"] for s in client.get("/api/v1/speeches", params={"topic": topic}).json()["data"]] == [
            created["id"]
        ]


def test_null_metadata_on_create_clears_fields_without_breaking_reads(
    client: TestClient, auth: dict[str, str]
) -> None:
    # Found by the contract test: {"keywords": null} was stored as JSON null, and from then on the
    # speech, the speech list and the feeds all answered 500.
    nulls = {"keywords": None, "speaker": None, "topic": None, "delivered_on": None, "source_url": None}
    created = create(client, auth, **nulls)
    assert (created["keywords"], created["speaker"], created["delivered_on"]) == ([], None, None)
    for url in (f"/api/v1/speeches/{created['id']}", "/api/v1/speeches", "/feeds/speeches.atom"):
        assert client.get(url).status_code == 200, url
    for fmt in ("json", "md", "txt", "akn", "jsonld"):
        assert client.get(f"/api/v1/speeches/{created['id']}/export?format={fmt}").status_code == 200, fmt


# --- edits -----------------------------------------------------------------------------------


def test_a_patch_that_changes_nothing_makes_no_new_version(
    client: TestClient, auth: dict[str, str], seed_id: int
) -> None:
    url = f"/api/v1/speeches/{seed_id}"
    first = client.patch(url, json={"speaker": "张三", "keywords": ["劳动"]}, headers=auth)
    assert first.json()["version"] == 2
    changes = client.get("/api/v1/changes").json()["data"]
    for same in ({"speaker": "张三"}, {"keywords": ["劳动"], "speaker": "张三"}, {}):
        r = client.patch(url, json=same, headers={**auth, "If-Match": first.headers["etag"]})
        assert r.status_code == 200, r.text
        assert (r.json()["version"], r.headers["etag"]) == (2, first.headers["etag"])
    assert client.get("/api/v1/changes").json()["data"] == changes  # mirrors have nothing to fetch
    assert client.patch(url, json={"speaker": None}, headers=auth).json()["version"] == 3


def test_without_a_key_writes_are_401_whatever_the_speech(
    client: TestClient, auth: dict[str, str], seed_id: int
) -> None:
    """Authentication comes first: no 404 or 410 tells an anonymous client what exists."""
    gone = create(client, auth, "撤回的讲话\n同志们，好。")["id"]
    assert client.delete(f"/api/v1/speeches/{gone}", headers=auth).status_code == 204
    plain = {"Content-Type": "text/plain"}
    for ref in (seed_id, gone, 999_999, "no-such-slug"):
        for method, url, headers in (
            ("PATCH", f"/api/v1/speeches/{ref}", {"Content-Type": "application/json"}),
            ("PUT", f"/api/v1/speeches/{ref}/text", plain),
            ("DELETE", f"/api/v1/speeches/{ref}", {}),
        ):
            r = client.request(
                method, url, content=b"{}" if method == "PATCH" else "正文".encode(), headers=headers
            )
            problem(r, 401, "unauthorized")
            assert r.headers["www-authenticate"].startswith("Bearer")


def test_an_edit_that_loses_the_race_to_a_withdrawal_changes_nothing(engine: Engine, seed_id: int) -> None:
    """The route saw the speech live; a DELETE committed before the edit took the lock."""
    with Session(writer(engine)) as session:
        writing.withdraw(session=session, speech_id=seed_id, precondition=lambda speech: None)
    for edit in (
        lambda s: writing.update_metadata(
            session=s, speech_id=seed_id, changes={"speaker": "张三"}, precondition=lambda speech: None
        ),
        lambda s: writing.replace_text(
            session=s, speech_id=seed_id, raw_text=SPEECH, precondition=lambda speech: None
        ),
    ):
        with Session(writer(engine)) as session, pytest.raises(writing.Withdrawn):
            edit(session)
    with engine.connect() as conn:
        kinds = conn.execute(text("SELECT kind FROM change ORDER BY id")).scalars().all()
        assert kinds == ["created", "withdrawn"]
        assert conn.execute(text("SELECT version FROM speech")).scalar_one() == 2


def test_put_text_refuses_metadata_it_would_otherwise_drop(
    client: TestClient, auth: dict[str, str], seed_id: int
) -> None:
    body = {"text": SPEECH, "metadata": {"speaker": "李四"}}
    r = client.put(f"/api/v1/speeches/{seed_id}/text", json=body, headers=auth)
    assert problem(r, 422, "validation-error")["errors"][0]["loc"] == ["body", "metadata"]
    assert client.get(f"/api/v1/speeches/{seed_id}").json()["version"] == 1
    ok = client.put(f"/api/v1/speeches/{seed_id}/text", json={"text": SPEECH}, headers=auth)
    assert ok.status_code == 200 and ok.json()["speech"]["version"] == 2


def test_replacing_the_text_maps_paragraph_eids_and_ignores_corrections_in_place(
    client: TestClient, auth: dict[str, str]
) -> None:
    created = create(client, auth)
    new = (
        "在全市工作会议上的讲话\n同志们：\n一、抓改革\n改革是动力。\n"  # a new part 一 pushes the others down
        "二、抓发展\n发展是第一要务。\n三、抓民声\n民生是根本。"  # and 民生's heading gets a typo fix… reversed
    )
    r = client.put(
        f"/api/v1/speeches/{created['id']}/text",
        content=new.encode(),
        headers={**auth, "Content-Type": "text/plain"},
    )
    assert r.status_code == 200, r.text
    changes = {(c["element"], c["old"], c["new"]) for c in r.json()["eid_changes"]}
    assert ("section", "part_1", "part_2") in changes  # 抓发展 moved
    assert ("paragraph", "part_1__para_1", "part_2__para_1") in changes  # and so did its paragraph
    assert ("paragraph", "part_2__para_1", "part_3__para_1") in changes  # 民生是根本 moved with its part
    assert ("section", None, "part_1") in changes  # 抓改革 is new
    assert ("paragraph", None, "part_1__para_1") in changes
    # 抓民生 became 抓民声 and moved to part_3: no heading matches, part_2 is now 抓发展, so the
    # old part_2 is reported gone and part_3 new; the preamble did not change and is not listed.
    assert ("section", "part_2", None) in changes and ("section", None, "part_3") in changes
    assert not {c for c in changes if "preamble" in str(c)}
    # A heading corrected in place keeps its eid: not listed.
    fixed = new.replace("抓民声", "抓民生")
    r = client.put(
        f"/api/v1/speeches/{created['id']}/text",
        content=fixed.encode(),
        headers={**auth, "Content-Type": "text/plain"},
    )
    assert r.json()["eid_changes"] == []
