"""HTTP caching and compression of responses: ETag, conditional GET, Cache-Control, gzip.

Compression lives here, not in a separate GZip layer, because the ETag must name the
representation actually sent (RFC 9110 8.8.3): the gzip and identity bodies are different
representations, so they need different strong tags, and a 304 must carry the tag of the one the
client would have received. Only this layer knows both the body hash and whether it compresses.

The tag is `"<first 32 hex of sha256(identity body)>"`, plus `-gz` inside the quotes when gzipped.
Hashing the identity body (not the gzip bytes) keeps tags equal across replicas whatever their
zlib version. If-None-Match is compared (weakly, as RFC 9110 13.1.2 requires) with the tag of the
representation this request selects, so a client holding either variant gets its 304.

Which responses are buffered (and so get an ETag and a 304): those declaring a Content-Length of
at most BUFFER_LIMIT that are not `text/event-stream` and announce no trailers. Anything else is
streaming: it passes through chunk by chunk (gzipped on the fly when compressible), with the ETag
its route set, if any (`-gz` added when gzipped), and the route answers its own 304s.
A 304 saves bandwidth only: the route has already run by the time the body can be hashed.
"""

from __future__ import annotations

from collections.abc import Awaitable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.middleware.compression import GzipStream, accepts_gzip, compressible, gzip_body
from app.api.middleware.conditional import is_not_modified, none_match, strong_etag
from app.api.middleware.paths import app_path

BUFFER_LIMIT = 8 * 1024 * 1024
NO_STORE = b"no-store"
# Representation headers a 304 repeats (RFC 9110 15.4.5); the body's own headers are dropped.
_KEPT_ON_304 = frozenset(
    {b"cache-control", b"content-location", b"date", b"etag", b"expires", b"last-modified", b"vary"}
)
_NO_BODY_STATUSES = frozenset({204, 206, 304})


