"""Request limits answered as problem documents: body size (413) and rate (429).

Rate limits live in this process's memory: with N replicas behind a balancer a client can make up
to N times the configured rate. That is the price of needing no shared store; a deployment that
needs one global limit enforces it at the proxy or puts the buckets in Redis.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Awaitable, Callable, Hashable
from itertools import islice

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.middleware.paths import OPERATIONAL_PATHS, app_path
from app.api.problems import problem_response


def client_address(scope: Scope, trust_forwarded_for: bool) -> str | None:
    """The address a request came from: the peer, or what the trusted proxy saw.

    With a proxy in front, the peer is the proxy. The proxy appends the address it saw to
    X-Forwarded-For, after whatever the client itself put there, so only the LAST entry is
    trustworthy; the first one is client-supplied and would let anyone pick a fresh rate-limit
    bucket per request.
    """
    if trust_forwarded_for:
        forwarded: bytes | None = None
        for name, value in scope["headers"]:
            if name == b"x-forwarded-for":
                forwarded = value
        if forwarded is not None:
            last = forwarded.rsplit(b",", 1)[-1].strip()
            if last:
                return last.decode("latin-1")
    client = scope.get("client")
    return str(client[0]) if client else None


class TokenBuckets:
    """One bucket of `per_minute` tokens per key, refilled continuously; a request takes a token.

    Memory stays bounded: a bucket that has refilled completely is equivalent to no bucket, so a
    sweep (at most once per refill period) drops those; if a flood of distinct keys still fills the
    table, the keys seen first are forgotten and would start again with a full bucket.
    """

    def __init__(
        self, per_minute: int, *, max_keys: int = 100_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = per_minute
        self._rate = per_minute / 60.0
        self._max_keys = max_keys
        self._clock = clock
        self._buckets: dict[Hashable, list[float]] = {}
        self._next_sweep = clock() + 60.0

    def __len__(self) -> int:
        return len(self._buckets)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._buckets

    def take(self, key: Hashable) -> float:
        """0.0 if a token was taken, else the seconds until one will be available."""
        now = self._clock()
        if now >= self._next_sweep or len(self._buckets) >= self._max_keys:
            self._sweep(now)
        bucket = self._buckets.get(key)
        if bucket is None:
            tokens = float(self.limit)
            bucket = self._buckets[key] = [tokens, now]
        else:
            tokens = min(float(self.limit), bucket[0] + (now - bucket[1]) * self._rate)
        bucket[1] = now
        if tokens >= 1.0:
            bucket[0] = tokens - 1.0
            return 0.0
        bucket[0] = tokens
        return (1.0 - tokens) / self._rate

    def _sweep(self, now: float) -> None:
        rate, limit = self._rate, self.limit
        self._buckets = {k: b for k, b in self._buckets.items() if b[0] + (now - b[1]) * rate < limit}
        excess = len(self._buckets) - self._max_keys * 9 // 10
        if excess > 0:
            for key in list(islice(self._buckets, excess)):
                del self._buckets[key]
        self._next_sweep = now + 60.0


def _bearer_key(scope: Scope) -> bytes | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            if value[:7].lower() == b"bearer ":
                return value[7:].strip() or None
            return None
    return None


class RateLimitMiddleware:
    """Per client address, and additionally per API key, with one token bucket table each.

    Every request pays from its address's bucket, keyed or not: keys are not validated this far
    out, so exempting keyed requests would let anyone bypass the address limit by inventing keys.
    The key table (keyed by the key's SHA-256, so no key sits in memory) caps what one key can do
    across all the addresses it is used from.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        per_address: int,
        per_key: int,
        trust_forwarded_for: bool,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.by_address = TokenBuckets(per_address, clock=clock) if per_address else None
        self.by_key = TokenBuckets(per_key, clock=clock) if per_key else None
        self.trust_forwarded_for = trust_forwarded_for

    def __call__(self, scope: Scope, receive: Receive, send: Send) -> Awaitable[None]:
        # A tail call: see the package docstring.
        if scope["type"] != "http" or app_path(scope) in OPERATIONAL_PATHS:
            return self.app(scope, receive, send)
        if self.by_address is not None:
            address = client_address(scope, self.trust_forwarded_for) or "unknown"
            wait = self.by_address.take(address)
            if wait:
                return _too_many(scope, receive, send, wait, self.by_address.limit, "from this address")
        if self.by_key is not None:
            key = _bearer_key(scope)
            if key is not None:
                wait = self.by_key.take(hashlib.sha256(key).digest())
                if wait:
                    return _too_many(scope, receive, send, wait, self.by_key.limit, "with this API key")
        return self.app(scope, receive, send)


async def _too_many(scope: Scope, receive: Receive, send: Send, wait: float, limit: int, who: str) -> None:
    retry_after = max(1, math.ceil(wait))
    response = problem_response(
        "rate-limited",
        429,
        f"More than {limit} requests per minute {who}; retry in {retry_after} s.",
        scope["path"],
    )
    response.headers["Retry-After"] = str(retry_after)
    response.headers["RateLimit-Limit"] = str(limit)
    response.headers["RateLimit-Remaining"] = "0"
    await response(scope, receive, send)


class _BodyTooLarge(HTTPException):
    # An HTTPException so that FastAPI's body parsing re-raises it instead of reporting a 400.
    def __init__(self) -> None:
        super().__init__(413, "Payload too large")


class BodyLimitMiddleware:
    """Refuse bodies over `max_bytes` without reading them in full.

    A declared Content-Length over the cap is refused before the app runs. A body without one
    (chunked) is counted as the app reads it; past the cap the read fails, whatever the app
    answers to that failure is dropped, and the client gets the 413.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def __call__(self, scope: Scope, receive: Receive, send: Send) -> Awaitable[None]:
        # A tail call: see the package docstring.
        if scope["type"] != "http":
            return self.app(scope, receive, send)
        chunked = False
        for name, value in scope["headers"]:
            if name == b"content-length":
                if value.isdigit() and int(value) > self.max_bytes:
                    return _too_large(scope, receive, send, self.max_bytes)
                # The server delivers exactly Content-Length bytes, so this body cannot pass the cap.
                return self.app(scope, receive, send)
            if name == b"transfer-encoding":
                chunked = True
        if not chunked and scope.get("http_version", "1.1") in ("1.0", "1.1"):
            # HTTP/1 without Content-Length or Transfer-Encoding means no body (RFC 9112 6.3): the
            # common GET skips the counting wrappers. HTTP/2 may stream a body with neither header.
            return self.app(scope, receive, send)
        return self._counted(scope, receive, send)

    async def _counted(self, scope: Scope, receive: Receive, send: Send) -> None:
        received = 0
        exceeded = False
        started = False

        async def receive_counted() -> Message:
            nonlocal received, exceeded
            if exceeded:
                raise _BodyTooLarge
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    exceeded = True
                    raise _BodyTooLarge
            return message

        async def send_unless_exceeded(message: Message) -> None:
            nonlocal started
            if exceeded and not started:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive_counted, send_unless_exceeded)
        except Exception:
            if not exceeded or started:
                raise
        if exceeded and not started:
            await _too_large(scope, receive, send, self.max_bytes)


async def _too_large(scope: Scope, receive: Receive, send: Send, max_bytes: int) -> None:
    detail = f"The request body is larger than {max_bytes} bytes."
    await problem_response("payload-too-large", 413, detail, scope["path"])(scope, receive, send)
