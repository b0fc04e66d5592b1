"""Whole GET responses kept per process, served again while the data they show is unchanged.

Reads dominate (DESIGN.md, Performance), and most of a read's cost is fixed work that yields the
same bytes again: dependencies, queries, validation, serialisation, the ETag and gzip. This layer
keeps the finished response of a route marked `@cacheable` (app/api/caching.py) as it left the
caching layer (ETag, Cache-Control and gzip already decided) and sends it again while the
database's data stamp (services/freshness.py) is the one it was made at: one stamp read per request
instead of the route. Any create, edit or withdrawal, by this process or another, moves the stamp.

The key is what the bytes depend on: path, query string, Accept, whether gzip is accepted, and the
scheme, host and root path (Link headers and some bodies carry absolute URLs). Not cached: methods
other than GET; requests with Authorization (the key must still be checked: a bad key is a 401
even on a public read) and servers whose reads need a key; requests that repeat a header the key is
made of; answers other than 200; streamed bodies; bodies over a sixteenth of the budget. URLs whose
route is not `@cacheable` are remembered (a bounded set) and go straight to the router. A hit answers If-None-Match / If-Modified-Since itself, as
the caching layer would. Everything the layers outside add (X-Request-ID, CORS, rate limits,
metrics, the access log) still happens on a hit; the route template is handed on for the metrics.
"""

from __future__ import annotations

import inspect
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, cast

from sqlmodel import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.caching import is_cacheable
from app.api.middleware.caching import not_modified_headers
from app.api.middleware.compression import accepts_gzip
from app.api.middleware.conditional import is_not_modified
from app.api.middleware.metrics import ROUTE_TEMPLATE, route_template
from app.api.middleware.paths import app_path
from app.core.db import get_session
from app.repositories.stamp import Stamp
from app.services.freshness import DataStamp

Key = tuple[bytes, ...]
# Every cacheable route is a read of the API under here; other paths (probes, pages, cards, feeds)
# skip the stamp read that a lookup costs.
API_PREFIX = "/api/v1/"
UNCACHEABLE_MEMO = 4096
_LOOKUPS = "jianghua_response_cache_lookups_total"
_BYTES = "jianghua_response_cache_bytes"


@dataclass(frozen=True, slots=True)
class Entry:
    stamp: Stamp
    start: Message
    body: bytes
    route: str
    etag: bytes | None
    last_modified: bytes | None

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(n) + len(v) for n, v in self.start["headers"]) + 200


