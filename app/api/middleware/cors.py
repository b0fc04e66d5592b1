"""CORS for an allow-list of origins.

Not Starlette's CORSMiddleware: that one sends Access-Control-Expose-Headers to every origin,
allowed or not, builds header objects on every request, and refuses a preflight with a text/plain
body. Here a disallowed origin gets no CORS header at all, a refused preflight is a problem
document, and the per-request cost is one scan of the request headers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Collection

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.problems import problem_response

# Requests may always carry these without asking (the Fetch standard's CORS-safelisted headers).
_SAFELISTED = frozenset({"accept", "accept-language", "content-language", "content-type"})
_VARY_ORIGIN = (b"vary", b"Origin")


class CorsMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        origins: Collection[str],
        methods: Collection[str],
        request_headers: Collection[str],
        exposed_headers: Collection[str],
        max_age: int,
    ) -> None:
        self.app = app
        self.any_origin = "*" in origins
        self.origins = frozenset(o.encode("latin-1") for o in origins)
        self.methods = frozenset(m.encode("ascii") for m in methods)
        self.request_headers = _SAFELISTED | {h.lower() for h in request_headers}
        self.exposed = (b"access-control-expose-headers", ", ".join(exposed_headers).encode("ascii"))
        self.preflight_headers = [
            (b"access-control-allow-methods", ", ".join(methods).encode("ascii")),
            (b"access-control-allow-headers", ", ".join(sorted(self.request_headers)).encode("ascii")),
            (b"access-control-max-age", str(max_age).encode("ascii")),
        ]

    def _allowed(self, origin: bytes) -> bool:
        return self.any_origin or origin in self.origins

    def __call__(self, scope: Scope, receive: Receive, send: Send) -> Awaitable[None]:
        # A tail call: see the package docstring.
        if scope["type"] != "http":
            return self.app(scope, receive, send)
        origin = requested_method = requested_headers = None
        for name, value in scope["headers"]:
            if name == b"origin":
                origin = value
            elif name == b"access-control-request-method":
                requested_method = value
            elif name == b"access-control-request-headers":
                requested_headers = value
        if origin is not None and scope["method"] == "OPTIONS" and requested_method is not None:
            return self._preflight(scope, receive, send, origin, requested_method, requested_headers)

        # Every answer depends on Origin, even to a request without one: a shared cache that stored
        # the answer to a plain `curl` (no CORS headers) must not hand it to a browser on an
        # allowed origin, which would then refuse it until the entry expires.
        added = [_VARY_ORIGIN]
        if origin is not None and self._allowed(origin):
            added += [(b"access-control-allow-origin", origin), self.exposed]

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", ()), *added]}
            await send(message)

        return self.app(scope, receive, send_with_cors)

    async def _preflight(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        origin: bytes,
        method: bytes,
        headers: bytes | None,
    ) -> None:
        asked = {h.strip().lower() for h in (headers or b"").decode("latin-1").split(",") if h.strip()}
        refused = [
            what
            for what, ok in (
                ("origin", self._allowed(origin)),
                ("method", method in self.methods),
                ("headers", asked <= self.request_headers),
            )
            if not ok
        ]
        if refused:
            detail = f"CORS preflight refused: {', '.join(refused)} not allowed."
            await problem_response("forbidden", 403, detail, scope["path"])(scope, receive, send)
            return
        await send(
            {
                "type": "http.response.start",
                "status": 204,
                "headers": [(b"access-control-allow-origin", origin), _VARY_ORIGIN, *self.preflight_headers],
            }
        )
        await send({"type": "http.response.body", "body": b""})
