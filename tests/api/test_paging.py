"""Cursor pagination of the speech list stays exact while speeches are added between pages."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.test_write_contract import create

# --- paging ----------------------------------------------------------------------------------


@pytest.mark.parametrize("sort", ["id", "date"])
def test_pages_neither_skip_nor_repeat_while_speeches_are_added(
    client: TestClient, auth: dict[str, str], sort: str
) -> None:
    days = ["2024-05-01", "2023-01-01", None, "2024-05-01", "2022-06-30", None, "2024-12-31"]
    before = [
        create(client, auth, f"第{i}篇讲话\n同志们，好。{i}", **({"delivered_on": d} if d else {}))["id"]
        for i, d in enumerate(days)
    ]
    seen: list[int] = []
    params: dict[str, Any] = {"limit": 2, "sort": sort}
    added = 0
    while True:
        page = client.get("/api/v1/speeches", params=params)
        assert page.status_code == 200, page.text
        seen += [s["id"] for s in page.json()["data"]]
        if added < 3:  # a writer adds speeches between pages, at the front, middle and end of the order
            day = ["2025-01-01", "2023-06-01", None][added]
            create(client, auth, f"新增讲话{added}\n同志们，好。", **({"delivered_on": day} if day else {}))
            added += 1
        cursor = page.json()["next_cursor"]
        if cursor is None:
            break
        assert 'rel="next"' in page.headers["link"]
        params = {"limit": 2, "sort": sort, "cursor": cursor}
    assert len(seen) == len(set(seen)), seen  # nothing twice
    assert set(before) <= set(seen)  # nothing that was there from the start is missed


def _walk(client: TestClient, url: str, params: dict[str, Any], between: Any) -> list[int]:
    """Every id of a paged list, calling `between()` after each page (a writer at work)."""
    seen: list[int] = []
    query = dict(params)
    while True:
        page = client.get(url, params=query)
        assert page.status_code == 200, page.text
        seen += [row["id"] for row in page.json()["data"]]
        between()
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return seen
        query = {**params, "cursor": cursor}


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/api/v1/search", {"q": "奋斗", "limit": 3}),
        ("/api/v1/search", {"q": "奋斗", "limit": 3, "sort": "date"}),
        ("/api/v1/quotes", {"q": "奋斗", "limit": 3}),
        ("/api/v1/quotes", {"sort": "date", "limit": 3}),
    ],
)
def test_ranked_pages_neither_skip_nor_repeat_while_speeches_are_added(
    client: TestClient, auth: dict[str, str], url: str, params: dict[str, Any]
) -> None:
    # Ranked lists page by offset; new rows are ranked among the old ones (the newest first, in a
    # bm25 window over the newest matches, newest speech first by date), so without a snapshot every
    # insert would push rows already seen onto the next page, or pull unseen ones behind the cursor.
    days = ["2024-05-01", "2023-01-01", "2024-12-31", "2022-06-30"]
    for i, day in enumerate(days):
        body = f"第{i}篇讲话\n同志们：要弘扬“奋斗精神”，共圆“奋斗梦”。奋斗创造幸福，奋斗成就未来。奋斗{i}年，奋斗不止。"
        create(client, auth, body, delivered_on=day)
    before = _walk(client, url, params, lambda: None)
    assert len(before) > 6  # several pages
    added = iter(range(100))

    def write() -> None:
        i = next(added)
        create(
            client,
            auth,
            f"新增讲话{i}\n同志们：要弘扬“奋斗精神”，共圆“奋斗梦”。奋斗创造幸福，奋斗成就未来。奋斗第{i}回。",
            delivered_on="2025-01-01",
        )

    seen = _walk(client, url, params, write)
    assert len(seen) == len(set(seen)), seen  # nothing twice
    assert seen == before  # the list as it stood when its first page was made, in its order
    # A new first page shows what was added meanwhile.
    assert len(_walk(client, url, params, lambda: None)) > len(before)


@pytest.mark.parametrize("upto", ['"x"', "-1", "true", "4294967296"])
def test_a_forged_snapshot_in_a_cursor_is_an_invalid_cursor(client: TestClient, upto: str) -> None:
    raw = f'{{"offset":20,"upto":{upto}}}'.encode()
    cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    r = client.get("/api/v1/search", params={"q": "劳模", "cursor": cursor})
    assert r.status_code == 400, r.text
    assert r.json()["type"].endswith("/invalid-cursor")