class ResponseStore:
    """An LRU of entries bounded by their total size in bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.max_entry = max_bytes // 16
        self.size = 0
        self.hits = 0
        self.misses = 0
        self._items: OrderedDict[Key, Entry] = OrderedDict()
        # URLs whose route is not @cacheable (random quotes, streamed exports, unknown paths): they
        # go straight to the router, without the stamp read that a lookup costs. Bounded.
        self._uncacheable: OrderedDict[Key, None] = OrderedDict()
        self._lock = threading.Lock()

    def known_uncacheable(self, key: Key) -> bool:
        with self._lock:
            return key in self._uncacheable

    def mark_uncacheable(self, key: Key) -> None:
        with self._lock:
            self._uncacheable[key] = None
            if len(self._uncacheable) > UNCACHEABLE_MEMO:
                self._uncacheable.popitem(last=False)

    def get(self, key: Key, stamp: Stamp) -> Entry | None:
        with self._lock:
            entry = self._items.get(key)
            if entry is not None and entry.stamp == stamp:
                self._items.move_to_end(key)
                self.hits += 1
                return entry
            return None

    def put(self, key: Key, entry: Entry | None) -> None:
        """Keep `entry` for `key` (None: the route answered without one that can be kept)."""
        size = entry.size if entry is not None else 0
        with self._lock:
            self.misses += 1
            old = self._items.pop(key, None)
            if old is not None:
                self.size -= old.size
            if entry is None or size > self.max_entry:
                return
            self._items[key] = entry
            self.size += size
            while self.size > self.max_bytes:
                _, evicted = self._items.popitem(last=False)
                self.size -= evicted.size

    def __len__(self) -> int:
        return len(self._items)

    def render_metrics(self) -> list[str]:
        """Prometheus families for /metrics."""
        with self._lock:
            hits, misses, size, entries = self.hits, self.misses, self.size, len(self._items)
        return [
            f"# HELP {_LOOKUPS} Cacheable GETs answered from the response cache (hit) or by the route (miss).",
            f"# TYPE {_LOOKUPS} counter",
            f'{_LOOKUPS}{{result="hit"}} {hits}',
            f'{_LOOKUPS}{{result="miss"}} {misses}',
            f"# HELP {_BYTES} Bytes of responses the cache holds ({entries} entries).",
            f"# TYPE {_BYTES} gauge",
            f"{_BYTES} {size}",
        ]


class ResponseCacheMiddleware:
    def __init__(self, app: ASGIApp, *, store: ResponseStore) -> None:
        self.app = app
        self.store = store
        self._stamp: DataStamp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        request = _Request(scope)
        key = request.key
        if key is None or not app_path(scope).startswith(API_PREFIX) or self.store.known_uncacheable(key):
            await self.app(scope, receive, send)
            return
        stamper = self._stamp or await self._stamper(scope)
        # Read before the route runs: data newer than its stamp only expires an entry early, while
        # data older than its stamp would be replayed as current.
        stamp = await stamper.read()
        if stamp is None:
            await self.app(scope, receive, send)
            return
        entry = self.store.get(key, stamp)
        if entry is not None:
            scope[ROUTE_TEMPLATE] = entry.route
            await _replay(entry, request, send)
            return
        recorder = _Recorder(send)
        await self.app(scope, receive, recorder.send)
        if not is_cacheable(scope):
            self.store.mark_uncacheable(key)
            return
        kept = None
        if recorder.complete:
            headers = recorder.start["headers"]
            kept = Entry(
                stamp=stamp,
                start={**recorder.start, "headers": list(headers)},
                body=recorder.body,
                route=route_template(scope),
                etag=_header(headers, b"etag"),
                last_modified=_header(headers, b"last-modified"),
            )
        self.store.put(key, kept)

    async def _stamper(self, scope: Scope) -> DataStamp:
        """The stamp of the database the read routes use: the engine behind the app's read session.

        Taken from the session dependency itself (or its override, in tests), once, so that the
        cache can never check one database while the routes read another.
        """
        app: Any = scope["app"]
        provider = app.dependency_overrides.get(get_session, get_session)
        made: Any = provider()
        if inspect.isasyncgen(made):
            session = await made.__anext__()
            await made.aclose()  # closing a session that never connected does no I/O
        elif inspect.isgenerator(made):
            session = next(made)
            made.close()
        else:
            session = made
        engine = cast(Session, session).get_bind().engine
        self._stamp = DataStamp(engine)
        return self._stamp


class _Request:
    __slots__ = ("if_modified_since", "if_none_match", "key")

    def __init__(self, scope: Scope) -> None:
        accept = encoding = host = None
        self.if_none_match: bytes | None = None
        self.if_modified_since: bytes | None = None
        self.key: Key | None = None
        for name, value in scope["headers"]:
            if name == b"authorization":
                return
            # A header the key is made of, sent twice, is not cached: the route may read the
            # first copy where the key took the last, and store one answer under another's key.
            if name == b"accept":
                if accept is not None:
                    return
                accept = value
            elif name == b"accept-encoding":
                if encoding is not None:
                    return
                encoding = value
            elif name == b"host":
                if host is not None:
                    return
                host = value
            elif name == b"if-none-match":
                self.if_none_match = value
            elif name == b"if-modified-since":
                self.if_modified_since = value
        gzip = encoding is not None and accepts_gzip(encoding)
        self.key = (
            scope["path"].encode("utf-8", "surrogateescape"),
            scope["query_string"],
            accept or b"",
            b"gzip" if gzip else b"",
            scope.get("scheme", "http").encode(),
            host or b"",
            scope.get("root_path", "").encode("utf-8", "surrogateescape"),
        )


class _Recorder:
    """Passes the response on unchanged and keeps a copy of a complete, single-message 200."""

    __slots__ = ("body", "complete", "send_next", "start")

    def __init__(self, send: Send) -> None:
        self.send_next = send
        self.start: Message = {}
        self.body = b""
        self.complete = False

    async def send(self, message: Message) -> None:
        kind = message["type"]
        if kind == "http.response.start":
            self.start = message if message["status"] == 200 and not message.get("trailers") else {}
        elif kind == "http.response.body" and self.start:
            if self.complete or message.get("more_body", False):
                # Streamed in several messages: passed on, not kept.
                self.start, self.body, self.complete = {}, b"", False
            else:
                # One message with the whole body: what the caching layer sends when it buffered.
                self.body, self.complete = message.get("body", b""), True
        await self.send_next(message)


async def _replay(entry: Entry, request: _Request, send: Send) -> None:
    if is_not_modified(
        if_none_match=request.if_none_match,
        if_modified_since=request.if_modified_since,
        etag=entry.etag,
        last_modified=entry.last_modified,
    ):
        await send({**entry.start, "status": 304, "headers": not_modified_headers(entry.start["headers"])})
        await send({"type": "http.response.body", "body": b""})
        return
    # A fresh header list: the layers outside append to it (X-Request-ID, CORS, rate limits).
    await send({**entry.start, "headers": list(entry.start["headers"])})
    await send({"type": "http.response.body", "body": entry.body})


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes | None:
    for n, v in headers:
        if n.lower() == name:
            return bytes(v)
    return None
