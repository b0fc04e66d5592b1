"""The outermost layer: request id, timing, one access log line and the request metrics.

It wraps even Starlette's ServerErrorMiddleware (see `install`), so a 500 produced there, a 413
or a 429 answered by an inner layer, and a request whose client went away are all logged,
counted and, when a response goes out, carry `X-Request-ID`.
"""

from __future__ import annotations

from time import perf_counter

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.middleware import request_id
from app.api.middleware.limits import client_address
from app.api.middleware.logs import log_access
from app.api.middleware.metrics import Metrics, route_template

# nginx's code for "client closed the request": a disconnect is not a server error and must not
# show up in the 5xx rate.
CLIENT_CLOSED = 499


class EdgeMiddleware:
    def __init__(
        self, app: ASGIApp, *, metrics: Metrics, access_log: bool, trust_forwarded_for: bool
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.access_log = access_log
        self.trust_forwarded_for = trust_forwarded_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = perf_counter()
        given = None
        for name, value in scope["headers"]:
            if name == request_id.HEADER:
                given = value
                break
        rid = request_id.accept_or_generate(given)
        rid_header = (request_id.HEADER, rid.encode("ascii"))
        status = 0
        sent = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = message["status"]
                # A new list: a route may reuse one Response object, whose header list must not grow.
                message = {**message, "headers": [*message.get("headers", ()), rid_header]}
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        token = request_id.bind(rid)
        try:
            await self.app(scope, receive, send_with_id)
        except BaseException as exc:
            if status == 0:
                status = 500 if isinstance(exc, Exception) else CLIENT_CLOSED
            raise
        finally:
            duration = perf_counter() - start
            status = status or 500  # the app returned without answering; the server will send a 500
            route = route_template(scope)
            self.metrics.observe(scope["method"], route, status, duration)
            if self.access_log:
                log_access(
                    method=scope["method"],
                    path=scope["path"],
                    route=route,
                    status=status,
                    duration_s=duration,
                    sent=sent,
                    client=client_address(scope, self.trust_forwarded_for),
                )
            request_id.unbind(token)
