"""Cursor pagination of the speech list stays exact while speeches are added between pages."""

from __future__ import annotations

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
