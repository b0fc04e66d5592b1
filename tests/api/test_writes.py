"""The write API: create, edit metadata, replace text, withdraw; keys, media types, preconditions."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tests.conftest import make_key, wire

PROBLEM = "application/problem+json"
SPEECH = "在全市工作会议上的讲话\n（2024年5月1日）\n同志们：\n今天开会。我讲两点意见。\n一、抓发展\n发展是第一要务。\n二、抓民生\n民生是根本。\n同志们，让我们共同努力！"
META = {
    "speaker": "张三",
    "publisher": "XX市人民政府办公室",
    "index_number": "11440300007542926N/2024-00123",
    "document_number": "XX发〔2024〕12号",
    "topic": "综合政务/政务公开",
    "keywords": ["发展", "民生"],
    "genre": "讲话",
    "written_on": "2024-04-28",
    "published_on": "2024-05-02",
    "place": "XX市",
    "source_url": "https://www.example.gov.cn/2024/0501.html",
}


def post(client: TestClient, auth: dict[str, str], body: str = SPEECH, **params: object) -> object:
    return client.post(
        "/api/v1/speeches",
        content=body.encode(),
        headers={**auth, "Content-Type": "text/plain"},
        params=params,
    )


def test_post_text_plain_creates_then_is_idempotent(client: TestClient, auth: dict[str, str]) -> None:
    r = post(client, auth)
    assert r.status_code == 201, r.text  # type: ignore[attr-defined]
    body = r.json()  # type: ignore[attr-defined]
    assert r.headers["location"] == f"/api/v1/speeches/{body['id']}"  # type: ignore[attr-defined]
    assert body["title"] == "在全市工作会议上的讲话"
    assert [n["eid"] for n in body["outline"] if n["kind"] == "part"] == ["part_1", "part_2"]
    again = post(client, auth)
    assert again.status_code == 200  # type: ignore[attr-defined]
    assert again.json()["id"] == body["id"]  # type: ignore[attr-defined]
    assert client.get("/api/v1/speeches").json()["total"] == 1


def test_post_json_with_metadata_stores_every_government_field(
    client: TestClient, auth: dict[str, str]
) -> None:
    r = client.post("/api/v1/speeches", json={"text": SPEECH, "metadata": META}, headers=auth)
    assert r.status_code == 201, r.text
    stored = client.get(r.headers["location"]).json()
    for field, value in META.items():
        assert stored[field] == value, field
    assert stored["delivered_on"] == "2024-05-01"  # read from the text's date line


def test_post_gbk_text_is_decoded(client: TestClient, auth: dict[str, str]) -> None:
    r = client.post(
        "/api/v1/speeches", content=SPEECH.encode("gb18030"), headers={**auth, "Content-Type": "text/plain"}
    )
    assert r.status_code == 201
    assert r.json()["title"] == "在全市工作会议上的讲话"


def test_post_dry_run_stores_nothing(client: TestClient, auth: dict[str, str]) -> None:
    r = post(client, auth, dry_run="true")
    assert r.status_code == 200  # type: ignore[attr-defined]
    assert [s["marker"] for s in r.json()["sections"]] == ["一、", "二、"]  # type: ignore[attr-defined]
    assert client.get("/api/v1/speeches").json()["total"] == 0


def test_writes_need_a_key_with_write_scope(client: TestClient, engine: Engine) -> None:
    r = post(client, {})
    assert (r.status_code, r.headers["content-type"]) == (401, PROBLEM)  # type: ignore[attr-defined]
    assert r.headers["www-authenticate"].startswith("Bearer")  # type: ignore[attr-defined]
    r = post(client, {"Authorization": "Bearer nope"})
    assert r.status_code == 401  # type: ignore[attr-defined]
    r = post(client, {"Authorization": "Basic abc"})
    assert r.status_code == 401  # type: ignore[attr-defined]
    write = make_key(engine, "write")
    assert client.get("/api/v1/keys", headers={"Authorization": f"Bearer {write}"}).status_code == 403
    admin = make_key(engine, "admin")
    keys = client.get("/api/v1/keys", headers={"Authorization": f"Bearer {admin}"}).json()["data"]
    assert {k["scope"] for k in keys} == {"write", "admin"}
    assert all("hash" not in k and len(k["prefix"]) == 10 for k in keys)


def test_only_a_hash_of_the_key_is_stored_and_revoked_keys_fail(client: TestClient, engine: Engine) -> None:
    key = make_key(engine)
    with engine.connect() as conn:
        stored = [tuple(r) for r in conn.execute(text("SELECT key_hash, prefix FROM api_key"))]
    assert all(key not in row for row in stored)
    auth = {"Authorization": f"Bearer {key}"}
    assert post(client, auth).status_code == 201  # type: ignore[attr-defined]
    from app.services import keys as key_service

    with Session(engine) as s:
        assert key_service.revoke(session=s, ref=key[:10])
    assert post(client, auth, body=SPEECH + "。").status_code == 401  # type: ignore[attr-defined]


def test_unsupported_content_type_is_415_and_bad_json_422(client: TestClient, auth: dict[str, str]) -> None:
    r = client.post("/api/v1/speeches", content=b"<x/>", headers={**auth, "Content-Type": "application/xml"})
    assert (r.status_code, r.headers["content-type"]) == (415, PROBLEM)
    r = client.post(
        "/api/v1/speeches", content=b"{not json", headers={**auth, "Content-Type": "application/json"}
    )
    assert (r.status_code, r.headers["content-type"]) == (422, PROBLEM)
    r = client.post("/api/v1/speeches", json={"text": SPEECH, "extra": 1}, headers=auth)
    assert r.status_code == 422
    r = client.post(
        "/api/v1/speeches", json={"text": SPEECH, "metadata": {"document_number": "12号"}}, headers=auth
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["body", "metadata", "document_number"]
    r = post(client, auth, body="   ")
    assert r.status_code == 422  # type: ignore[attr-defined]


def test_unacceptable_accept_is_406(client: TestClient, seed_id: int) -> None:
    r = client.get(f"/api/v1/speeches/{seed_id}", headers={"Accept": "text/html"})
    assert (r.status_code, r.headers["content-type"]) == (406, PROBLEM)
    ok = client.get(f"/api/v1/speeches/{seed_id}", headers={"Accept": "text/html, application/json;q=0.5"})
    assert ok.status_code == 200
    assert client.get(f"/api/v1/speeches/{seed_id}", headers={"Accept": "*/*"}).status_code == 200


def test_patch_edits_metadata_and_null_clears(client: TestClient, auth: dict[str, str], seed_id: int) -> None:
    url = f"/api/v1/speeches/{seed_id}"
    before = client.get(url)
    r = client.patch(url, json={"speaker": "李四", "genre": "致辞"}, headers=auth)
    assert r.status_code == 200, r.text
    assert (r.json()["speaker"], r.json()["genre"], r.json()["version"]) == ("李四", "致辞", 2)
    assert r.headers["etag"] != before.headers["etag"]
    r = client.patch(
        url, content=b'{"speaker": null}', headers={**auth, "Content-Type": "application/merge-patch+json"}
    )
    assert r.json()["speaker"] is None
    assert r.json()["genre"] == "致辞"
    assert client.patch(url, json={"genre": "小说"}, headers=auth).status_code == 422
    assert client.patch(url, json={"nope": 1}, headers=auth).status_code == 422
    assert client.patch(url, json={"speaker": "x"}).status_code == 401


def test_if_match_prevents_lost_updates(client: TestClient, auth: dict[str, str], seed_id: int) -> None:
    url = f"/api/v1/speeches/{seed_id}"
    etag = client.get(url).headers["etag"]
    first = client.patch(url, json={"speaker": "甲"}, headers={**auth, "If-Match": etag})
    assert first.status_code == 200
    stale = client.patch(url, json={"speaker": "乙"}, headers={**auth, "If-Match": etag})
    assert (stale.status_code, stale.headers["content-type"]) == (412, PROBLEM)
    assert client.get(url).json()["speaker"] == "甲"
    fresh = client.patch(url, json={"speaker": "乙"}, headers={**auth, "If-Match": first.headers["etag"]})
    assert fresh.status_code == 200


def test_put_text_reparses_and_reports_eid_changes(client: TestClient, auth: dict[str, str]) -> None:
    created = post(client, auth).json()  # type: ignore[attr-defined]
    url = f"/api/v1/speeches/{created['id']}"
    new = SPEECH.replace(
        "一、抓发展\n发展是第一要务。\n", "一、抓改革\n改革是动力。\n二、抓发展\n发展是第一要务。\n"
    ).replace("二、抓民生", "三、抓民生")
    r = client.put(url + "/text", content=new.encode(), headers={**auth, "Content-Type": "text/plain"})
    assert r.status_code == 200, r.text
    body = r.json()
    changes = {(c["old"], c["new"]) for c in body["eid_changes"]}
    assert ("part_1", "part_2") in changes  # 抓发展 moved
    assert ("part_2", "part_3") in changes  # 抓民生 moved
    assert (None, "part_1") in changes  # 抓改革 is new
    assert "preamble" not in {c["old"] for c in body["eid_changes"]}
    assert body["speech"]["version"] == 2
    section = client.get(url + "/sections/part_1").json()
    assert section["heading"] == "抓改革"
    hits = client.get("/api/v1/search", params={"q": "改革是动力"}).json()
    assert hits["total"] == 1
    old = client.get("/api/v1/search", params={"q": "民生是根本", "speech": created["id"]}).json()
    assert old["total"] == 1


def test_put_same_text_changes_nothing(client: TestClient, auth: dict[str, str]) -> None:
    created = post(client, auth).json()  # type: ignore[attr-defined]
    r = client.put(
        f"/api/v1/speeches/{created['id']}/text",
        content=SPEECH.encode(),
        headers={**auth, "Content-Type": "text/plain"},
    )
    assert r.status_code == 200
    assert r.json()["eid_changes"] == []
    assert r.json()["speech"]["version"] == 1


def test_delete_withdraws_hides_and_answers_410(
    client: TestClient, auth: dict[str, str], seed_id: int
) -> None:
    url = f"/api/v1/speeches/{seed_id}"
    assert client.get("/api/v1/search", params={"q": "劳模"}).json()["total"] > 0
    r = client.delete(url, headers=auth)
    assert r.status_code == 204
    gone = client.get(url)
    assert (gone.status_code, gone.headers["content-type"]) == (410, PROBLEM)
    assert client.get(url + "/sections/part_1").status_code == 410
    # the speech is looked up first: gone (or unknown) whatever the other parameters are
    assert client.get(url + "/sections/" + "x" * 300).status_code == 410
    assert client.get(url + "/points", params={"limit": 0}).status_code == 410
    assert client.get("/api/v1/speeches/999999/sections/" + "x" * 300).status_code == 404
    assert client.get("/api/v1/speeches").json()["total"] == 0
    assert client.get("/api/v1/search", params={"q": "劳模"}).json()["total"] == 0
    assert client.get("/api/v1/quotes", params={"speech": seed_id}).json()["total"] == 0
    assert client.get("/api/v1/terms", params={"prefix": "laomo"}).json()["data"] == []
    assert client.delete(url, headers=auth).status_code == 204  # idempotent


def test_post_of_a_withdrawn_text_is_409(client: TestClient, auth: dict[str, str], seed_text: str) -> None:
    created = post(client, auth, body=seed_text).json()  # type: ignore[attr-defined]
    client.delete(f"/api/v1/speeches/{created['id']}", headers=auth)
    r = post(client, auth, body=seed_text)
    assert (r.status_code, r.headers["content-type"]) == (409, PROBLEM)  # type: ignore[attr-defined]


def test_parse_preview_and_strict(client: TestClient) -> None:
    r = client.post("/api/v1/parse", content=SPEECH.encode(), headers={"Content-Type": "text/plain"})
    assert r.status_code == 200
    assert [s["heading"] for s in r.json()["sections"]] == ["抓发展", "抓民生"]
    assert r.json()["diagnostics"] == []
    gap = "标题\n一、甲\n正文。\n三、丙\n正文。"
    ok = client.post("/api/v1/parse", json={"text": gap})
    assert ok.status_code == 200
    assert ok.json()["diagnostics"]
    strict = client.post("/api/v1/parse", json={"text": gap}, params={"strict": "true"})
    assert (strict.status_code, strict.headers["content-type"]) == (422, PROBLEM)
    assert strict.json()["type"] == "/problems/parse-diagnostics"
    assert strict.json()["diagnostics"][0]["code"]


def test_list_filters_by_metadata_and_sorts_by_date(client: TestClient, auth: dict[str, str]) -> None:
    for i, (speaker, genre, day) in enumerate(
        [("甲", "讲话", "2024-01-05"), ("乙", "致辞", "2023-06-01"), ("甲", "报告", "2024-03-01")]
    ):
        meta = {
            "speaker": speaker,
            "genre": genre,
            "delivered_on": day,
            "topic": f"综合政务/分类{i}",
            "publisher": "XX市政府",
        }
        r = client.post(
            "/api/v1/speeches", json={"text": f"第{i}号讲话\n同志们，好。{i}", "metadata": meta}, headers=auth
        )
        assert r.status_code == 201, r.text

    def titles(**params: object) -> list[str]:
        return [s["title"] for s in client.get("/api/v1/speeches", params=params).json()["data"]]

    assert titles(speaker="甲") == ["第0号讲话", "第2号讲话"]
    assert titles(genre="致辞") == ["第1号讲话"]
    assert titles(topic="综合政务") == ["第0号讲话", "第1号讲话", "第2号讲话"]
    assert titles(topic="综合政务/分类2") == ["第2号讲话"]
    assert titles(**{"from": "2024-01-01"}) == ["第0号讲话", "第2号讲话"]
    assert titles(to="2023-12-31") == ["第1号讲话"]
    assert titles(q="1号") == ["第1号讲话"]
    assert titles(sort="date") == ["第2号讲话", "第0号讲话", "第1号讲话"]
    assert titles(publisher="XX市政府", speaker="乙") == ["第1号讲话"]
    assert client.get("/api/v1/speeches", params={"sort": "nope"}).status_code == 422


def test_readyz_checks_database_and_migrations(client: TestClient, engine: Engine) -> None:
    r = client.get("/readyz")
    assert r.status_code == 200
    assert r.json()["status"] == "ready"
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    r = client.get("/readyz")
    assert (r.status_code, r.headers["content-type"]) == (503, PROBLEM)


def test_read_requires_key_when_configured(engine: Engine, seed_id: int) -> None:

    from app.core.config import Settings
    from app.main import create_app

    app = create_app(Settings(read_requires_key=True, access_log=False))

    wire(app, engine)
    with TestClient(app) as c:
        assert c.get(f"/api/v1/speeches/{seed_id}").status_code == 401
        key = make_key(engine)
        assert (
            c.get(f"/api/v1/speeches/{seed_id}", headers={"Authorization": f"Bearer {key}"}).status_code
            == 200
        )
        assert c.get("/healthz").status_code == 200


def test_unexpected_failure_is_a_problem_with_request_id_and_no_trace(engine: Engine, caplog: object) -> None:
    from app.core.config import Settings
    from app.main import create_app

    app = create_app(Settings(rate_limit_per_minute=0, rate_limit_per_key_per_minute=0))

    @app.get("/api/v1/_boom")
    def boom() -> None:
        raise RuntimeError("SELECT secret FROM api_key")

    wire(app, engine)
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/api/v1/_boom", headers={"X-Request-ID": "req-42"})
    assert (r.status_code, r.headers["content-type"]) == (500, PROBLEM)
    body = r.json()
    assert body["type"] == "/problems/internal-error"
    assert body["request_id"] == "req-42" == r.headers["x-request-id"]
    assert "SELECT" not in r.text and "Traceback" not in r.text
