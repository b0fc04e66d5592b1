"""The read API over the seed speech, through the ASGI app on a migrated SQLite file."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from tests.conftest import import_text

PROBLEM = "application/problem+json"
PARTS = [
    ("part_1", "一、", "要尊重劳动、尊重劳模、尊重劳动者"),
    ("part_2", "二、", "要争创一流、争当先进、争做先行者"),
    ("part_3", "三、", "要维护权益、维护发展、维护积极性"),
]
POINTS = {
    "part_1": [
        ("一是", "加大宣传，让他们的美名传遍XX"),
        ("二是", "深入学习，让他们的精神闪耀XX"),
        ("三是", "真心关爱，让他们的工作生活无忧"),
    ],
    "part_2": [
        ("一是", "产业发展要一马当先"),
        ("二是", "改革创新要奋勇争先"),
        ("三是", "维护稳定要忠诚为先"),
    ],
    "part_3": [("一要", "全力维权解难"), ("二要", "全员提升素质"), ("三要", "全面加强领导")],
}


def test_read_speech_shows_three_parts_with_three_points_each(client: TestClient, seed_id: int) -> None:
    r = client.get(f"/api/v1/speeches/{seed_id}")
    assert r.status_code == 200
    body = r.json()
    assert body["title"] == "在“五一”劳动节暨先进模范表彰大会上的讲话"
    outline = body["outline"]
    assert [n["eid"] for n in outline] == ["preamble", "part_1", "part_2", "part_3", "closing"]
    parts = [n for n in outline if n["kind"] == "part"]
    assert [(p["eid"], p["marker"], p["heading"]) for p in parts] == PARTS
    for part in parts:
        points = [(c["marker"], c["heading"]) for c in part["children"]]
        assert points == POINTS[part["eid"]]
        assert [c["eid"] for c in part["children"]] == [f"{part['eid']}__point_{i}" for i in (1, 2, 3)]
        assert all(c["kind"] == "point" and c["level"] == 2 for c in part["children"])
    assert body["counts"]["parts"] == 3
    assert body["counts"]["points"] == 9
    assert body["diagnostics"] == []
    assert "paragraphs" not in outline[1]  # the outline carries no bodies


def test_read_speech_by_slug_equals_by_id(client: TestClient, seed_id: int) -> None:
    by_id = client.get(f"/api/v1/speeches/{seed_id}").json()
    by_slug = client.get(f"/api/v1/speeches/{by_id['slug']}")
    assert by_slug.status_code == 200
    assert by_slug.json() == by_id


def test_read_section_gives_paragraphs_neighbours_and_breadcrumb(client: TestClient, seed_id: int) -> None:
    r = client.get(f"/api/v1/speeches/{seed_id}/sections/part_2__point_2")
    assert r.status_code == 200
    s = r.json()
    assert (s["eid"], s["kind"], s["marker"], s["heading"]) == (
        "part_2__point_2",
        "point",
        "二是",
        "改革创新要奋勇争先",
    )
    assert s["paragraphs"][0]["eid"] == "part_2__point_2__para_1"
    assert s["paragraphs"][0]["text"].startswith("改革是一场没有尽头的战争")
    assert s["parent"] == {"eid": "part_2", "kind": "part", "marker": "二、", "heading": PARTS[1][2]}
    assert s["previous"]["eid"] == "part_2__point_1"
    assert s["next"]["eid"] == "part_2__point_3"
    assert [b["eid"] for b in s["breadcrumb"]] == ["part_2", "part_2__point_2"]
    assert s["children"] == []


def test_read_section_part_lists_intro_paragraph_and_children(client: TestClient, seed_id: int) -> None:
    s = client.get(f"/api/v1/speeches/{seed_id}/sections/part_1").json()
    assert len(s["paragraphs"]) == 1
    assert s["paragraphs"][0]["text"].startswith("中华人民共和国是劳动者当家作主的国度")
    assert [c["eid"] for c in s["children"]] == ["part_1__point_1", "part_1__point_2", "part_1__point_3"]
    assert s["previous"]["eid"] == "preamble"
    assert s["next"]["eid"] == "part_2"
    assert s["parent"] is None


def test_read_section_spans_slice_the_stored_text(client: TestClient, engine: Engine, seed_id: int) -> None:
    from sqlmodel import Session

    from app.models import Speech

    with Session(engine) as session:
        speech = session.get(Speech, seed_id)
        assert speech is not None
        text = speech.text
    s = client.get(f"/api/v1/speeches/{seed_id}/sections/closing").json()
    assert len(s["paragraphs"]) == 1
    p = s["paragraphs"][0]
    assert text[p["span"][0] : p["span"][1]] == p["text"]
    assert p["text"].startswith("同志们，劳动成就梦想，实干开创未来。")


def test_read_points_lists_every_point_with_its_part(client: TestClient, seed_id: int) -> None:
    r = client.get(f"/api/v1/speeches/{seed_id}/points")
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == 9
    got = [(p["part"]["eid"], p["marker"], p["heading"]) for p in body["data"]]
    want = [(part, m, h) for part, pts in POINTS.items() for m, h in pts]
    assert got == want


def test_read_quotes_of_a_speech_lists_quoted_passages(client: TestClient, seed_id: int) -> None:
    r = client.get("/api/v1/quotes", params={"speech": seed_id, "limit": 100})
    assert r.status_code == 200
    quotes = r.json()["data"]
    texts = {q["text"] for q in quotes}
    assert {"中国梦", "魅力XX", "劳动是一切有劳动能力的公民的光荣职责"} <= texts
    for q in quotes:
        assert q["speech_id"] == seed_id
        assert q["kind"] in {"citation", "term", "golden"}
    by_text = {q["text"]: q for q in quotes}
    assert by_text["劳动是一切有劳动能力的公民的光荣职责"]["eid"] == "part_1"
    assert by_text["劳动是一切有劳动能力的公民的光荣职责"]["source"] == "宪法"


def test_read_speeches_pages_with_cursor_and_link(client: TestClient, engine: Engine, seed_id: int) -> None:
    ids = [seed_id] + [import_text(engine, f"第{i}篇讲话\n\n同志们，谢谢大家。{i}") for i in range(4)]
    seen: list[int] = []
    url: str | None = "/api/v1/speeches?limit=2"
    pages = 0
    while url:
        r = client.get(url)
        assert r.status_code == 200
        body = r.json()
        assert body["total"] == 5
        seen += [s["id"] for s in body["data"]]
        link = r.headers.get("link")
        if body["next_cursor"]:
            assert link is not None and 'rel="next"' in link
            url = f"/api/v1/speeches?limit=2&cursor={body['next_cursor']}"
        else:
            assert link is None
            url = None
        pages += 1
    assert seen == ids
    assert pages == 3


def test_read_unknown_speech_is_404_problem(client: TestClient) -> None:
    r = client.get("/api/v1/speeches/999")
    assert r.status_code == 404
    assert r.headers["content-type"] == PROBLEM
    body = r.json()
    assert body["type"] == "/problems/not-found"
    assert body["status"] == 404
    assert body["title"] == "Not found"
    assert "999" in body["detail"]
    assert client.get(body["type"]).json()["status"] == 404


def test_read_unknown_eid_is_404_problem(client: TestClient, seed_id: int) -> None:
    r = client.get(f"/api/v1/speeches/{seed_id}/sections/part_9")
    assert r.status_code == 404
    assert r.headers["content-type"] == PROBLEM
    assert r.json()["type"] == "/problems/not-found"


def test_read_speeches_rejects_bad_cursor_and_limit(client: TestClient) -> None:
    r = client.get("/api/v1/speeches", params={"cursor": "not-a-cursor"})
    assert (r.status_code, r.headers["content-type"]) == (400, PROBLEM)
    assert r.json()["type"] == "/problems/invalid-cursor"
    r = client.get("/api/v1/speeches", params={"limit": 0})
    assert (r.status_code, r.headers["content-type"]) == (422, PROBLEM)
    assert r.json()["errors"][0]["loc"] == ["query", "limit"]
    r = client.get("/api/v1/speeches", params={"limit": 10_000})
    assert (r.status_code, r.headers["content-type"]) == (400, PROBLEM)


def test_unknown_route_and_wrong_method_are_problems(client: TestClient) -> None:
    r = client.get("/api/v1/nothing-here")
    assert (r.status_code, r.headers["content-type"]) == (404, PROBLEM)
    r = client.delete("/healthz")
    assert (r.status_code, r.headers["content-type"]) == (405, PROBLEM)
    assert r.json()["type"] == "/problems/method-not-allowed"


def test_healthz_and_openapi(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    spec = client.get("/openapi.json").json()
    for path in [
        "/api/v1/speeches",
        "/api/v1/speeches/{speech}",
        "/api/v1/speeches/{speech}/sections/{eid}",
        "/api/v1/speeches/{speech}/points",
        "/api/v1/quotes",
        "/healthz",
    ]:
        op = spec["paths"][path]["get"]
        assert op["summary"]
        assert "200" in op["responses"]
    assert client.get("/docs").status_code == 200
