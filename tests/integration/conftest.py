"""Portal integration: the app with the exports, changes, feeds and embeds routers, over a test database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine

from app.api.routes import changes, embeds, exports, feeds
from app.core.config import Settings
from app.main import create_app
from tests.conftest import wire

PORTAL_ROUTERS = (exports.router, changes.router, feeds.router, embeds.router)
# Fixed times for golden files: exports name the speech's creation and last change.
CREATED = datetime(2024, 5, 1, 8, 0, 0)
UPDATED = datetime(2024, 5, 2, 9, 30, 0)
GOVERNMENT = {
    "speaker": "张三",
    "place": "XX市",
    "index_number": "11440300007542926N/2024-00123",
    "publisher": "XX市人民政府办公室",
    "document_number": "XX发〔2024〕12号",
    "topic": "综合政务/政务公开",
    "written_on": "2024-04-28",
    "published_on": "2024-05-02",
    "keywords": ["劳动", "劳模精神"],
    "genre": "讲话",
    "delivered_on": "2024-05-01",
    "source_url": "https://www.example.gov.cn/2024/0501.html",
}


def portal_app(settings: Settings | None = None, **extra: object) -> FastAPI:
    """create_app() plus the portal routers (unless main already registers them); `extra` sets
    settings the portal reads at request time (public_base_url, embed_frame_ancestors, …)."""
    app = create_app(settings)
    paths = {getattr(route, "path", None) for route in app.routes}
    for router in PORTAL_ROUTERS:
        if not any(getattr(route, "path", None) in paths for route in router.routes):
            app.include_router(router)
    if extra:
        app.state.settings = app.state.settings.model_copy(update=extra)
    return app


@pytest.fixture
def portal(engine: Engine) -> Iterator[TestClient]:
    with TestClient(wire(portal_app(), engine), raise_server_exceptions=False) as c:
        yield c


def freeze_times(engine: Engine, speech_id: int) -> None:
    """Give a speech fixed created/updated times, so its exports can be compared byte for byte."""
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE speech SET created_at = :c, updated_at = :u WHERE id = :id"),
            {"c": CREATED, "u": UPDATED, "id": speech_id},
        )