def not_modified_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The headers a 304 repeats of the 200 it stands for."""
    return [(n, v) for n, v in headers if n.lower() in _KEPT_ON_304]


def _add_vary(headers: list[tuple[bytes, bytes]]) -> None:
    for i, (name, value) in enumerate(headers):
        if name.lower() == b"vary":
            lowered = value.lower()
            if b"accept-encoding" not in lowered and b"*" not in lowered:
                headers[i] = (name, value + b", Accept-Encoding")
            return
    headers.append((b"vary", b"Accept-Encoding"))


class CachingMiddleware:
    def __init__(
        self, app: ASGIApp, *, cache_control: str, gzip_min_bytes: int, no_store_paths: frozenset[str]
    ) -> None:
        self.app = app
        self.cache_control = cache_control.encode("latin-1")
        self.gzip_min_bytes = gzip_min_bytes
        self.no_store_paths = no_store_paths

    def __call__(self, scope: Scope, receive: Receive, send: Send) -> Awaitable[None]:
        # A tail call (see the package docstring): all the work happens in the responder's send.
        if scope["type"] != "http":
            return self.app(scope, receive, send)
        responder = _Responder(self, scope, send)
        if responder.head:
            return self._head(scope, receive, responder)
        return self.app(scope, receive, responder.send)

    async def _head(self, scope: Scope, receive: Receive, responder: _Responder) -> None:
        # HEAD is GET without the body (RFC 9110 9.3.2), but FastAPI routes declared with GET answer
        # HEAD with 405. The route runs as GET and the body is dropped here, so Content-Length, ETag
        # and 304s match the GET's. The scope is changed in place, not copied, because the layers
        # outside read the matched route from it; they see HEAD again once the route has run.
        scope["method"] = "GET"
        try:
            await self.app(scope, receive, responder.send)
        finally:
            scope["method"] = "HEAD"


class _Responder:
    """The per-request state: request headers that matter, and a held response start."""

    __slots__ = (
        "body",
        "cache_control",
        "cacheable",
        "content_type",
        "encoded",
        "etag_at",
        "gzip_ok",
        "head",
        "headers",
        "if_modified_since",
        "if_none_match",
        "last_modified",
        "layer",
        "length_at",
        "mode",
        "send_next",
        "start",
        "stream",
    )

    def __init__(self, layer: CachingMiddleware, scope: Scope, send: Send) -> None:
        self.layer = layer
        self.send_next = send
        self.gzip_ok = False
        self.if_none_match: bytes | None = None
        self.if_modified_since: bytes | None = None
        for name, value in scope["headers"]:
            if name == b"accept-encoding":
                self.gzip_ok = accepts_gzip(value)
            elif name == b"if-none-match":
                self.if_none_match = value
            elif name == b"if-modified-since":
                self.if_modified_since = value
        self.head = scope["method"] == "HEAD"
        self.cacheable = self.head or scope["method"] == "GET"
        self.cache_control = NO_STORE if app_path(scope) in layer.no_store_paths else layer.cache_control
        self.mode = "start"
        self.start: Message = {}
        self.headers: list[tuple[bytes, bytes]] = []
        self.body: list[bytes] = []
        self.stream: GzipStream | None = None
        self.content_type = b""
        self.encoded = False
        self.last_modified: bytes | None = None
        self.etag_at = self.length_at = -1

    async def send(self, message: Message) -> None:
        kind = message["type"]
        if kind == "http.response.start":
            await self._on_start(message)
        elif kind == "http.response.body" and self.mode == "buffer":
            self.body.append(message.get("body", b""))
            if not message.get("more_body", False):
                await self._finish(b"".join(self.body))
        elif kind == "http.response.body" and self.head:
            if not message.get("more_body", False):
                await self.send_next({"type": "http.response.body", "body": b""})
        elif kind == "http.response.body" and self.stream is not None:
            last = not message.get("more_body", False)
            data = await self.stream.chunk(message.get("body", b""), last=last)
            await self.send_next({**message, "body": data})
        else:
            if self.mode == "buffer":  # e.g. pathsend or trailers: give up buffering, send as is
                self.mode = "pass"
                await self.send_next({**self.start, "headers": self.headers})
            await self.send_next(message)

    async def _on_start(self, message: Message) -> None:
        self.start = message
        self.headers = headers = list(message.get("headers", ()))
        status = message["status"]
        if status == 304 and self.cacheable:
            # A route that answered If-None-Match itself (cheaper: nothing rendered) knows its own
            # tag but not whether the 200 would have been gzipped; the client's tag tells.
            self._echo_gzip_variant(headers)
        self.cacheable = self.cacheable and status in (200, 304)
        length: int | None = None
        has_cache_control = False
        # One pass over the headers: positions and values that _finish needs too.
        for i, (name, value) in enumerate(headers):
            name = name.lower()
            if name == b"content-length":
                length = int(value) if value.isdigit() else None
                self.length_at = i
            elif name == b"content-type":
                self.content_type = value
            elif name == b"content-encoding":
                self.encoded = True
            elif name == b"cache-control":
                has_cache_control = True
            elif name == b"etag":
                self.etag_at = i
            elif name == b"last-modified":
                self.last_modified = value
        if self.cacheable and not has_cache_control:
            headers.append((b"cache-control", self.cache_control))
        if (
            length is not None
            and length <= BUFFER_LIMIT
            and not message.get("trailers", False)
            and not self.content_type.lower().startswith(b"text/event-stream")
        ):
            self.mode = "buffer"
            return
        self.mode = "pass"
        varies = (
            not self.encoded
            and status not in _NO_BODY_STATUSES
            and (length is None or length >= self.layer.gzip_min_bytes)
            and compressible(self.content_type)
        )
        if varies and not self.gzip_ok:
            _add_vary(headers)  # this identity answer is one of two representations too
        if varies and self.gzip_ok:
            self.stream = GzipStream()
            if self.etag_at >= 0 and headers[self.etag_at][1].endswith(b'"'):
                # A streamed body with its own validator: the gzip variant is another
                # representation, so it gets another strong tag (as buffered bodies do).
                headers[self.etag_at] = (b"etag", headers[self.etag_at][1][:-1] + b'-gz"')
            headers[:] = [(n, v) for n, v in headers if n.lower() != b"content-length"]
            headers.append((b"content-encoding", b"gzip"))
            _add_vary(headers)
        await self.send_next({**message, "headers": headers})

    async def _finish(self, body: bytes) -> None:
        headers = self.headers
        status = self.start["status"]
        varies = (
            not self.encoded
            and status not in _NO_BODY_STATUSES
            and len(body) >= self.layer.gzip_min_bytes
            and compressible(self.content_type)
        )
        gzipped = varies and self.gzip_ok
        if varies:
            _add_vary(headers)
        if self.cacheable and body:
            etag = headers[self.etag_at][1] if self.etag_at >= 0 else strong_etag(body)
            if gzipped and etag.endswith(b'"'):
                etag = etag[:-1] + b'-gz"'
            if self.etag_at >= 0:
                headers[self.etag_at] = (b"etag", etag)
            else:
                headers.append((b"etag", etag))
            if self._not_modified(etag):
                await self.send_next({**self.start, "status": 304, "headers": not_modified_headers(headers)})
                await self.send_next({"type": "http.response.body", "body": b""})
                return
        if gzipped:
            body = await gzip_body(body)
            headers[self.length_at] = (b"content-length", str(len(body)).encode())
            headers.append((b"content-encoding", b"gzip"))
        await self.send_next({**self.start, "headers": headers})
        await self.send_next({"type": "http.response.body", "body": b"" if self.head else body})

    def _echo_gzip_variant(self, headers: list[tuple[bytes, bytes]]) -> None:
        for i, (name, etag) in enumerate(headers):
            if name.lower() == b"etag" and etag.endswith(b'"') and self.if_none_match is not None:
                gz = etag[:-1] + b'-gz"'
                if none_match(self.if_none_match, gz) and not none_match(self.if_none_match, etag):
                    headers[i] = (name, gz)
                    _add_vary(headers)
                return

    def _not_modified(self, etag: bytes) -> bool:
        return is_not_modified(
            if_none_match=self.if_none_match,
            if_modified_since=self.if_modified_since,
            etag=etag,
            last_modified=self.last_modified,
        )
